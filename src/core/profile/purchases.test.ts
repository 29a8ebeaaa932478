import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { validateEvent, type CleanEventOf } from '../events';
import { T0, testCatalogJson } from '../testing/fixtures';
import { applyEvent } from './apply-event';
import { isRepeatPurchase, linesTotal, purchaseRecord, valueDisagreesWithLines, VALUE_TO_LINES_MAX_RATIO } from './purchases';
import { emptyProfile, PROFILE_SETTINGS } from './state';

const catalog = parseCatalog(testCatalogJson());
const purchase = (e: Record<string, unknown>, t = T0) => validateEvent({ type: 'purchase', items: [], ...e, time: t }, t) as CleanEventOf<'purchase'>;

describe('linesTotal', () => {
  it('sums price × quantity, pricing lines by the catalog when the event does not, a missing quantity one unit', () => {
    expect(linesTotal(purchase({ items: [{ itemId: 'k1', quantity: 2 }, { itemId: 'x', price: 1.5 }] }), catalog)).toEqual({ total: 27, complete: true });
    expect(linesTotal(purchase({ items: [{ itemId: 'k1' }, { itemId: 'ghost' }] }), catalog)).toEqual({ total: 12.75, complete: false });
    expect(linesTotal(purchase({ items: [{ itemId: 'k1' }] }), undefined)).toBeUndefined();
    expect(linesTotal(purchase({}), catalog)).toBeUndefined();
  });
});

describe('valueDisagreesWithLines', () => {
  it('tolerates tax, shipping and discounts, and flags unit bugs', () => {
    // Shopify's total with tax and shipping, a 1.00 item with 9.00 shipping, a 95% coupon, a free order.
    for (const [value, lines] of [[884.94, 749.95], [10, 1], [1, 19.9], [0, 50], [12, 0]] as const) expect(valueDisagreesWithLines(value, lines)).toBe(false);
    // Cents sent as units, "1.234,56" read as 123456, a value of one line of a 30-line order.
    for (const [value, lines] of [[2990, 29.9], [123456, 1234.56], [2, 60]] as const) expect(valueDisagreesWithLines(value, lines)).toBe(true);
    expect(valueDisagreesWithLines(VALUE_TO_LINES_MAX_RATIO * 10, 10)).toBe(false);
    expect(valueDisagreesWithLines(VALUE_TO_LINES_MAX_RATIO * 10 + 0.01, 10)).toBe(true);
  });
});

describe('purchaseRecord', () => {
  it('keeps a stated value, flagging one its fully priced lines contradict, and keeps it as stated', () => {
    expect(purchaseRecord(purchase({ items: [{ itemId: 'k1', price: 29.9 }], value: 2990, currency: 'EUR', orderId: 'A1' }), catalog))
      .toEqual({ time: T0, value: 2990, currency: 'EUR', itemIds: ['k1'], orderId: 'A1', valueMismatch: true });
    // A line without a price (here unknown to the catalog too) leaves nothing to contradict.
    expect(purchaseRecord(purchase({ items: [{ itemId: 'k1', price: 29.9 }, { itemId: 'ghost' }], value: 2990 }), catalog)).not.toHaveProperty('valueMismatch');
  });

  it('derives a missing value from the lines, else records 0 as unknown', () => {
    const derived = purchaseRecord(purchase({ items: [{ itemId: 'k2', quantity: 3 }] }), catalog);
    expect(derived).toMatchObject({ currency: 'GBP', itemIds: ['k2'] });
    expect(derived.value).toBeCloseTo(8.85, 9);
    expect(derived).not.toHaveProperty('valueUnknown');
    expect(purchaseRecord(purchase({ items: [{ itemId: 'ghost' }] }), catalog)).toMatchObject({ value: 0, valueUnknown: true });
    expect(purchaseRecord(purchase({}), undefined)).toEqual({ time: T0, value: 0, currency: '', itemIds: [], valueUnknown: true });
  });
});

describe('isRepeatPurchase', () => {
  it('recognises an order id already recorded, and nothing else', () => {
    const p = emptyProfile(64, T0);
    const first = purchase({ items: [{ itemId: 'k1', price: 12.75 }], value: 12.75, orderId: '5340655878402' });
    expect(isRepeatPurchase(p, first)).toBe(false);
    applyEvent(p, first, catalog);
    // The store fires the confirmation again, converted (numbers as strings, other lines): the same order.
    expect(isRepeatPurchase(p, purchase({ items: [{ itemId: 'k1' }], value: 12.75, orderId: '5340655878402' }, T0 + 5_000))).toBe(true);
    expect(isRepeatPurchase(p, purchase({ items: [{ itemId: 'k1' }], value: 12.75, orderId: '5340655878403' }))).toBe(false);
    // Without an order id, a second purchase cannot be told from a repeat order: it counts.
    applyEvent(p, purchase({ items: [{ itemId: 'k2' }] }), catalog);
    expect(isRepeatPurchase(p, purchase({ items: [{ itemId: 'k2' }] }))).toBe(false);
    expect(isRepeatPurchase(p, validateEvent({ type: 'view', itemId: 'k1' }, T0))).toBe(false);
  });

  it('remembers the last maxPurchases orders', () => {
    const p = emptyProfile(64, T0);
    const n = PROFILE_SETTINGS.maxPurchases;
    for (let i = 0; i <= n; i++) applyEvent(p, purchase({ orderId: `o${i}` }, T0 + i), catalog);
    expect(isRepeatPurchase(p, purchase({ orderId: 'o0' }))).toBe(false);
    expect(isRepeatPurchase(p, purchase({ orderId: 'o1' }))).toBe(true);
    expect(isRepeatPurchase(p, purchase({ orderId: `o${n}` }))).toBe(true);
  });
});
