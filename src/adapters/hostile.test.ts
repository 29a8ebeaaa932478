import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDataLayer, readSegment, readShopifyPixel } from './index';

const throwing = (keys: string[]) => Object.defineProperties({}, Object.fromEntries(keys.map((k) => [k, { enumerable: true, get() { throw new Error(`no ${k}`); } }])));
const trapsThatThrow = new Proxy({}, {
  get() { throw new Error('get'); }, has() { throw new Error('has'); }, ownKeys() { throw new Error('ownKeys'); },
  getOwnPropertyDescriptor() { throw new Error('gopd'); }, getPrototypeOf() { throw new Error('proto'); },
});
const revoked = (() => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
})();
function deep(levels: number): Record<string, unknown> {
  let o: Record<string, unknown> = { item_id: 'deep' };
  for (let i = 0; i < levels; i++) o = { items: [o], ecommerce: o };
  return o;
}
function cyclic(): Record<string, unknown> {
  const items: unknown[] = [];
  const ecommerce: Record<string, unknown> = { items, currency: 'EUR' };
  items.push({ item_id: 'a', price: 2, parent: ecommerce }, items);
  ecommerce.self = ecommerce;
  return { event: 'add_to_cart', ecommerce };
}

/** The readers' output is plain data: it clones and round-trips through JSON unchanged. */
function expectPlain(events: unknown): void {
  expect(Array.isArray(events)).toBe(true);
  expect(structuredClone(events)).toEqual(events);
  expect(JSON.parse(JSON.stringify(events))).toEqual(events);
}

const HOSTILE: unknown[] = [
  throwing(['event', 'ecommerce', '0', 'items', 'eventModel', 'transactionId']), trapsThatThrow, revoked, deep(10_000), cyclic(),
  Object.create(null), Symbol('entry'), 10n, () => 'purchase', new String('purchase'), new Date(0), new Map([['event', 'purchase']]),
  { event: Symbol('purchase') }, { event: 'purchase', ecommerce: { items: [throwing(['item_id', 'price']), trapsThatThrow, revoked], value: 5n } },
  { event: 'view_item', ecommerce: { items: new Array(1e9) } }, { event: 'view_item', items: new Proxy([], { get: (_t, k) => (k === 'length' ? 1e12 : { item_id: 'x' }) }) },
  { 0: 'event', 1: 'purchase', 2: throwing(['items', 'value', 'transaction_id']) }, { 0: 'event', 1: trapsThatThrow, 2: revoked },
  { event: 'purchase', ecommerce: { items: [{ item_id: { toString() { throw new Error('toString'); } }, price: { valueOf() { throw new Error('valueOf'); } } }] } },
  { ecommerce: { detail: throwing(['products']), impressions: revoked } }, { transactionId: 'T', transactionProducts: [trapsThatThrow] },
];

describe('hostile input', () => {
  it('the dataLayer reader never throws, reads the rest of the layer, and returns plain data', () => {
    const good = { event: 'view_item', ecommerce: { items: [{ item_id: 'ok' }] } };
    for (const entry of HOSTILE) {
      const out = readDataLayer([entry, good]);
      expectPlain(out);
      expect(out.at(-1)).toEqual({ type: 'view', itemId: 'ok' });
    }
    for (const entries of [trapsThatThrow, revoked, null, undefined, 'x', { length: 3 }, new Proxy([], { get: (_t, k) => (k === 'length' ? 1e15 : undefined) })]) {
      expect(readDataLayer(entries as unknown as unknown[])).toEqual([]);
    }
  });

  it('loses only the field that cannot be read, not the rest of the entry', () => {
    const items = [throwing(['item_id', 'id']), { item_id: 'b', price: 4 }, revoked];
    expect(readDataLayer([{ event: 'view_item_list', ecommerce: { items } }])).toEqual([{ type: 'impression', itemIds: ['b'] }]);
    expect(readDataLayer([{ event: 'add_to_cart', ecommerce: Object.assign(throwing(['currency', 'value']), { items: [{ item_id: 'a', price: 4 }] }) }]))
      .toEqual([{ type: 'add_to_cart', itemId: 'a', price: 4 }]);
    expect(readSegment('track', 'Order Completed', Object.assign(throwing(['revenue']), { total: 9, products: [{ product_id: 'p' }] })))
      .toEqual([{ type: 'purchase', items: [{ itemId: 'p' }], value: 9 }]);
  });

  it('a cyclic payload reads like its plain part', () => {
    expect(readDataLayer([cyclic()])).toEqual([{ type: 'add_to_cart', itemId: 'a', price: 2, currency: 'EUR' }]);
  });

  it('cuts item lists at the length track() accepts', () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ item_id: `i${i}` }));
    const [impression] = readDataLayer([{ event: 'view_item_list', ecommerce: { items } }]);
    expect(impression).toMatchObject({ type: 'impression' });
    expect((impression as { itemIds: string[] }).itemIds).toHaveLength(1000);
  });

  it('the Segment and Shopify readers never throw either', () => {
    for (const v of HOSTILE) {
      expectPlain(readSegment('track', 'Order Completed', v));
      expectPlain(readSegment('track', 'Product Added', v));
      expectPlain(readSegment(v as string, v as string, v));
      expectPlain(readShopifyPixel(v as { name: string; data: unknown }));
      for (const name of ['product_viewed', 'collection_viewed', 'product_added_to_cart', 'checkout_completed', 'search_submitted']) {
        expectPlain(readShopifyPixel({ name, data: v }));
        expectPlain(readShopifyPixel({ name, data: { checkout: v, cartLine: v, productVariant: v, collection: v, searchResult: v } }));
      }
    }
  });

  it('never throws for arbitrary values, anywhere in a payload (fast-check)', () => {
    const anything = fc.anything({ maxDepth: 3, withBigInt: true, withNullPrototype: true, withSparseArray: true });
    const names = fc.constantFrom('purchase', 'view_item', 'add_to_cart', 'view_item_list', 'search', 'select_item', 'page_view', 'Order Completed', 'Product Added', 'Products Searched');
    const payload = fc.oneof(anything, fc.record({ items: fc.array(anything, { maxLength: 4 }), value: anything, currency: anything, transaction_id: anything }));
    const entry = fc.oneof(
      anything,
      fc.record({ event: fc.oneof(names, anything), ecommerce: fc.oneof(payload, fc.constant(null)), items: anything }, { requiredKeys: [] }),
      fc.tuple(fc.constant('event'), names, payload),
      fc.record({ ecommerce: fc.record({ detail: anything, add: anything, impressions: fc.array(anything, { maxLength: 4 }), purchase: anything }, { requiredKeys: [] }) }),
    );
    fc.assert(fc.property(fc.array(entry, { maxLength: 8 }), (entries) => expectPlain(readDataLayer(entries))), { numRuns: 2000 });
    fc.assert(fc.property(fc.oneof(fc.constant('track'), anything), fc.oneof(names, anything), payload,
      (method, event, properties) => expectPlain(readSegment(method as string, event as string, properties))), { numRuns: 1000 });
    const shopifyNames = fc.constantFrom('product_viewed', 'collection_viewed', 'search_submitted', 'product_added_to_cart', 'product_removed_from_cart', 'checkout_completed');
    fc.assert(fc.property(fc.oneof(shopifyNames, anything), anything, (name, data) => expectPlain(readShopifyPixel({ name: name as string, data }))), { numRuns: 1000 });
  });
});
