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
 * `exclude` drop (rules.ts). Order is kept.
 */
export function applyFilters(ctx: RankContext, candidates: Int32Array, similarity: Float32Array): Pool {
  const { catalog, profile: p, request: req, now } = ctx;
  const blocked = flagsFor(ctx, 'filters.blocked', catalog.items.length);
  const block = (id: string) => {
    const i = catalog.index.get(id);
    if (i !== undefined) blocked[i] = 1;
  };
  req.exclude?.forEach(block);
  if (req.context?.itemId !== undefined) block(req.context.itemId);
  Object.keys(p.cart).forEach(block);
  for (const purchase of p.purchases) if (now - purchase.time < JUST_BOUGHT_MS) purchase.itemIds.forEach(block);
  const suppressed = suppressionTest(p);
  const keep = ruleFilter(ctx.rules ?? [], { catalog, profile: p, now, currentItem: req.context?.itemId });

  const { available } = catalogColumns(catalog);
  const items = intsFor(ctx, 'filters.items', candidates.length);
  const sim = floatsFor(ctx, 'filters.similarity', candidates.length);
  let n = 0;
  for (let c = 0; c < candidates.length; c++) {
    const i = candidates[c]!;
    if (!available[i] || blocked[i] || suppressed?.(catalog.items[i]!) || (keep && !keep(i))) continue;
    items[n] = i;
    sim[n++] = similarity[c]!;
  }
  return { items: items.subarray(0, n), similarity: sim.subarray(0, n), requested: candidates };
}
