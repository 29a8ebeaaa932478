import type { Pool, RankContext, Reason } from '../context';

/**
 * One source of evidence in the blend. To add one: a module in this folder, and a line in
 * `SIGNALS` and `RANK_WEIGHTS` (blend.ts).
 */
export interface Signal {
  /**
   * One value per pool item, in [0, 1], written into `out` (every entry; it may hold anything
   * before) and returned; the blend multiplies it by the signal's weight. Without `out`, a new array.
   */
  values(ctx: RankContext, pool: Pool, out?: Float32Array): Float32Array;
  /**
   * The reason this signal gives for the item at catalog index `item`, whose score it raised by
   * `contribution`; undefined when it has nothing a shopper would recognise.
   */
  reason(ctx: RankContext, item: number, contribution: number): Reason | undefined;
  /**
   * A fallback reason: given only when no other signal explains the item, or when this one
   * outweighs them all (popularity is nobody's personal reason).
   */
  readonly fallback?: boolean;
  /**
   * False when the signal can tell nothing apart in this ranking: it reads catalog fields that
   * every item shares or that no two items share (see `catalogVariety`). The blend then gives it
   * no weight, so it adds neither a constant (which would change what novelty damping does) nor
   * noise. Absent means always informative.
   */
  informative?(ctx: RankContext): boolean;
  /**
   * The signal's value for any catalog item as a lookup, for the shortlist's single pass over
   * every candidate (shortlist.ts): equal to `values()` up to float32 rounding. `requested` is the
   * request's candidates (see Pool). Undefined: 0 for every item. Absent: the value needs the
   * pool's own data (the similarity), which the shortlist handles itself.
   */
  lookup?(ctx: RankContext, requested: Int32Array): ItemLookup | undefined;
}

/** A value per catalog item `i`: `table[column[i]]` (one entry per distinct field value), or `values[i] × scale`. */
export type ItemLookup =
  | { readonly column: Int32Array; readonly table: Float32Array }
  | { readonly values: Float32Array; readonly scale: number };
