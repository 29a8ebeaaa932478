import type { Catalog } from '../catalog';
import { effectiveWeight, SIGNAL_NAMES, SIGNALS, RANK_WEIGHTS } from './blend';
import type { RankContext } from './context';
import { wantsDiversity } from './diversity';
import { eligibility } from './filters';
import { seenList } from './novelty';
import { rank, type Recommendation } from './rank';
import { markWeighted, pinnedItems } from './rules';
import { catalogColumns } from './columns';
import { flagsFor, floatsFor, intsFor } from './scratch';
import type { ItemLookup } from './signals/signal';

/**
 * Approximate cosines of the catalog rows with the profile's query (the worker's int8 kernel),
 * with a bound: `|exact cosine of row i − values[i]| ≤ rowScale[i] × queryError`.
 */
export interface ApproxSimilarity {
  /** Per catalog row. */
  readonly values: Float32Array;
  /** Per catalog row. */
  readonly rowScale: Float32Array;
  readonly queryError: number;
}

/** Below this many candidates the exact cosine of every one is cheap: no shortlist. */
export const SHORTLIST_MIN_CANDIDATES = 2000;

/**
 * Float32 rounding in the exact blend, per unit of the largest possible total: each part and the
 * total are rounded to float32 (at most 2⁻²⁴ of the total each, a dozen roundings), and the
 * approximate total below is summed in float64 from float32 tables. 1e-5 leaves a wide margin.
 */
const ROUNDING = 1e-5;

/** A candidate's state in the single pass (markWeighted writes 1: MOVED); OUT | MOVED counts as moved. */
const MOVED = 1;
const OUT = 2;

const outOfStockCache = new WeakMap<Catalog, Uint8Array>();

/** OUT for each catalog item out of stock, else 0: built once per catalog, copied per call. */
function outOfStock(catalog: Catalog): Uint8Array {
  let flags = outOfStockCache.get(catalog);
  if (!flags) {
    flags = catalogColumns(catalog).available.map((a) => (a ? 0 : OUT));
    outOfStockCache.set(catalog, flags);
  }
  return flags;
}

/**
 * Ranks as rank() does, but computes the exact cosine of a shortlist only (a few dozen to a few
 * hundred of 100,000 candidates), so the matrix is read as int8, a quarter of its float32 bytes:
 *
 * 1. one pass over every candidate: its blended total with the approximate cosine, and a bound
 *    on that total's error (the similarity weight × the cosine's bound, plus float32 rounding).
 *    The other signals come from lookups (`Signal.lookup`: per-call tables by category, brand and
 *    price band, and dense columns), the cheap filters from flags; the filters that read the item
 *    itself run only for a candidate about to set the threshold;
 * 2. the threshold: the k-th best lower bound. At least k items score at least that, so any
 *    candidate whose upper bound is below it cannot be in the top k, and is left out;
 * 3. rank() on the rest, with their exact cosines (`exact`), as if they were all the candidates.
 *
 * The stages after the blend move scores by more than the bound: the items they touch (seen this
 * session, boosted or buried, pinned) are always kept and never set the threshold. A request that
 * needs every candidate's total (diversity, explore) or has few candidates is ranked exactly.
 * The result is rank()'s on the exact cosines of every candidate, score for score. `approx` is
 * called only when the shortlist is used (undefined: every cosine is 0, exactly).
 */
export function rankShortlisted(
  ctx: RankContext, candidates: Int32Array, approx: () => ApproxSimilarity | undefined, exact: (items: Int32Array) => Float32Array,
  minCandidates = SHORTLIST_MIN_CANDIDATES,
): Recommendation[] {
  const lookups = candidates.length >= minCandidates && !wantsDiversity(ctx.request) ? signalLookups(ctx, candidates) : undefined;
  if (!lookups) return rank(ctx, candidates, exact(candidates));
  const n = candidates.length;
  const upper = floatsFor(ctx, 'shortlist.upper', n);
  const threshold = upperBounds(ctx, candidates, approx(), lookups, upper);
  const items = intsFor(ctx, 'shortlist.items', n);
  let m = 0;
  for (let c = 0; c < n; c++) if (upper[c]! >= threshold) items[m++] = candidates[c]!;
  const kept = items.slice(0, m);
  return rank(ctx, kept, exact(kept), candidates);
}

