import { suppressionTest } from '../profile/interests';
import { catalogColumns } from './columns';
import type { Pool, RankContext } from './context';
import { flagsFor, floatsFor, intsFor } from './scratch';
import { ruleFilter } from './rules';

/** Items bought this recently are not recommended again. */
export const JUST_BOUGHT_MS = 30 * 86_400_000;

/**
 * Stage 2, filters: drops what must never be shown before anything is scored: unavailable items,
 * ids the request excludes, the item the page is showing, the cart, what was bought in the last
 * {@link JUST_BOUGHT_MS}, interests the shopper removed, and what the business rules' `filter` and
 * `exclude` drop (rules.ts). Order is kept. `requested` is the pool's `requested` (see Pool).
 */
export function applyFilters(ctx: RankContext, candidates: Int32Array, similarity: Float32Array, requested: Int32Array = candidates): Pool {
  const { available, blocked, test } = eligibility(ctx);
  const items = intsFor(ctx, 'filters.items', candidates.length);
  const sim = floatsFor(ctx, 'filters.similarity', candidates.length);
  let n = 0;
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates[c]!;
    if (!available[i] || blocked[i] || (test && !test(i))) continue;
    items[n] = i;
    sim[n++] = similarity[c]!;
  }
  return { items: items.subarray(0, n), similarity: sim.subarray(0, n), requested };
}

/**
 * What the filters keep, in two parts: flags per catalog item, one byte read each (stock, and the
 * ids blocked by the request, the cart and recent purchases), and the tests that read the item
 * itself (removed interests, the rules' `filter` / `exclude`), undefined when there are none;
 * and the blocked items as a list (a few), for a caller that keeps flags of its own.
 * An item stays when it is available, not blocked, and passes `test`.
 */
export function eligibility(ctx: RankContext): { available: Uint8Array; blocked: Uint8Array; blockedItems: number[]; test: ((i: number) => boolean) | undefined } {
  const { catalog, profile: p, request: req, now } = ctx;
  const blocked = flagsFor(ctx, 'filters.blocked', catalog.items.length);
  const blockedItems: number[] = [];
  const block = (id: string) => {
    const i = catalog.index.get(id);
    if (i === undefined) return;
    blocked[i] = 1;
    blockedItems.push(i);
  };
  req.exclude?.forEach(block);
  if (req.context?.itemId !== undefined) block(req.context.itemId);
  Object.keys(p.cart).forEach(block);
  for (const purchase of p.purchases) if (now - purchase.time < JUST_BOUGHT_MS) purchase.itemIds.forEach(block);
  const suppressed = suppressionTest(p);
  const keep = ruleFilter(ctx.rules ?? [], { catalog, profile: p, now, currentItem: req.context?.itemId });
  const test = suppressed || keep ? (i: number) => !suppressed?.(catalog.items[i]!) && (!keep || keep(i)) : undefined;
  return { available: catalogColumns(catalog).available, blocked, blockedItems, test };
}
