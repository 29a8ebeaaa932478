import { LocalrecError } from '../errors';
import type { NeighbourGraph, SequenceBundle, ItemLook } from './types';

/** Query-time weights of {@link SequenceRanker}; defaults were tuned on a validation split. */
export interface RankerParams {
  /** Only the last this many events of the session are used. */
  readonly maxEvents: number;
  /** Weight of the sequential-rules graph. */
  readonly nextWeight: number;
  /** Rules of an event p steps before the last weigh nextDecay^p (1 = all equal, 0 = last only). */
  readonly nextDecay: number;
  /** Weight of the similar-sessions graph. */
  readonly simWeight: number;
  /** Similar scores of an event p steps before the last weigh simDecay^p. */
  readonly simDecay: number;
  /** Boost of an item already in the session (26% of next clicks are repeats). */
  readonly repeatWeight: number;
  /** A repeat seen p steps before the last counts repeatDecay^p. */
  readonly repeatDecay: number;
  /** Weight of recent popularity (mostly a tie breaker among items with little evidence). */
  readonly popWeight: number;
  /** Share of recent (vs all-time) popularity in the term that popWeight weighs. */
  readonly recentShare: number;
}

/** Defaults of {@link RankerParams}. */
export const DEFAULT_RANKER_PARAMS: RankerParams = {
  maxEvents: 20,
  nextWeight: 0.5,
  nextDecay: 0.13,
  simWeight: 0.5,
  simDecay: 0.35,
  repeatWeight: 1,
  repeatDecay: 0.5,
  popWeight: 0.001,
  recentShare: 0,
};

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
 * neighbours of recent items, a boost for items already viewed, and popularity.
 *
 * @example
 * const ranker = new SequenceRanker(decodeBundle(bytes));
 * const scores = ranker.score([{ itemId: 'A', time: 1 }, { itemId: 'B', time: 2 }]);
 * const best = topK(scores, 10, { exclude: (i) => i === ranker.indexOf('B') });
 */
export class SequenceRanker {
  /** Item ids, one per score slot. */
  readonly itemIds: readonly string[];
  private readonly params: RankerParams;
  private readonly ids: Map<string, number>;
  private readonly pop: Float32Array;
  // Scratch for the session's item indices, most recent first.
  private recentIdx: Int32Array;

  constructor(
    private readonly bundle: SequenceBundle,
    params: Partial<RankerParams> = {},
  ) {
    this.params = { ...DEFAULT_RANKER_PARAMS, ...params };
    for (const [k, v] of Object.entries(this.params)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new LocalrecError('invalid_argument', `Ranker parameter ${k} must be a finite number >= 0.`);
      }
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
    for (let q = 0; q < m; q++) {
      const a = this.recentIdx[q]!;
      o[a]! += p.repeatWeight * Math.pow(p.repeatDecay, q);
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
    const out: Explanation[] = [];
    for (let q = 0; q < m; q++) {
      const a = this.recentIdx[q]!;
      const itemId = this.itemIds[a]!;
      if (a === itemIndex) out.push({ itemId, kind: 'repeat', weight: p.repeatWeight * Math.pow(p.repeatDecay, q) });
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

function addRow(g: NeighbourGraph, a: number, w: number, out: Float32Array): void {
  const end = g.offsets[a + 1]!;
  for (let k = g.offsets[a]!; k < end; k++) out[g.targets[k]!]! += w * g.weights[k]!;
}

function edge(g: NeighbourGraph, a: number, b: number): number {
  const end = g.offsets[a + 1]!;
  for (let k = g.offsets[a]!; k < end; k++) if (g.targets[k] === b) return g.weights[k]!;
  return 0;
}
