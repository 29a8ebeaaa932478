import { buildSequenceBundle, type BuildOptions } from './bundle-builder';
import { decodeBundle, encodeBundle } from './bundle-format';
import { MetricAccumulator, type MetricSummary } from './next-item-metrics';
import { repeatFactor } from './ranker';
import { DEFAULT_RANKER_PARAMS, RANKER_PARAM_NAMES, type RankerParams } from './ranker-params';
import type { LogSession, SequenceBundle } from './types';
import { splitRecentSessions, type RecentSplitOptions } from './validation-split';

/**
 * Values the fit tries for each parameter, one coordinate at a time. Weights are log-spaced
 * because only their ratios matter; every default is on its grid, so the fit can always stay put.
 */
export const FIT_GRID: { readonly [K in keyof RankerParams]: readonly number[] } = {
  repeatWeight: [0, 0.1, 0.2, 0.35, 0.5, 0.7, 1, 1.4, 2, 3, 5, 8],
  nextWeight: [0, 0.1, 0.2, 0.35, 0.5, 0.7, 1, 1.4, 2, 3, 5, 8],
  simWeight: [0, 0.1, 0.2, 0.35, 0.5, 0.7, 1, 1.4, 2, 3, 5, 8],
  repeatDecay: [0, 0.13, 0.25, 0.35, 0.5, 0.7, 0.85, 1],
  nextDecay: [0, 0.05, 0.13, 0.25, 0.35, 0.5, 0.7, 0.85, 1],
  simDecay: [0, 0.13, 0.25, 0.35, 0.5, 0.7, 0.85, 1],
  popWeight: [0, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3],
  recentShare: [0, 0.25, 0.5, 0.75, 1],
  maxEvents: [2, 3, 5, 10, 20, 50],
  repeatAdapt: [0, 0.5, 1, 2],
};

/**
 * A second starting point, tried before the ascent: the peers that win where repeats dominate
 * (S-POP, SKNN) weigh the whole session alike, far from the defaults' focus on the last click, and
 * coordinate ascent from the defaults alone can stall before it gets there.
 */
const WHOLE_SESSION_START: Partial<RankerParams> = { nextDecay: 0.5, simDecay: 0.85, repeatDecay: 0.85, repeatWeight: 2 };

/** Options of {@link fitRankerParams}. */
export interface FitOptions {
  /** Builder options of the bundle being fitted (the validation bundle is built the same way). */
  readonly build?: Partial<BuildOptions>;
  /** Which recent sessions validate (default {@link RECENT_SPLIT}). */
  readonly split?: Partial<RecentSplitOptions>;
  /** Cost bound: at most this many validation predictions (the most recent sessions are kept). */
  readonly maxPredictions?: number;
  /** Cost bound: at most this many sweeps over all parameters. */
  readonly maxPasses?: number;
  /** Where the search starts (and what it keeps when nothing beats it). */
  readonly start?: RankerParams;
  /** Other starting points (changes of `start`), tried once each; the ascent starts from the best. */
  readonly starts?: readonly Partial<RankerParams>[];
  /** Parameters kept at their start value (for example repeatAdapt, to rank every shopper alike). */
  readonly fixed?: readonly (keyof RankerParams)[];
  /** A clock in milliseconds, to report the fit's cost (0 without one). */
  readonly now?: () => number;
}

/** What {@link fitRankerParams} found, and on what. */
export interface FitResult {
  /** The fitted weights; `start` when the log is too small to validate on. */
  readonly params: RankerParams;
  /** False when there was nothing to validate on (too few sessions or predictions). */
  readonly fitted: boolean;
  readonly validation: { readonly trainSessions: number; readonly sessions: number; readonly predictions: number };
  /** Validation metrics at the start point and at the fitted point. */
  readonly before: MetricSummary;
  readonly after: MetricSummary;
  /** Parameter sets replayed. */
  readonly evaluations: number;
  readonly ms: number;
}

/** The fit's objective, as the issue scores a ranker: HR@20 and MRR@20 weigh the same. */
export function fitObjective(m: MetricSummary): number {
  return m['hr@20'] + m['mrr@20'];
}

const LIMITS = { maxPredictions: 20_000, maxPasses: 4 };
/**
 * Below this many validation predictions the fit keeps its start point: one hit more or less
 * would move the objective by more than most real gains.
 */
const MIN_PREDICTIONS = 200;

/**
 * Fits the sequence ranker's weights to a store's own log: builds a bundle from all but the most
 * recent sessions ({@link splitRecentSessions}), replays the recent ones through it (session-rec
 * protocol, {@link ValidationReplay}) and runs coordinate ascent over {@link FIT_GRID} on
 * {@link fitObjective}: per parameter, the best grid value replaces the current one if it gains
 * more than one prediction's worth (1/predictions), so float noise and single lucky hits never
 * move it; sweeps repeat until nothing moves (at most 4). The cost is one replay per parameter
 * set tried (at most about 340), over at most 20,000 predictions. Deterministic: the same log and
 * options give the same weights.
 */
