import { describe, expect, it } from 'vitest';
import { dataLayerReadings, readDataLayer } from './data-layer';
import { ga4Type } from './ga4';
import { toNormalised } from './reading';

const read = (...entries: unknown[]) => dataLayerReadings(entries).map(toNormalised);
const args = (...a: unknown[]): IArguments => (function (this: void, ..._: unknown[]) {
  return arguments;
})(...a);

/** Google's GA4 developer guide example (measure e-commerce, purchase), items trimmed to what the rules read. */
const GOOGLE_PURCHASE = {
  transaction_id: 'T_12345', value: 30.03, tax: 4.9, shipping: 5.99, currency: 'USD', coupon: 'SUMMER_SALE',
  items: [
    { item_id: 'SKU_12345', item_name: 'Stan and Friends Tee', price: 10.01, quantity: 3 },
    { item_id: 'SKU_12346', item_name: "Google Grey Women's Tee", price: 21.01, quantity: 2 },
  ],
};

describe('GA4 event names', () => {
  it('map by suffix after lower-casing and stripping to [a-z0-9]', () => {
    const cases: [string, string][] = [
      ['view_item', 'view'], ['view_item_list', 'impression'], ['select_item', 'click'], ['add_to_cart', 'add_to_cart'],
      ['remove_from_cart', 'remove_from_cart'], ['purchase', 'purchase'], ['search', 'search'], ['view_search_results', 'search'],
      ['addToCart', 'add_to_cart'], ['AddToCart', 'add_to_cart'], ['Add to Cart', 'add_to_cart'], ['Remove from Cart', 'remove_from_cart'],
      ['dl_purchase', 'purchase'], ['websensepro_purchase', 'purchase'], ['analyzify_purchase', 'purchase'],
      ['trytagging_view_search_result', 'search'], ['dl_view_item', 'view'], ['VIEW_ITEM_LIST', 'impression'],
    ];
    for (const [name, type] of cases) expect([name, ga4Type(name)]).toEqual([name, type]);
  });

  it('read every other name as none', () => {
    for (const name of ['view_cart', 'begin_checkout', 'add_shipping_info', 'add_payment_info', 'refund', 'add_to_wishlist',
      'view_promotion', 'select_promotion', 'page_view', 'Completed Order', 'gtm4wp.addProductToCart', 'gtm.js', '', 'purchase_made']) {
      expect([name, ga4Type(name)]).toEqual([name, 'none']);
    }
    expect(ga4Type(42)).toBe('none');
  });
});

describe('gtag calls', () => {
  it('read the event command, from a real Arguments object, an array or its JSON form alike', () => {
    const expected = [{ type: 'purchase', itemIds: ['SKU_12345', 'SKU_12346'], value: 30.03, currency: 'USD', orderId: 'T_12345' }];
    expect(read(args('event', 'purchase', GOOGLE_PURCHASE))).toEqual(expected);
    expect(read(['event', 'purchase', GOOGLE_PURCHASE])).toEqual(expected);
    expect(read({ 0: 'event', 1: 'purchase', 2: GOOGLE_PURCHASE })).toEqual(expected);
    expect(Object.prototype.toString.call(args())).toBe('[object Arguments]');
  });

  it('read config, js, set and consent as none', () => {
    expect(read(args('js', new Date(0)), args('config', 'G-XXXX'), args('set', { currency: 'USD' }), args('consent', 'default', {})))
      .toEqual(Array.from({ length: 4 }, () => ({ type: 'none', itemIds: [] })));
  });

  it('neither read nor change the carried ecommerce', () => {
    const items = { ecommerce: { items: [{ item_id: 'a' }] } };
    expect(read(items, args('event', 'view_item'), { event: 'add_to_cart' }).map((e) => e.type)).toEqual(['none', 'none', 'add_to_cart']);
  });

  it('take the parameters as the entry for the root-level fallbacks', () => {
    expect(read(args('event', 'search', { search_term: ' t-shirts ' }))).toEqual([{ type: 'search', itemIds: [], query: 't-shirts' }]);
    // A purchase is emitted even with no parameters at all.
    expect(read(args('event', 'purchase'))).toEqual([{ type: 'purchase', itemIds: [] }]);
  });
});

