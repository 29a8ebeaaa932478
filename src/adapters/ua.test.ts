import { describe, expect, it } from 'vitest';
import { dataLayerReadings } from './data-layer';
import { toNormalised } from './reading';

const read = (...entries: unknown[]) => dataLayerReadings(entries).map(toNormalised);
const product = (id: string, more: object = {}) => ({ id, name: `Product ${id}`, ...more });

describe('Universal Analytics Enhanced Ecommerce', () => {
  it('reads the guide pushes, which carry no event', () => {
    expect(read({ ecommerce: { detail: { actionField: { list: 'Apparel Gallery' }, products: [product('P12345', { price: '15.25' })] } } }))
      .toEqual([{ type: 'view', itemIds: ['P12345'], price: 15.25 }]);
    expect(read({ ecommerce: { currencyCode: 'EUR', impressions: [product('P12345', { price: '15.25' }), product('P67890', { price: '33.75' })] } }))
      .toEqual([{ type: 'impression', itemIds: ['P12345', 'P67890'] }]);
    expect(read({
      ecommerce: { purchase: {
        actionField: { id: 'T12345', affiliation: 'Online Store', revenue: '35.43', tax: '4.90', shipping: '5.99' },
        products: [product('12345', { price: '15.25', quantity: 1 }), product('67890', { price: '33.75', quantity: 1 })],
      } },
    })).toEqual([{ type: 'purchase', itemIds: ['12345', '67890'], value: 35.43, orderId: 'T12345' }]);
  });

  it('takes the type from the action key, never the event name', () => {
    expect(read({ event: 'addToCart', ecommerce: { currencyCode: 'EUR', add: { products: [product('a', { price: '2', quantity: 3 })] } } }))
      .toEqual([{ type: 'add_to_cart', itemIds: ['a'], quantity: 3, price: 2, currency: 'EUR' }]);
    expect(read({ event: 'gtm.dom', ecommerce: { remove: { products: [product('a')] } } })).toEqual([{ type: 'remove_from_cart', itemIds: ['a'] }]);
    expect(read({ event: 'productClick', ecommerce: { click: { actionField: { list: 'Search Results' }, products: [product('a')] } } }))
      .toEqual([{ type: 'click', itemIds: ['a'] }]);
  });

  it('emits the actions in a fixed order, then the impressions last', () => {
    const ecommerce = { impressions: [product('i')], purchase: { products: [product('p')] }, add: { products: [product('a')] }, detail: { products: [product('d')] } };
    expect(read({ ecommerce }).map((e) => e.type)).toEqual(['view', 'add_to_cart', 'purchase', 'impression']);
  });

  it('says nothing for checkout, checkout options, refunds and promotions, and one none per entry', () => {
    for (const key of ['checkout', 'checkout_option', 'refund', 'promoView', 'promoClick']) {
      expect(read({ event: 'purchase', ecommerce: { [key]: { actionField: { id: 'T1', step: 1 }, products: [product('a')] } } })).toEqual([{ type: 'none', itemIds: [] }]);
    }
    // An action without resolvable products says nothing, while the impressions beside it still do.
    expect(read({ ecommerce: { detail: { products: [{ name: 'no id' }] }, impressions: [product('i')] } })).toEqual([{ type: 'impression', itemIds: ['i'] }]);
  });

  it('reads id before sku, and the currency from the body only', () => {
    expect(read({ ecommerce: { currency: 'usd', detail: { products: [{ id: '0A-CLUE-BOX', sku: 'x', product_id: '5074792185993', price: '40', currency: 'GBP' }] } } }))
      .toEqual([{ type: 'view', itemIds: ['0A-CLUE-BOX'], price: 40, currency: 'USD' }]);
    expect(read({ ecommerce: { detail: { products: [{ sku: 'S1', price: 1, currency: 'GBP' }] } } })).toEqual([{ type: 'view', itemIds: ['S1'], price: 1 }]);
  });

  it('reads value and order id on purchases only', () => {
    expect(read({ ecommerce: { currencyCode: 'USD', add: { actionField: { id: 'T1', revenue: 9 }, products: [product('a'), product('b')] } } }))
      .toEqual([{ type: 'add_to_cart', itemIds: ['a', 'b'] }]);
  });
});

describe('GTM standard ecommerce (transactionProducts)', () => {
  const legacy = {
    transactionId: '1234', transactionAffiliation: 'Acme Clothing', transactionTotal: 38.26, transactionTax: 1.29, transactionShipping: 5,
    transactionCurrency: 'usd',
    transactionProducts: [{ sku: 'DD44', id: 'x', name: 'T-Shirt', price: 11.99, quantity: 1 }, { sku: 'AA1243544', name: 'Socks', price: 9.99, quantity: 2 }],
  };

  it('is a purchase, with sku before id', () => {
    expect(read(legacy)).toEqual([{ type: 'purchase', itemIds: ['DD44', 'AA1243544'], value: 38.26, currency: 'USD', orderId: '1234' }]);
    expect(read({ transactionId: 5, transactionProducts: [{ id: 'only-id', price: '2.50', quantity: '4' }] }))
      .toEqual([{ type: 'purchase', itemIds: ['only-id'], quantity: 4, price: 2.5, orderId: '5' }]);
  });

  it('takes precedence over a UA body in the same push, with or without an event', () => {
    const both = { ...legacy, ecommerce: { detail: { products: [product('d')] } } };
    expect(read(both).map((e) => e.type)).toEqual(['purchase']);
    expect(read({ ...both, event: 'transaction' }).map((e) => e.type)).toEqual(['purchase']);
  });

  it('gives way to GA4 items under an event', () => {
    expect(read({ ...legacy, event: 'purchase', items: [{ item_id: 'g' }] })[0]!.itemIds).toEqual(['g']);
  });
});