export function fitRankerParams(sessions: readonly LogSession[], opts: FitOptions = {}): FitResult {
  const now = opts.now ?? (() => 0);
  const t0 = now();
  const start = opts.start ?? DEFAULT_RANKER_PARAMS;
  const { train, validation } = splitRecentSessions(sessions, opts.split);
  const hasEvents = train.some((s) => s.events.length > 0);
  // Decoded bytes, so the fit sees the quantised weights the device will see.
  const bundle = hasEvents ? decodeBundle(encodeBundle(buildSequenceBundle(train, opts.build ?? {}))) : undefined;
  const replay = bundle ? new ValidationReplay(bundle, recentFirst(validation), opts.maxPredictions ?? LIMITS.maxPredictions) : undefined;
  const predictions = replay?.predictions ?? 0;
  const split = { trainSessions: train.length, sessions: validation.length, predictions };
  if (!replay || predictions < MIN_PREDICTIONS) {
    const none = new MetricAccumulator().summary();
    const before = replay ? replay.evaluate(start) : none;
    return { params: start, fitted: false, validation: split, before, after: before, evaluations: replay ? 1 : 0, ms: now() - t0 };
  }
  const cache = new Map<string, number>();
  const score = (p: RankerParams): number => {
    const key = RANKER_PARAM_NAMES.map((k) => p[k]).join(',');
    let s = cache.get(key);
    if (s === undefined) cache.set(key, (s = fitObjective(replay.evaluate(p))));
    return s;
  };
  const minGain = 1 / predictions;
  let params = start;
  let best = score(params);
  for (const change of opts.starts ?? [WHOLE_SESSION_START]) {
    const cand = { ...start, ...change };
    const s = score(cand);
    if (s > best + minGain) {
      params = cand;
      best = s;
    }
  }
  const names = (Object.keys(FIT_GRID) as (keyof RankerParams)[]).filter((k) => !opts.fixed?.includes(k));
  for (let pass = 0; pass < (opts.maxPasses ?? LIMITS.maxPasses); pass++) {
    let moved = false;
    for (const name of names) {
      let choice: RankerParams | undefined;
      let choiceScore = best + minGain;
      for (const v of FIT_GRID[name]) {
        if (v === params[name]) continue;
        const cand = { ...params, [name]: v };
        const s = score(cand);
        if (s > choiceScore) {
          choice = cand;
          choiceScore = s;
        }
      }
      if (choice) {
        params = choice;
        best = choiceScore;
        moved = true;
      }
    }
    if (!moved) break;
  }
  return {
    params,
    fitted: true,
    validation: split,
    before: replay.evaluate(start),
    after: replay.evaluate(params),
    evaluations: cache.size,
    ms: now() - t0,
  };
}

/**
 * Builds the bundle of a whole log with weights fitted on its own validation split: the fit
 * builds from the older sessions only, the published bundle from all of them.
 */
export function buildFittedBundle(
  sessions: readonly LogSession[],
  build: Partial<BuildOptions> = {},
  fit: Omit<FitOptions, 'build'> = {},
): { bundle: SequenceBundle; fit: FitResult } {
  const { extraItems: _catalogOnly, ...fitBuild } = build;
  const result = fitRankerParams(sessions, { ...fit, build: fitBuild });
  const bundle = buildSequenceBundle(sessions, build);
  return { bundle: result.fitted ? { ...bundle, params: result.params } : bundle, fit: result };
}

function recentFirst(sessions: readonly LogSession[]): LogSession[] {
  const end = (s: LogSession): number => s.events[s.events.length - 1]?.time ?? -Infinity;
  return [...sessions].map((s, i) => ({ s, i })).sort((a, b) => end(b.s) - end(a.s) || a.i - b.i).map((x) => x.s);
}

/**
 * The replay harness's metrics (`replaySessions` + `topK` on a `SequenceRanker`, session-rec
 * protocol) for many parameter sets over one set of predictions, without scoring the whole
 * catalog each time: it runs the ranker's score arithmetic (same Float32 steps, same order) on the
 * items the session's evidence touches only, and counts the untouched items that outrank the target
 * by a binary search over their popularity floor. The ranks, and so the metrics, are exactly
 * the harness's (fit.test.ts checks this); the cost grows with the evidence, not the catalog.
 */
export class ValidationReplay {
  /** Known items of all validation sessions, concatenated. */
  private readonly items: Int32Array;
  /** Per prediction: where its session starts in `items`, and where its target is. */
  private readonly sessionStart: Int32Array;
  private readonly targetAt: Int32Array;
  private readonly n: number;
  private readonly acc: Float32Array;
  private readonly mark: Int32Array;
  private readonly touched: Int32Array;
  /** Items in topK order of the popularity floor alone, per (popWeight, recentShare). */
  private readonly floors = new Map<string, { base: Float32Array; order: Int32Array; sorted: Float32Array }>();
  private stamp = 0;