describe('dataLayer objects', () => {
  it('read the GTM pattern: a clear, then the event with its ecommerce', () => {
    expect(read({ ecommerce: null }, { event: 'view_item', ecommerce: { currency: 'usd', value: 30.03, items: [{ item_id: 'SKU_12345', price: 10.01, quantity: 3 }] } }))
      .toEqual([{ type: 'none', itemIds: [] }, { type: 'view', itemIds: ['SKU_12345'], quantity: 3, price: 10.01, value: 30.03, currency: 'USD' }]);
  });

  it('carry ecommerce to a later event that has none, until a clear', () => {
    const product = { ecommerce: { currency: 'EUR', items: [{ item_id: 'a', price: '2,50' }] } };
    expect(read(product, { event: 'view_item' })).toEqual([
      { type: 'none', itemIds: [] }, { type: 'view', itemIds: ['a'], price: 2.5, currency: 'EUR' },
    ]);
    expect(read(product, { ecommerce: null }, { event: 'view_item' }).map((e) => e.type)).toEqual(['none', 'none', 'none']);
    // An event with its own ecommerce key never reads the carried one, even when its own is null.
    expect(read(product, { event: 'view_item', ecommerce: null }).map((e) => e.type)).toEqual(['none', 'none']);
    // Each call starts afresh.
    expect(readDataLayer([product])).toEqual([]);
    expect(readDataLayer([{ event: 'view_item' }])).toEqual([]);
  });

  it('need a non-empty string event', () => {
    const body = { ecommerce: { items: [{ item_id: 'a' }] } };
    for (const event of [null, '', 7]) expect(read({ ...body, event }).map((e) => e.type)).toEqual(['none']);
    expect(read({ ...body, Event: 'view_item' }).map((e) => e.type)).toEqual(['none']);
  });

  it('take parameters from eventModel first, then ecommerce.items, then root-level items', () => {
    expect(read({ event: 'view_item', eventModel: { items: [{ item_id: 'm' }] }, ecommerce: { items: [{ item_id: 'e' }] }, items: [{ item_id: 'r' }] })[0]!.itemIds).toEqual(['m']);
    expect(read({ event: 'view_item', ecommerce: { items: [{ item_id: 'e' }] }, items: [{ item_id: 'r' }] })[0]!.itemIds).toEqual(['e']);
    expect(read({ event: 'view_item', ecommerce: { currency: 'EUR' }, items: [{ item_id: 'r', price: 1 }] })[0])
      .toEqual({ type: 'view', itemIds: ['r'], price: 1 });
  });

  it('read the item id by priority item_id, id, item_sku, sku, never the name', () => {
    const ids = read({ event: 'view_item_list', ecommerce: { items: [
      { item_id: ' A ', id: 'x' }, { id: 7, item_sku: 'x' }, { item_sku: 'C', sku: 'x' }, { sku: 'D' }, { item_name: 'E' }, null, 'F',
    ] } })[0]!.itemIds;
    expect(ids).toEqual(['A', '7', 'C', 'D']);
  });

  it('fall back to the entry for value, currency and transaction_id, and to the first item for the currency', () => {
    expect(read({ event: 'purchase', value: '74,70', currency: 'eur', transaction_id: 10482, ecommerce: { items: [{ item_id: 'a' }, { item_id: 'b' }] } }))
      .toEqual([{ type: 'purchase', itemIds: ['a', 'b'], value: 74.7, currency: 'EUR', orderId: '10482' }]);
    expect(read({ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'a', price: 3, currency: 'GBP' }] } })[0]).toMatchObject({ price: 3, currency: 'GBP' });
    expect(read({ event: 'add_to_cart', ecommerce: { currencyCode: 'JPY', items: [{ item_id: 'a', price: 3, currency: 'GBP' }] } })[0]!.currency).toBe('JPY');
    expect(read({ event: 'add_to_cart', currencyCode: 'CHF', ecommerce: { items: [{ item_id: 'a', price: 3, currency: 'GBP' }] } })[0]!.currency).toBe('CHF');
    // ecommerce's own value wins over the root's.
    expect(read({ event: 'purchase', value: 1, ecommerce: { value: 2, items: [] } })[0]!.value).toBe(2);
  });

  it('emit a search or an itemless purchase with no items anywhere', () => {
    expect(read({ event: 'search', search_term: 'mugs' })).toEqual([{ type: 'search', itemIds: [], query: 'mugs' }]);
    expect(read({ event: 'view_search_results', ecommerce: { search_term: 'lamps' } })).toEqual([{ type: 'search', itemIds: [], query: 'lamps' }]);
    expect(read({ event: 'purchase', ecommerce: { transaction_id: 'T1', value: 9, currency: 'USD' } }))
      .toEqual([{ type: 'purchase', itemIds: [], value: 9, currency: 'USD', orderId: 'T1' }]);
    expect(read({ event: 'search' })).toEqual([{ type: 'none', itemIds: [] }]);
  });

  it('store a GA4 body without an event and emit nothing for it', () => {
    expect(read({ ecommerce: { items: [{ item_id: 'a' }] } })).toEqual([{ type: 'none', itemIds: [] }]);
  });

  it('read what is not an object, and functions, as none', () => {
    expect(read(null, 'purchase', 42, () => undefined, undefined).map((e) => e.type)).toEqual(['none', 'none', 'none', 'none', 'none']);
  });

  it('read a UA body under a GA4 event name as UA, and GA4 items before a UA body', () => {
    expect(read({ event: 'purchase', ecommerce: { detail: { products: [{ id: 'p' }] } } })[0]).toEqual({ type: 'view', itemIds: ['p'] });
    expect(read({ event: 'view_item', ecommerce: { items: [{ item_id: 'g' }], add: { products: [{ id: 'p' }] } } })[0]).toEqual({ type: 'view', itemIds: ['g'] });
  });

  it('turns the readings into track() events', () => {
    expect(readDataLayer([args('event', 'add_to_cart', { currency: 'EUR', value: 20.02, items: [{ item_id: 'a', price: 10.01, quantity: 2 }] })]))
      .toEqual([{ type: 'add_to_cart', itemId: 'a', quantity: 2, price: 10.01, value: 20.02, currency: 'EUR' }]);
    expect(readDataLayer([{ event: 'view_item_list', ecommerce: { items: [{ item_id: 'a' }, { item_id: 'b' }] } }, { event: 'page_view' }]))
      .toEqual([{ type: 'impression', itemIds: ['a', 'b'] }]);
  });
});
