import { describe, expect, it } from 'vitest';
import { toNormalised } from './reading';
import { readSegment, segmentReading } from './segment';

const read = (method: string, event: string, properties?: unknown) => toNormalised(segmentReading(method, event, properties));

/** Segment's e-commerce spec v2 example for Order Completed, trimmed to what the rules read. */
const ORDER_COMPLETED = {
  checkout_id: 'fksdjfsdjfisjf9sdfjsd9f', order_id: '50314b8e9bcf000000000000', affiliation: 'Google Store',
  total: 27.5, subtotal: 22.5, revenue: 25.0, shipping: 3, tax: 2, discount: 2.5, coupon: 'hasbros', currency: 'USD',
  products: [
    { product_id: '507f1f77bcf86cd799439011', sku: '45790-32', name: 'Monopoly: 3rd Edition', price: 19, quantity: 1 },
    { product_id: '505bd76785ebb509fc183733', sku: '46493-32', name: 'Uno Card Game', price: 3, quantity: 2 },
  ],
};

describe('Segment e-commerce spec', () => {
  it('maps v2 names and their v1 aliases, exactly', () => {
    const names: [string, string][] = [
      ['Products Searched', 'search'], ['Product List Viewed', 'impression'], ['Product List Filtered', 'impression'],
      ['Viewed Product Category', 'impression'], ['Product Clicked', 'click'], ['Clicked Product', 'click'],
      ['Product Viewed', 'view'], ['Viewed Product', 'view'], ['Product Added', 'add_to_cart'], ['Added Product', 'add_to_cart'],
      ['Product Removed', 'remove_from_cart'], ['Removed Product', 'remove_from_cart'], ['Order Completed', 'purchase'],
      ['Completed Order', 'purchase'], ['order_completed', 'purchase'], ['product viewed', 'view'],
    ];
    const props = { product_id: 'p', query: 'q', products: [{ product_id: 'p' }] };
    for (const [name, type] of names) expect([name, read('track', name, props).type]).toEqual([name, type]);
    for (const name of ['Cart Viewed', 'Checkout Started', 'Checkout Step Completed', 'Order Refunded', 'Order Cancelled', 'Product Added to Wishlist', 'My Product Viewed']) {
      expect([name, read('track', name, props).type]).toEqual([name, 'none']);
    }
  });

  it('counts track calls only', () => {
    expect(read('page', 'Product Viewed', { product_id: 'p' }).type).toBe('none');
    expect(read('identify', 'Order Completed', ORDER_COMPLETED).type).toBe('none');
  });

  it('reads single-product events from the top level, ids by product_id, id (v1), sku', () => {
    expect(read('track', 'Product Added', { cart_id: 'skdjsidjsdkdj29j', product_id: '507f1f77bcf86cd799439011', sku: 'G-32', price: 18.99, quantity: 1, currency: 'usd', value: 18.99 }))
      .toEqual({ type: 'add_to_cart', itemIds: ['507f1f77bcf86cd799439011'], quantity: 1, price: 18.99, value: 18.99, currency: 'USD' });
    expect(read('track', 'Viewed Product', { id: 'v1-id', sku: 'S', price: '9.99' })).toEqual({ type: 'view', itemIds: ['v1-id'], price: 9.99 });
    expect(read('track', 'Product Clicked', { sku: 'S' })).toEqual({ type: 'click', itemIds: ['S'] });
    expect(read('track', 'Product Removed', { name: 'no id' }).type).toBe('none');
  });

  it('reads purchases from products[], value by revenue, total, value', () => {
    expect(read('track', 'Order Completed', ORDER_COMPLETED)).toEqual({
      type: 'purchase', itemIds: ['507f1f77bcf86cd799439011', '505bd76785ebb509fc183733'], value: 25, currency: 'USD', orderId: '50314b8e9bcf000000000000',
    });
    const { revenue: _r, ...noRevenue } = ORDER_COMPLETED;
    expect(read('track', 'Order Completed', noRevenue).value).toBe(27.5);
    const { total: _t, ...noTotal } = noRevenue;
    expect(read('track', 'Order Completed', { ...noTotal, value: 30 }).value).toBe(30);
    expect(read('track', 'Completed Order', { orderId: 'v1-order', products: [{ id: 'a', price: 4, quantity: 2 }] }))
      .toEqual({ type: 'purchase', itemIds: ['a'], quantity: 2, price: 4, orderId: 'v1-order' });
    expect(read('track', 'Order Completed')).toEqual({ type: 'purchase', itemIds: [] });
  });

  it('reads list events from products[] and searches from a string query', () => {
    expect(read('track', 'Product List Viewed', { list_id: 'hot_deals_1', category: 'Deals', products: [{ product_id: 'a' }, { sku: 'b' }, null] }))
      .toEqual({ type: 'impression', itemIds: ['a', 'b'] });
    expect(read('track', 'Products Searched', { query: 'blue roses' })).toEqual({ type: 'search', itemIds: [], query: 'blue roses' });
    expect(read('track', 'Products Searched', { query: 42 }).type).toBe('none');
  });

  it('gives track() events', () => {
    expect(readSegment('track', 'Order Completed', ORDER_COMPLETED)).toEqual([{
      type: 'purchase', value: 25, currency: 'USD', orderId: '50314b8e9bcf000000000000',
      items: [{ itemId: '507f1f77bcf86cd799439011', quantity: 1, price: 19 }, { itemId: '505bd76785ebb509fc183733', quantity: 2, price: 3 }],
    }]);
    expect(readSegment('track', 'Checkout Started', ORDER_COMPLETED)).toEqual([]);
  });
});
