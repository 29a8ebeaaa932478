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
  const { seenDamping = SEEN_DAMPING } = ctx;
  const seen = seenItems(ctx);
  if (!seen) return;
  for (let c = 0; c < scores.length; c++) if (seen[pool.items[c]!]) scores[c] = scores[c]! * seenDamping;
}

/** A flag per catalog item seen this session, when damping applies and there is one (else undefined). */
export function seenItems(ctx: RankContext): Uint8Array | undefined {
  const list = seenList(ctx);
  if (list.length === 0) return undefined;
  // A flag per catalog item: one byte read per candidate, where a Set would hash each.
  const seen = flagsFor(ctx, 'novelty.seen', ctx.catalog.items.length);
  for (const i of list) seen[i] = 1;
  return seen;
}

/** The catalog indices of the items seen this session (repeats included), when damping applies. */
export function seenList(ctx: RankContext): number[] {
  const { catalog, profile, seenDamping = SEEN_DAMPING } = ctx;
  const out: number[] = [];
  if (seenDamping === 1) return out;
  for (const e of profile.session.events) {
    const i = e.itemId === undefined ? undefined : catalog.index.get(e.itemId);
    if (i !== undefined) out.push(i);
  }
  return out;
}