type Slot = { column: Int32Array; table: Float32Array };
type Dense = { values: Float32Array; scale: number };
interface Lookups {
  /** The similarity's weight. */
  similarity: number;
  /** The sum of all weights: every part is in [0, its weight], so no total exceeds it. */
  weights: number;
  slots: { indexed: Slot[]; dense: Dense[] };
}

/** The blend's weights and lookups for this call; undefined when a weighted signal has none, or too many. */
function signalLookups(ctx: RankContext, requested: Int32Array): Lookups | undefined {
  const tables: { weight: number; lookup: ItemLookup }[] = [];
  let weights = 0;
  for (const name of SIGNAL_NAMES) {
    const weight = effectiveWeight(ctx, name, RANK_WEIGHTS);
    weights += weight;
    if (weight === 0 || name === 'similarity') continue;
    const signal = SIGNALS[name];
    if (!('lookup' in signal)) return undefined;
    const lookup = signal.lookup(ctx, requested);
    if (lookup) tables.push({ weight, lookup });
  }
  const s = slots(ctx, tables);
  return s && { similarity: effectiveWeight(ctx, 'similarity', RANK_WEIGHTS), weights, slots: s };
}

/**
 * The lookups as the single pass reads them: up to three indexed ones (weight folded into the
 * table) and two dense ones (weight folded into the scale), unused slots reading zeros. Fixed
 * slots keep the pass one monomorphic loop; a blend with more lookups ranks exactly instead.
 */
function slots(ctx: RankContext, tables: { weight: number; lookup: ItemLookup }[]): Lookups['slots'] | undefined {
  const indexed: Slot[] = [];
  const dense: Dense[] = [];
  for (const { weight, lookup } of tables) {
    if ('column' in lookup) indexed.push({ column: lookup.column, table: lookup.table.map((v) => weight * v) });
    else dense.push({ values: lookup.values, scale: weight * lookup.scale });
  }
  if (indexed.length > 3 || dense.length > 2) return undefined;
  // An unused slot reads a column the catalog has anyway, through zeros: no array to fill per call.
  const cols = catalogColumns(ctx.catalog);
  while (indexed.length < 3) indexed.push({ column: cols.category, table: new Float32Array(cols.categories.length) });
  while (dense.length < 2) dense.push({ values: ctx.catalog.prior, scale: 0 });
  return { indexed, dense };
}

/**
 * Steps 1 and 2 in one pass: into `upper` (aligned with `candidates`) each candidate's upper
 * bound, while a heap keeps the k best lower bounds; returns the threshold (the k-th best lower
 * bound, -Infinity when fewer than k candidates pass the filters). A candidate the flags filter
 * out gets -Infinity, one a later stage moves +Infinity (kept, and never part of the threshold).
 */