  constructor(
    private readonly bundle: SequenceBundle,
    sessions: readonly LogSession[],
    maxPredictions = Infinity,
  ) {
    const index = new Map(bundle.itemIds.map((id, i) => [id, i]));
    const items: number[] = [];
    const starts: number[] = [];
    const targets: number[] = [];
    for (const s of sessions) {
      // Events of items the bundle lacks are dropped first, as replaySessions does.
      const known = s.events.map((e) => index.get(e.itemId)).filter((i): i is number => i !== undefined);
      if (known.length < 2) continue;
      if (targets.length + known.length - 1 > maxPredictions) break;
      const from = items.length;
      items.push(...known);
      for (let t = 1; t < known.length; t++) {
        starts.push(from);
        targets.push(from + t);
      }
    }
    this.items = Int32Array.from(items);
    this.sessionStart = Int32Array.from(starts);
    this.targetAt = Int32Array.from(targets);
    this.n = bundle.itemIds.length;
    this.acc = new Float32Array(this.n);
    this.mark = new Int32Array(this.n);
    this.touched = new Int32Array(this.n);
  }

  get predictions(): number {
    return this.targetAt.length;
  }

  /** HR/MRR/NDCG as replaySessions would report them for `new SequenceRanker(bundle, p)`. */
  evaluate(p: RankerParams): MetricSummary {
    const { acc, mark, touched, items } = this;
    const { offsets: nOff, targets: nTgt, weights: nW } = this.bundle.next;
    const { offsets: sOff, targets: sTgt, weights: sW } = this.bundle.similar;
    const { base, order, sorted: sortedBase } = this.floor(p.popWeight, p.recentShare);
    // The ranker's per-position weights, computed by the same expressions so they are the same numbers.
    const wNext = Float64Array.from({ length: p.maxEvents }, (_, q) => p.nextWeight * Math.pow(p.nextDecay, q));
    const wSim = Float64Array.from({ length: p.maxEvents }, (_, q) => p.simWeight * Math.pow(p.simDecay, q));
    const recent = new Int32Array(p.maxEvents);
    const out = new MetricAccumulator();
    let stamp = this.stamp;
    let nt = 0;
    const addRow = (off: Uint32Array, tgt: Uint32Array, w: Float32Array, a: number, weight: number): void => {
      for (let j = off[a]!, e = off[a + 1]!; j < e; j++) {
        const b = tgt[j]!;
        if (mark[b] !== stamp) {
          mark[b] = stamp;
          acc[b] = base[b]!;
          touched[nt++] = b;
        }
        acc[b]! += weight * w[j]!;
      }
    };
    for (let k = 0; k < this.targetAt.length; k++) {
      stamp++;
      nt = 0;
      const at = this.targetAt[k]!;
      const from = this.sessionStart[k]!;
      let m = 0;
      for (let j = at - 1; j >= from && m < p.maxEvents; j--) recent[m++] = items[j]!;
      const rw = p.repeatWeight * repeatFactor(recent, m, p.repeatAdapt);
      for (let q = 0; q < m; q++) {
        const a = recent[q]!;
        if (mark[a] !== stamp) {
          mark[a] = stamp;
          acc[a] = base[a]!;
          touched[nt++] = a;
        }
        // Same order as SequenceRanker.score: repeat, next row, similar row.
        acc[a]! += rw * Math.pow(p.repeatDecay, q);
        if (wNext[q]! > 0) addRow(nOff, nTgt, nW, a, wNext[q]!);
        if (wSim[q]! > 0) addRow(sOff, sTgt, sW, a, wSim[q]!);
      }
      const t = items[at]!;
      const st = mark[t] === stamp ? acc[t]! : base[t]!;
      // Items ahead of the target in topK's order: higher score, or equal score and lower index.
      let ahead = countAhead(sortedBase, order, st, t);
      for (let j = 0; j < nt; j++) {
        const i = touched[j]!;
        if (i === t) continue;
        const b = base[i]!;
        if (b > st || (b === st && i < t)) ahead--;
        const s = acc[i]!;
        if (s > st || (s === st && i < t)) ahead++;
      }
      out.add(ahead < 20 ? ahead + 1 : 0);
    }
    this.stamp = stamp;
    return out.summary();
  }

  /** The ranker's popularity floor, computed as it does (Float32 mix, then Float32 product), in topK order. */
  private floor(popWeight: number, recentShare: number): { base: Float32Array; order: Int32Array; sorted: Float32Array } {
    const key = `${popWeight},${recentShare}`;
    let f = this.floors.get(key);
    if (f) return f;
    const n = this.n;
    const pop = new Float32Array(n);
    for (let i = 0; i < n; i++) pop[i] = recentShare * this.bundle.recentPopularity[i]! + (1 - recentShare) * this.bundle.popularity[i]!;
    const base = new Float32Array(n);
    if (popWeight > 0) for (let i = 0; i < n; i++) base[i] = popWeight * pop[i]!;
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => base[b]! - base[a]! || a - b);
    f = { base, order, sorted: Float32Array.from(order, (i) => base[i]!) };
    this.floors.set(key, f);
    return f;
  }
}

/** How many entries of (sortedBase desc, order asc) come before (score, index) in topK's order. */
function countAhead(sortedBase: Float32Array, order: Int32Array, score: number, index: number): number {
  let lo = 0;
  let hi = sortedBase.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const b = sortedBase[mid]!;
    if (b > score || (b === score && order[mid]! < index)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
