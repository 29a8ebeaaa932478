import { LocalrecError } from '../errors';
import { ItemIndex } from './item-index';
import type { BundleMeta, LogSession, NeighbourGraph, SequenceBundle } from './types';

/** How {@link buildSequenceBundle} learns from a log; defaults were tuned on a validation split. */
export interface BuildOptions {
  /**
   * Privacy floor: a pair or rule seen in fewer distinct sessions than this is not published,
   * nor is the popularity of an item seen in fewer sessions. 1 publishes everything.
   */
  readonly minSupport: number;
  /** Neighbours kept per item in each graph. */
  readonly neighbours: number;
  /** Sequential rules: pairs (a before b) up to this distance form rule a→b. */
  readonly ruleSteps: number;
  /** Similar graph: pairs up to this distance apart (either order) count. */
  readonly simWindow: number;
  /** Similar graph: a pair d positions apart weighs exp(-(d-1)/simDecay) (STAN's "inh"). */
  readonly simDecay: number;
  /** Similar graph: weight of pairs where the neighbour came BEFORE the item (after = 1). */
  readonly simBackward: number;
  /** Similar graph: each session's pairs are divided by length^simLengthNorm (cosine-like). */
  readonly simLengthNorm: number;
  /** Similar graph: a neighbour's score is divided by its session count^simPopNorm (idf-like). */
  readonly simPopNorm: number;
  /**
   * Similar graph: weight of two-hop neighbours (a→b→c adds w(a,b)·w(b,c)·simHops). Computed from
   * pairs that already passed minSupport, so it publishes nothing new about any session, and it
   * gives rare items neighbours their own few sessions cannot.
   */
  readonly simHops: number;
  /** Days at the end of the log that `recentPopularity` counts. */
  readonly recentDays: number;
  /** Catalog items to include even without events (they get a slot but no evidence). */
  readonly extraItems?: readonly string[];
}

/** Defaults of {@link BuildOptions}. */
export const DEFAULT_BUILD_OPTIONS: BuildOptions = {
  minSupport: 2,
  neighbours: 60,
  ruleSteps: 20,
  simWindow: 23,
  simDecay: 2,
  simBackward: 1,
  simLengthNorm: 0.5,
  simPopNorm: 0.4,
  simHops: 0.5,
  recentDays: 1,
};

const DAY = 86400;

/** `options` over the defaults, checked: the one place every builder (in memory, SQL counts) reads its options from. */
export function buildOptions(options: Partial<BuildOptions> = {}): BuildOptions {
  const o: BuildOptions = { ...DEFAULT_BUILD_OPTIONS, ...options };
  if (!Number.isInteger(o.minSupport) || o.minSupport < 1) {
    throw new LocalrecError('invalid_argument', `minSupport must be a whole number >= 1, got ${o.minSupport}.`);
  }
  return o;
}

/**
 * Learns a {@link SequenceBundle} from training sessions: item popularity (all time and recent),
 * sequential rules (pair a→b at distance d weighs 1/d², as session-rec's SR "quadratic") and an
 * item-to-item "similar sessions" score that approximates session kNN (STAN/VSTAN) linearly: a
 * session that holds both items adds a weight that decays with their distance and shrinks for
 * long sessions. Each graph keeps its strongest `neighbours` per item, scaled to a max of 1.
 */
