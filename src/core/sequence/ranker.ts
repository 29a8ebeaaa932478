import { LocalrecError } from '../errors';
import { DEFAULT_RANKER_PARAMS, RANKER_PARAM_NAMES, rankerParamProblem, type RankerParams } from './ranker-params';
import type { NeighbourGraph, SequenceBundle, ItemLook } from './types';

export { DEFAULT_RANKER_PARAMS, type RankerParams } from './ranker-params';

/** One reason behind a score: a session item and how much it contributed. */
export interface Explanation {
  readonly itemId: string;
  readonly weight: number;
  /** 'next' (viewed next after it), 'similar' (viewed in similar sessions), 'repeat' (viewed it already). */
  readonly kind: 'next' | 'similar' | 'repeat';
}

/**
 * Scores every bundle item for the shopper's current session, using only that session's events
 * and the public bundle. A linear mix of: sequential rules from recent items, similar-session
 * neighbours of recent items, a boost for items already viewed, and popularity. The weights are
 * the bundle's (fitted to the store by the bundle builder) unless `overrides` names others; a
 * bundle without weights ranks with {@link DEFAULT_RANKER_PARAMS}.
 *
 * @example
 * const ranker = new SequenceRanker(decodeBundle(bytes));
 * const scores = ranker.score([{ itemId: 'A', time: 1 }, { itemId: 'B', time: 2 }]);
 * const best = topK(scores, 10, { exclude: (i) => i === ranker.indexOf('B') });
 */
export class SequenceRanker {
  /** Item ids, one per score slot. */
  readonly itemIds: readonly string[];
  /** The weights in use: defaults, then the bundle's, then the constructor's overrides. */
  readonly params: RankerParams;
  private readonly ids: Map<string, number>;
  private readonly pop: Float32Array;
  // Scratch for the session's item indices, most recent first.
  private recentIdx: Int32Array;

  constructor(
    private readonly bundle: SequenceBundle,
    overrides: Partial<RankerParams> = {},
  ) {
    this.params = { ...DEFAULT_RANKER_PARAMS, ...bundle.params, ...overrides };
    for (const name of RANKER_PARAM_NAMES) {
      const problem = rankerParamProblem(name, this.params[name]);
      if (problem) throw new LocalrecError('invalid_argument', `Ranker parameter ${problem}.`);
    }
    this.itemIds = bundle.itemIds;
    this.ids = new Map(bundle.itemIds.map((id, i) => [id, i]));
    const share = this.params.recentShare;
    this.pop = new Float32Array(bundle.itemIds.length);
    for (let i = 0; i < this.pop.length; i++) {
      this.pop[i] = share * bundle.recentPopularity[i]! + (1 - share) * bundle.popularity[i]!;
    }
    this.recentIdx = new Int32Array(this.params.maxEvents);
  }

  /** Index of an item id in the score arrays, or undefined for an item the bundle lacks. */
  indexOf(id: string): number | undefined {
    return this.ids.get(id);
  }

  /**
   * One score per bundle item index (0 = no evidence at all). `session` is the shopper's events,
   * oldest first; unknown items are ignored. `out` is reused when it has the right length.
   */
  score(session: readonly ItemLook[], out?: Float32Array): Float32Array {
    const p = this.params;
    const n = this.itemIds.length;
    const o = out && out.length === n ? out : new Float32Array(n);
    const pw = p.popWeight;
    if (pw > 0) for (let i = 0; i < n; i++) o[i] = pw * this.pop[i]!;
    else o.fill(0);
    const m = this.collect(session);
    const { next, similar } = this.bundle;
    const rw = p.repeatWeight * repeatFactor(this.recentIdx, m, p.repeatAdapt);
    for (let q = 0; q < m; q++) {
      const a = this.recentIdx[q]!;
      o[a]! += rw * Math.pow(p.repeatDecay, q);
      const wn = p.nextWeight * Math.pow(p.nextDecay, q);
      if (wn > 0) addRow(next, a, wn, o);
      const ws = p.simWeight * Math.pow(p.simDecay, q);
      if (ws > 0) addRow(similar, a, ws, o);
    }
    return o;
  }

  /**
   * The session items that drove `itemIndex`'s score, strongest first (for "because you viewed X").
   * Popularity is not listed: it is nobody's reason.
   */
  explain(session: readonly ItemLook[], itemIndex: number): Explanation[] {
    if (!Number.isInteger(itemIndex) || itemIndex < 0 || itemIndex >= this.itemIds.length) {
      throw new LocalrecError('invalid_argument', `explain needs an item index in 0..${this.itemIds.length - 1}.`);
    }
    const p = this.params;
    const m = this.collect(session);
    const rw = p.repeatWeight * repeatFactor(this.recentIdx, m, p.repeatAdapt);
    const out: Explanation[] = [];
    for (let q = 0; q < m; q++) {
      const a = this.recentIdx[q]!;
      const itemId = this.itemIds[a]!;
      if (a === itemIndex) out.push({ itemId, kind: 'repeat', weight: rw * Math.pow(p.repeatDecay, q) });
      const wn = p.nextWeight * Math.pow(p.nextDecay, q) * edge(this.bundle.next, a, itemIndex);
      if (wn > 0) out.push({ itemId, kind: 'next', weight: wn });
      const ws = p.simWeight * Math.pow(p.simDecay, q) * edge(this.bundle.similar, a, itemIndex);
      if (ws > 0) out.push({ itemId, kind: 'similar', weight: ws });
    }
    return out.sort((x, y) => y.weight - x.weight);
  }

  /** Fills recentIdx with the session's known items, most recent first; returns how many. */
  private collect(session: readonly ItemLook[]): number {
    let m = 0;
    const max = this.params.maxEvents;
    if (this.recentIdx.length < max) this.recentIdx = new Int32Array(max);
    for (let t = session.length - 1; t >= 0 && m < max; t--) {
      const ev = session[t];
      const i = ev === undefined ? undefined : this.ids.get(ev.itemId);
      if (i !== undefined) this.recentIdx[m++] = i;
    }
    return m;
  }
}

/**
 * The shopper's own repeat habit as a multiplier of the store's repeat boost:
 * (2·(r+1)/(t+2))^adapt over the t transitions among the first `m` of `recent` (most recent first),
 * r of which went back to an item seen earlier. The +1/+2 prior makes a session's first events
 * count as neither habit, so short sessions keep the store's boost. Exactly 1 when adapt is 0.
 */
export function repeatFactor(recent: Int32Array, m: number, adapt: number): number {
  if (adapt === 0 || m < 2) return 1;
  let r = 0;
  for (let q = 0; q + 1 < m; q++) {
    const a = recent[q]!;
    for (let j = q + 1; j < m; j++) {
      if (recent[j] === a) {
        r++;
        break;
      }
    }
  }
  return Math.pow((2 * (r + 1)) / (m + 1), adapt);
}

function addRow(g: NeighbourGraph, a: number, w: number, out: Float32Array): void {
  const end = g.offsets[a + 1]!;
  for (let k = g.offsets[a]!; k < end; k++) out[g.targets[k]!]! += w * g.weights[k]!;
}

function edge(g: NeighbourGraph, a: number, b: number): number {
  const end = g.offsets[a + 1]!;
  for (let k = g.offsets[a]!; k < end; k++) if (g.targets[k] === b) return g.weights[k]!;
  return 0;
}
