import { LocalrecError } from '../errors';
import { blend, contributionsAt } from './blend';
import type { RankContext } from './context';
import type { Recommendation } from './rank';
import { reasonsFor } from './reasons';
import { applyPins, applyWeights, ruleReason, ruleTests, type Rule, type RuleInput } from './rules';

/** At most this many ids per `rerank()` call. */
export const MAX_RERANK_IDS = 1000;
/** How personal a rerank is when the store does not say: halfway between its order and the profile's. */
export const DEFAULT_STRENGTH = 0.5;

/** What `rerank(ids, options)` takes besides the ids. */
export interface RerankOptions {
  /** 0 keeps the store's order, 1 orders by the profile alone (default 0.5). */
  strength?: number;
  /** The store's name for the list ("search-results"): given back on the result. */
  placement?: string;
  /** Put each catalog item's display fields on its result as `item`; default false. */
  details?: boolean;
  /**
   * Business rules for this call, applied with the store-wide ones. The result stays a
   * permutation: what a `filter` or `exclude` rule drops moves to the end (in the store's order),
   * `boost` / `bury` add / subtract their weight to a score that runs from 0 to 1, `pin` places
   * its item among the catalog's items. The built-in filters (out of stock, cart) do not apply.
   */
  rules?: RuleInput[];
}

/** Checks a rerank call from the page; throws `LocalrecError('invalid_argument')` naming the field. */
export function validateRerank(ids: unknown, options: unknown = {}): { ids: string[]; strength: number; placement?: string; details: boolean; rules?: RuleInput[] } {
  const bad = (field: string, what: string): never => {
    throw new LocalrecError('invalid_argument', `rerank(): \`${field}\` ${what}.`, field);
  };
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) bad('ids', 'must be an array of item ids');
  if ((ids as string[]).length > MAX_RERANK_IDS) bad('ids', `must have at most ${MAX_RERANK_IDS} ids`);
  if (typeof options !== 'object' || options === null) bad('options', 'must be an object such as { strength: 0.5 }');
  const { strength = DEFAULT_STRENGTH, placement, details = false, rules } = options as Record<string, unknown>;
  if (typeof strength !== 'number' || !(strength >= 0 && strength <= 1)) bad('strength', 'must be a number from 0 to 1');
  if (placement !== undefined && (typeof placement !== 'string' || placement.length > 200)) bad('placement', 'must be a name of at most 200 characters');
  if (typeof details !== 'boolean') bad('details', 'must be true or false');
  if (rules !== undefined && !Array.isArray(rules)) bad('rules', 'must be an array of rules');
  return {
    ids: ids as string[], strength: strength as number, details: details as boolean,
    ...(placement === undefined ? {} : { placement: placement as string }), ...(rules === undefined ? {} : { rules: rules as RuleInput[] }),
  };
}

/**
 * Reorders a list the store rendered: each catalog item's score is
 * `(1 - strength) * positionPrior + strength * personalScore`, where the prior falls linearly
 * from 1 (the store's first) to 0 (its last) and the personal score is the blend (blend.ts),
 * scaled to [0, 1] over the list. Nothing is damped (novelty.ts), and the result is always a
 * permutation of `ids`: ids the catalog lacks keep their places (score 0, no reasons) and catalog
 * items are reordered among the other places. `candidates` are the catalog indices of `ids` in
 * order (candidateIndices), `similarity` their cosine to the profile's query.
 *
 * Business rules (`ctx.rules`) apply in recommend()'s order, adapted to a list that must keep
 * every id: the built-in filters (out of stock, cart, just bought) do not apply, since the store
 * chose the list; an item a `filter` or `exclude` rule drops moves to the end instead, the moved
 * items in the store's order, with a reason naming the rule; `boost` / `bury` add / subtract their
 * weight to the score above (which runs from 0 to 1, so a weight above 1 outweighs both the order and the profile); `pin`
 * puts its item at its position among the catalog's items, unless a rule moved it to the end.
 */
export function rerank(ctx: RankContext, ids: readonly string[], strength: number, candidates: Int32Array, similarity: Float32Array): Recommendation[] {
  const n = candidates.length;
  const { catalog, profile, now } = ctx;
  const rules = ctx.rules ?? [];
  const scores = blend(ctx, { items: candidates, similarity, requested: candidates });
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores.total) {
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  const final = Float32Array.from(scores.total, (s, j) => (1 - strength) * (n > 1 ? 1 - j / (n - 1) : 1) + strength * (hi > lo ? (s - lo) / (hi - lo) : 0));
  const weighed = applyWeights(rules, catalog, candidates, final, now);
  // Which rule, if any, sends each list position to the end.
  const tests = ruleTests(rules, { catalog, profile, now });
  const sentBack: (Rule | undefined)[] = Array.from(candidates, (i) => tests.find(([, keep]) => !keep(catalog.items[i]!))?.[0]);
  const kept = Array.from(final.keys()).filter((j) => !sentBack[j]).sort((a, b) => final[b]! - final[a]! || a - b);
  // Pins see only the kept items: a moved item's catalog index is hidden from them.
  const pinned = applyPins(rules, catalog, candidates.map((i, j) => (sentBack[j] ? -1 : i)), kept, kept.length, now);
  const order = [...kept, ...Array.from(final.keys()).filter((j) => sentBack[j])];
  let next = 0;
  return ids.map((id) => {
    if (!catalog.index.has(id)) return { id, score: 0, reasons: [] };
    const j = order[next++]!;
    const item = candidates[j]!;
    const back = sentBack[j];
    const pin = pinned.get(j);
    const ruled = [...(back ? [ruleReason(back, 0)] : []), ...(pin ? [ruleReason(pin, 0)] : []), ...(weighed.get(j) ?? [])];
    return { id: catalog.items[item]!.id, score: Math.round(final[j]! * 1e4) / 1e4, reasons: [...ruled, ...reasonsFor(ctx, item, contributionsAt(scores, j))] };
  });
}