export function buildSequenceBundle(sessions: readonly LogSession[], options: Partial<BuildOptions> = {}): SequenceBundle {
  const o = buildOptions(options);
  const index = new ItemIndex([...sessions.flatMap((s) => s.events.map((e) => e.itemId)), ...(o.extraItems ?? [])]);
  const n = index.size;
  if (n === 0) throw new LocalrecError('invalid_data', 'The training log holds no events; nothing to build a bundle from.');

  let lastTime = -Infinity;
  for (const s of sessions) for (const e of s.events) lastTime = Math.max(lastTime, e.time);
  if (lastTime === -Infinity) lastTime = 0;
  const lastDay = Math.floor(lastTime / DAY);
  const recentFrom = (lastDay - o.recentDays + 1) * DAY;

  const pop = new Float64Array(n);
  const recent = new Float64Array(n);
  const itemSessions = new Float64Array(n);
  const recentSessions = new Float64Array(n);
  const seenRecent = new Int32Array(n).fill(-1);
  const rules = new PairTable();
  const sim = new PairTable();
  const seen = new Int32Array(n).fill(-1);
  const ruleWeight = (d: number): number => 1 / (d * d);
  const simWeight = (d: number): number => Math.exp(-(d - 1) / o.simDecay);

  sessions.forEach((s, sid) => {
    const items = s.events.map((e) => index.indexOf(e.itemId)!);
    const len = items.length;
    const lenNorm = Math.pow(len, -o.simLengthNorm);
    for (let v = 0; v < len; v++) {
      const b = items[v]!;
      pop[b]! += 1;
      if (s.events[v]!.time >= recentFrom) {
        recent[b]! += 1;
        if (seenRecent[b] !== sid) {
          seenRecent[b] = sid;
          recentSessions[b]! += 1;
        }
      }
      if (seen[b] !== sid) {
        seen[b] = sid;
        itemSessions[b]! += 1;
      }
      for (let d = 1; d <= Math.max(o.ruleSteps, o.simWindow) && v - d >= 0; d++) {
        const a = items[v - d]!;
        // Self rules (a→a) stay, as in session-rec's SR: they say how often an item is re-clicked.
        if (d <= o.ruleSteps) rules.add(a, b, ruleWeight(d), sid);
        if (d <= o.simWindow && a !== b) {
          const w = simWeight(d) * lenNorm;
          sim.add(a, b, w, sid);
          sim.add(b, a, w * o.simBackward, sid);
        }
      }
    }
  });

  // Items seen in fewer than minSupport sessions keep their id (the catalog is public) but
  // publish no popularity.
  for (let i = 0; i < n; i++) {
    if (itemSessions[i]! < o.minSupport) pop[i] = 0;
    if (recentSessions[i]! < o.minSupport) recent[i] = 0;
  }
  const simScale = (b: number): number => Math.pow(Math.max(itemSessions[b]!, 1), -o.simPopNorm);
  const meta: BundleMeta = { lastDay, recentDays: o.recentDays, minSupport: o.minSupport };
  return {
    itemIds: index.ids,
    popularity: scaleToMax(pop),
    recentPopularity: scaleToMax(recent),
    next: rules.toGraph(n, o.neighbours, o.minSupport, () => 1),
    similar: expandTwoHop(sim.toGraph(n, o.neighbours, o.minSupport, simScale), o.simHops, o.neighbours),
    meta,
  };
}

/** Adds two-hop neighbours with weight `lambda`, keeps the `keep` strongest, rescales rows to max 1. */
function expandTwoHop(g: NeighbourGraph, lambda: number, keep: number): NeighbourGraph {
  if (lambda <= 0) return g;
  const n = g.offsets.length - 1;
  const offsets = new Uint32Array(n + 1);
  const targets: number[] = [];
  const weights: number[] = [];
  const acc = new Map<number, number>();
  for (let a = 0; a < n; a++) {
    acc.clear();
    for (let k = g.offsets[a]!; k < g.offsets[a + 1]!; k++) acc.set(g.targets[k]!, g.weights[k]!);
    for (let k = g.offsets[a]!; k < g.offsets[a + 1]!; k++) {
      const b = g.targets[k]!;
      const w = lambda * g.weights[k]!;
      for (let j = g.offsets[b]!; j < g.offsets[b + 1]!; j++) {
        const c = g.targets[j]!;
        if (c !== a) acc.set(c, (acc.get(c) ?? 0) + w * g.weights[j]!);
      }
    }
    const kept = [...acc].sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, keep);
    const max = kept[0]?.[1] ?? 1;
    for (const [b, w] of kept) {
      targets.push(b);
      weights.push(w / max);
    }
    offsets[a + 1] = targets.length;
  }
  return { offsets, targets: Uint32Array.from(targets), weights: Float32Array.from(weights) };
}

function scaleToMax(v: Float64Array): Float32Array {
  let max = 0;
  for (const x of v) max = Math.max(max, x);
  const out = new Float32Array(v.length);
  if (max > 0) for (let i = 0; i < v.length; i++) out[i] = v[i]! / max;
  return out;
}

/** Accumulates weighted directed pairs with the number of distinct sessions that hold each. */
class PairTable {
  private readonly slot = new Map<number, number>();
  private src: number[] = [];
  private dst: number[] = [];
  private weight: number[] = [];
  private support: number[] = [];
  private lastSession: number[] = [];
  private static readonly STRIDE = 2 ** 26;

  add(a: number, b: number, w: number, sessionIdx: number): void {
    const key = a * PairTable.STRIDE + b;
    let k = this.slot.get(key);
    if (k === undefined) {
      k = this.src.length;
      this.slot.set(key, k);
      this.src.push(a);
      this.dst.push(b);
      this.weight.push(0);
      this.support.push(0);
      this.lastSession.push(-1);
    }
    this.weight[k]! += w;
    if (this.lastSession[k] !== sessionIdx) {
      this.lastSession[k] = sessionIdx;
      this.support[k]! += 1;
    }
  }

