import type { Pool, RankContext } from './context';

/**
 * Items the shopper already looked at in this session keep this share of their score: still
 * candidates (people do go back), but the strip is not filled with what they just saw.
 */
export const SEEN_DAMPING = 0.5;

/**
 * Stage 4, novelty: damps (in place) the scores of items already seen this session, by the
 * context's `seenDamping` when it gives one (1 = no damping).
 */
export function dampSeen({ catalog, profile, seenDamping = SEEN_DAMPING }: RankContext, pool: Pool, scores: Float32Array): void {
  if (seenDamping === 1) return;
  const seen = new Set<number>();
  for (const e of profile.session.events) {
    const i = e.itemId === undefined ? undefined : catalog.index.get(e.itemId);
    if (i !== undefined) seen.add(i);
  }
  if (seen.size === 0) return;
  for (let c = 0; c < scores.length; c++) if (seen.has(pool.items[c]!)) scores[c] = scores[c]! * seenDamping;
}
