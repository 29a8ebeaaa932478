/**
 * What a purchase adds to the shopper's order history: what it was worth (stores' tracking often
 * leaves the total out, or states it in the wrong unit) and whether the store fired it before.
 */
import type { Catalog } from '../catalog';
import type { CleanEvent, CleanEventOf } from '../events';
import type { Profile, PurchaseRecord } from './state';

type Purchase = CleanEventOf<'purchase'>;

/**
 * How far a stated order value may sit from its lines before the record is flagged. Tax,
 * shipping and discounts move a real total away from its lines (a 1.00 item with 9.00 shipping is
 * 10×, a 95% coupon 1/20), so the band is wide; what falls outside it is nearly always a unit
 * bug: cents sent as units, or "1.234,56" read as 123456 (factors of 100 and 1000).
 */
export const VALUE_TO_LINES_MAX_RATIO = 20;

/**
 * Σ price × quantity over the lines, each priced by the event or else by the catalog, a missing
 * quantity counting one unit. `complete` says every line had a price; undefined when none had.
 */
export function linesTotal(e: Purchase, catalog: Catalog | undefined): { total: number; complete: boolean } | undefined {
  let total = 0;
  let priced = 0;
  for (const line of e.items) {
    const i = catalog?.index.get(line.itemId);
    const price = line.price ?? (i === undefined ? undefined : catalog!.items[i]!.price);
    if (price === undefined) continue;
    total += price * (line.quantity ?? 1);
    priced++;
  }
  return priced === 0 ? undefined : { total, complete: priced === e.items.length };
}

/** True when both figures are positive and more than {@link VALUE_TO_LINES_MAX_RATIO} apart. */
export function valueDisagreesWithLines(value: number, linesValue: number): boolean {
  const R = VALUE_TO_LINES_MAX_RATIO;
  return value > 0 && linesValue > 0 && (value > linesValue * R || value * R < linesValue);
}

/**
 * The order-history record of a purchase. Its value is the event's `value` when it states one
 * (flagged `valueMismatch` when fully priced lines disagree beyond the tolerance: which of the two
 * is wrong cannot be told, so the store's figure is kept and marked); otherwise the lines' total
 * as {@link linesTotal} prices them; otherwise 0, flagged `valueUnknown`, which is not spend. A
 * purchase that names no currency is taken to be in the catalog's.
 *
 * @example
 * purchaseRecord({ type: 'purchase', items: [{ itemId: 'k1', quantity: 2 }], orderId: '1001', time }, catalog)
 * // { time, value: 25.5, currency: 'GBP', itemIds: ['k1'], orderId: '1001' } (k1 costs 12.75 in the catalog)
 */
export function purchaseRecord(e: Purchase, catalog: Catalog | undefined): PurchaseRecord {
  const lines = linesTotal(e, catalog);
  const record: PurchaseRecord = { time: e.time, value: 0, currency: e.currency ?? catalog?.currency ?? '', itemIds: e.items.map((l) => l.itemId) };
  if (e.orderId !== undefined) record.orderId = e.orderId;
  if (e.value !== undefined) {
    record.value = e.value;
    if (lines?.complete && valueDisagreesWithLines(e.value, lines.total)) record.valueMismatch = true;
  } else if (lines) {
    record.value = lines.total;
  } else {
    record.valueUnknown = true;
  }
  return record;
}

/**
 * True when `e` is a purchase whose order id the profile already holds: stores fire the
 * confirmation twice (a reload of the thank-you page, two tags on it), and counting the order
 * twice would double the shopper's spend and frequency. The caller acknowledges such an event
 * and does not apply it. The history is capped (`PROFILE_SETTINGS.maxPurchases`), so it is the
 * last orders that are recognised.
 *
 * @example
 * if (isRepeatPurchase(profile, event)) return { stored: false, reason: 'duplicate' };
 */
export function isRepeatPurchase(p: Profile, e: CleanEvent): boolean {
  if (e.type !== 'purchase' || e.orderId === undefined) return false;
  const orderId = e.orderId;
  return p.purchases.some((r) => r.orderId === orderId);
}
