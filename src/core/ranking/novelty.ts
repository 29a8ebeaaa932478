import type { Pool, RankContext } from './context';
import { flagsFor } from './scratch';

/**
 * Items the shopper already looked at in this session keep this share of their score: still
 * candidates (people do go back), but the strip is not filled with what they just saw.
 */
export const SEEN_DAMPING = 0.5;

/**
 * Stage 4, novelty: damps (in place) the scores of items already seen this session, by the
 * context's `seenDamping` when it gives one (1 = no damping).
 */
export function dampSeen(ctx: RankContext, pool: Pool, scores: Float32Array): void {
  const { catalog, profile, seenDamping = SEEN_DAMPING } = ctx;
  if (seenDamping === 1) return;
  // A flag per catalog item: one byte read per candidate, where a Set would hash each.
  let seen: Uint8Array | undefined;
  for (const e of profile.session.events) {
    const i = e.itemId === undefined ? undefined : catalog.index.get(e.itemId);
    if (i !== undefined) (seen ??= flagsFor(ctx, 'novelty.seen', catalog.items.length))[i] = 1;
  }
  if (!seen) return;
  for (let c = 0; c < scores.length; c++) if (seen[pool.items[c]!]) scores[c] = scores[c]! * seenDamping;
}
