import { blend, contributionsAt } from './blend';
import type { RankContext, Reason } from './context';
import { applyFilters } from './filters';
import { dampSeen } from './novelty';
import { reasonsFor } from './reasons';
import { topK } from './top-k';

export type { RankContext, Reason, ReasonKind } from './context';
export type { RecommendRequest } from './request';

export interface Recommendation {
  id: string;
  score: number;
  reasons: Reason[];
}

/**
 * Ranks candidates for the shopper, in stages, each a module of its own:
 * 1. candidates (candidates.ts: the request's list or the whole catalog; the caller resolves
 *    them and scores their cosine to the profile's query, on tfjs in the worker);
 * 2. filters (filters.ts: unavailable, excluded, in the cart, just bought, removed interests);
 * 3. scores (blend.ts and signals/: similarity, sequence, affinities, prior, weighted);
 * 4. novelty (novelty.ts: items seen this session are damped);
 * 5. top-k (top-k.ts);
 * 6. reasons (reasons.ts).
 *
 * `similarity` is aligned with `candidates`.
 */
export function rank(ctx: RankContext, candidates: Int32Array, similarity: Float32Array): Recommendation[] {
  const pool = applyFilters(ctx, candidates, similarity);
  const scores = blend(ctx, pool);
  const total = scores.total;
  dampSeen(ctx, pool, total);
  return topK(total, ctx.request.k).map(({ index: c, score }) => {
    const item = pool.items[c]!;
    return {
      id: ctx.catalog.items[item]!.id,
      score: Math.round(score * 1e4) / 1e4,
      reasons: reasonsFor(ctx, item, contributionsAt(scores, c)),
    };
  });
}