  /** Top `keep` pairs per source with support ≥ minSupport, weights scaled to a max of 1. */
  toGraph(n: number, keep: number, minSupport: number, dstScale: (b: number) => number): NeighbourGraph {
    const bySrc: number[][] = Array.from({ length: n }, () => []);
    for (let k = 0; k < this.src.length; k++) {
      if (this.support[k]! >= minSupport) bySrc[this.src[k]!]!.push(k);
    }
    return topNeighbours(bySrc.map((ks) => ks.map((k) => ({ b: this.dst[k]!, w: this.weight[k]! * dstScale(this.dst[k]!) }))), keep);
  }
}

/** Each source's `keep` best-scored targets (ties by target index), scaled to a max of 1, as a graph. */
function topNeighbours(scoredBySrc: { b: number; w: number }[][], keep: number): NeighbourGraph {
  const offsets = new Uint32Array(scoredBySrc.length + 1);
  const targets: number[] = [];
  const weights: number[] = [];
  scoredBySrc.forEach((scored, a) => {
    // Ties by target index keep the build deterministic.
    scored.sort((x, y) => y.w - x.w || x.b - y.b);
    const kept = scored.slice(0, keep);
    const max = kept[0]?.w ?? 1;
    for (const { b, w } of kept) {
      targets.push(b);
      weights.push(w / max);
    }
    offsets[a + 1] = targets.length;
  });
  return { offsets, targets: Uint32Array.from(targets), weights: Float32Array.from(weights) };
}

/** Weighted item pairs of one graph, as a store-side engine returns them (positions in `itemIds`). */
export interface PairRows {
  readonly src: Int32Array;
  readonly dst: Int32Array;
  readonly weight: Float64Array;
}

/**
 * What {@link buildSequenceBundle} counts, computed elsewhere (the store-side build's SQL,
 * tools/store-build/): per item its events and distinct sessions, over all time and over the
 * recent days, and per graph the pairs that passed the minimum support, with their summed
 * weights (any common scale), including every candidate for an item's strongest `neighbours`.
 */
export interface BundleCounts {
  /** Item ids in any order; the other arrays follow it. */
  readonly itemIds: readonly string[];
  readonly events: Float64Array;
  readonly sessions: Float64Array;
  readonly recentEvents: Float64Array;
  readonly recentSessions: Float64Array;
  readonly next: PairRows;
  readonly similar: PairRows;
  /** Days since 1970-01-01 (UTC) of the last event. */
  readonly lastDay: number;
}

/**
 * The bundle {@link buildSequenceBundle} would learn, from counts aggregated elsewhere: the same
 * item order, support floor, neighbour cut (ties by item order), idf-like scaling, two-hop
 * expansion and scaling to a max of 1.
 */
export function bundleFromCounts(counts: BundleCounts, options: Partial<BuildOptions> = {}): SequenceBundle {
  const o = buildOptions(options);
  const index = new ItemIndex([...counts.itemIds, ...(o.extraItems ?? [])]);
  const n = index.size;
  if (n === 0) throw new LocalrecError('invalid_data', 'The training log holds no events; nothing to build a bundle from.');
  const at = counts.itemIds.map((id) => index.indexOf(id)!);
  const pop = new Float64Array(n);
  const recent = new Float64Array(n);
  const itemSessions = new Float64Array(n);
  counts.itemIds.forEach((_, k) => {
    const i = at[k]!;
    itemSessions[i] = counts.sessions[k]!;
    if (counts.sessions[k]! >= o.minSupport) pop[i] = counts.events[k]!;
    if (counts.recentSessions[k]! >= o.minSupport) recent[i] = counts.recentEvents[k]!;
  });
  const graph = (rows: PairRows, dstScale: (b: number) => number): NeighbourGraph => {
    const bySrc: { b: number; w: number }[][] = Array.from({ length: n }, () => []);
    for (let k = 0; k < rows.src.length; k++) {
      const b = at[rows.dst[k]!]!;
      bySrc[at[rows.src[k]!]!]!.push({ b, w: rows.weight[k]! * dstScale(b) });
    }
    return topNeighbours(bySrc, o.neighbours);
  };
  const simScale = (b: number): number => Math.pow(Math.max(itemSessions[b]!, 1), -o.simPopNorm);
  return {
    itemIds: index.ids,
    popularity: scaleToMax(pop),
    recentPopularity: scaleToMax(recent),
    next: graph(counts.next, () => 1),
    similar: expandTwoHop(graph(counts.similar, simScale), o.simHops, o.neighbours),
    meta: { lastDay: counts.lastDay, recentDays: o.recentDays, minSupport: o.minSupport },
  };
}
