import { itemDetails, type Catalog, type ItemDetails } from '../catalog';
import { blend, contributionsAt } from './blend';
import type { RankContext, Reason } from './context';
import { applyFilters } from './filters';
import { diversify, wantsDiversity } from './diversity';
import { dampSeen } from './novelty';
import { exploreReason, reasonsFor } from './reasons';
import { applyPins, applyWeights, ruleReason } from './rules';
import { topK } from './top-k';

export type { RankContext, Reason, ReasonKind } from './context';
export type { RecommendRequest } from './request';

export interface Recommendation {
  id: string;
  score: number;
  reasons: Reason[];
  /** What a strip shows of the item, when the call asked for `details: true` (absent for an id the catalog lacks). */
  item?: ItemDetails;
}

/** Adds each catalog item's display fields to its result (`details: true`). */
export function withDetails(catalog: Catalog, items: Recommendation[]): Recommendation[] {
  return items.map((r) => {
    const i = catalog.index.get(r.id);
    return i === undefined ? r : { ...r, item: itemDetails(catalog, i) };
  });
}

/**
 * Ranks candidates for the shopper, in stages, each a module of its own:
 * 1. candidates (candidates.ts: the request's list or the whole catalog; the caller resolves
 *    them and scores their cosine to the profile's query, on tfjs in the worker);
 * 2. filters (filters.ts: unavailable, excluded, in the cart, just bought, removed interests,
 *    and the business rules' `filter` and `exclude`, rules.ts);
 * 3. scores (blend.ts and signals/: similarity, sequence, affinities, prior, weighted);
 * 4. novelty (novelty.ts: items seen this session are damped), then the rules' `boost` / `bury`;
 * 5. top-k (top-k.ts), or, when the request asks for `diversity`, `maxPerCategory` /
 *    `maxPerBrand` or `explore`, the diversity re-rank and explore slots (diversity.ts);
 * 6. pins (rules.ts: the rules' `pin`, last; a filtered item stays out);
 * 7. reasons (reasons.ts, a `rule` reason for each rule that moved the item, and `explore` on
 *    an explore slot).
 *
 * `similarity` is aligned with `candidates`. `requested` is every candidate of the request when
 * `candidates` is a shortlist of them (shortlist.ts): the sequence signal scales by the best of all.
 */
export function rank(ctx: RankContext, candidates: Int32Array, similarity: Float32Array, requested: Int32Array = candidates): Recommendation[] {
  const rules = ctx.rules ?? [];
  const pool = applyFilters(ctx, candidates, similarity, requested);
  const scores = blend(ctx, pool);
  const total = scores.total;
  dampSeen(ctx, pool, total);
  const moved = applyWeights(rules, ctx.catalog, pool.items, total, ctx.now);
  const picked = wantsDiversity(ctx.request) ? diversify(ctx, pool.items, total) : undefined;
  const list = picked ? picked.list : topK(total, ctx.request.k).map((s) => s.index);
  const pinned = applyPins(rules, ctx.catalog, pool.items, list, ctx.request.k, ctx.now);
  return list.map((c) => {
    const item = pool.items[c]!;
    const pin = pinned.get(c);
    const ruled = [...(pin ? [ruleReason(pin, 0)] : []), ...(picked?.explored.has(c) ? [exploreReason()] : []), ...(moved.get(c) ?? [])];
    return {
      id: ctx.catalog.items[item]!.id,
      score: Math.round(total[c]! * 1e4) / 1e4,
      reasons: [...ruled, ...reasonsFor(ctx, item, contributionsAt(scores, c))],
    };
  });
}