function upperBounds(ctx: RankContext, candidates: Int32Array, approx: ApproxSimilarity | undefined, lookups: Lookups, upper: Float32Array): number {
  const { catalog, request, now } = ctx;
  const rules = ctx.rules ?? [];
  const { blockedItems, test } = eligibility(ctx);
  // One byte per catalog item, read once per candidate: 0 in play, OUT filtered, MOVED by a later
  // stage. Out of stock first (a copy), then the moved items (one out of stock may turn MOVED: it
  // is kept, and rank() filters it), then the blocked ones.
  const state = flagsFor(ctx, 'shortlist.state', catalog.items.length);
  state.set(outOfStock(catalog));
  for (const i of seenList(ctx)) state[i] = state[i]! | MOVED;
  markWeighted(rules, catalog, candidates, now, state);
  for (const i of pinnedItems(rules, catalog, request.k, now)) state[i] = MOVED;
  for (const i of blockedItems) state[i] = OUT;
  const [{ column: c0, table: t0 }, { column: c1, table: t1 }, { column: c2, table: t2 }] = lookups.slots.indexed as [Slot, Slot, Slot];
  const [{ values: d0, scale: w0 }, { values: d1, scale: w1 }] = lookups.slots.dense as [Dense, Dense];
  const wSim = lookups.similarity;
  // Without a query every cosine is exactly 0: the prior's column stands in, read with weight 0.
  const values = approx?.values ?? catalog.prior;
  const rowScale = approx?.rowScale ?? catalog.prior;
  const wValues = approx ? wSim : 0;
  const simError = approx ? wSim * approx.queryError : 0;
  const rounding = ROUNDING * (1 + lookups.weights);
  const best = new LowerBounds(request.k);
  let floor = best.floor;
  // The whole catalog (the usual request) is read in order, without the index array.
  const whole = candidates === catalogColumns(catalog).all;
  for (let c = 0; c < candidates.length; c++) {
    const i = whole ? c : candidates[c]!;
    const flag = state[i]!;
    if (flag === OUT) {
      upper[c] = -Infinity;
    } else if (flag !== 0) {
      upper[c] = Infinity;
    } else {
      const total = wValues * Math.max(0, values[i]!) + t0[c0[i]!]! + t1[c1[i]!]! + t2[c2[i]!]! + w0 * d0[i]! + w1 * d1[i]!;
      const error = simError * rowScale[i]! + rounding;
      upper[c] = total + error;
      // The item filters run only for a candidate that would raise the threshold.
      if (total - error > floor && (!test || test(i))) floor = best.add(total - error);
    }
  }
  return best.threshold;
}

/** The k largest values offered, in a min-heap: its root is the k-th largest once k were offered. */
class LowerBounds {
  private readonly heap: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.heap = new Float64Array(k);
  }

  /** What a value must exceed to enter: -Infinity until k are kept. */
  get floor(): number {
    return this.size === this.k ? this.heap[0]! : -Infinity;
  }

  /** The k-th largest value, or -Infinity when fewer than k were offered (k = 0: +Infinity). */
  get threshold(): number {
    return this.k === 0 ? Infinity : this.floor;
  }

  /** Keeps `v` (above `floor`), dropping the smallest when full; returns the new floor. */
  add(v: number): number {
    const { heap, k } = this;
    if (k === 0) return Infinity;
    let pos: number;
    if (this.size < k) {
      pos = this.size++;
      while (pos > 0 && heap[(pos - 1) >> 1]! > v) {
        heap[pos] = heap[(pos - 1) >> 1]!;
        pos = (pos - 1) >> 1;
      }
    } else {
      pos = 0;
      for (;;) {
        const l = 2 * pos + 1;
        if (l >= k) break;
        const m = l + 1 < k && heap[l + 1]! < heap[l]! ? l + 1 : l;
        if (heap[m]! >= v) break;
        heap[pos] = heap[m]!;
        pos = m;
      }
    }
    heap[pos] = v;
    return this.floor;
  }
}

/**
 * The selection on its own: the positions `c`, in order, whose upper bound `total[c] + error[c]`
 * reaches the k-th best lower bound `total[c] - error[c]` among the candidates that pass
 * `eligible` (asked only of one about to raise the threshold); all of them when fewer than k
 * pass. -Infinity totals are out. (rankShortlisted does the same inside its single pass.)
 */
export function shortlist(total: Float32Array, error: Float32Array, k: number, eligible: ((c: number) => boolean) | undefined, out: Int32Array): Int32Array {
  const best = new LowerBounds(k);
  let floor = best.floor;
  for (let c = 0; c < total.length; c++) {
    const low = total[c]! - error[c]!;
    if (low > floor && (!eligible || eligible(c))) floor = best.add(low);
  }
  const threshold = best.threshold;
  let n = 0;
  for (let c = 0; c < total.length; c++) {
    const t = total[c]!;
    if (t > -Infinity && t + error[c]! >= threshold) out[n++] = c;
  }
  return out.subarray(0, n);
}
