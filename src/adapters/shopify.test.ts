import { describe, expect, it } from 'vitest';
import { toNormalised } from './reading';
import { readShopifyPixel, shopifyReading } from './shopify';

const read = (name: string, data: unknown) => toNormalised(shopifyReading({ name, data }));
const variant = (productId: string, amount: unknown, more: object = {}) => ({
  id: `gid://shopify/ProductVariant/9${productId}`, price: { amount, currencyCode: 'CAD' }, product: { id: `gid://shopify/Product/${productId}`, title: 'T' }, ...more,
});

describe('Shopify Web Pixels', () => {
  it('reads product ids, not variant ids, GIDs stripped', () => {
    expect(read('product_viewed', { productVariant: variant('111', 12.5) })).toEqual({ type: 'view', itemIds: ['111'], price: 12.5, currency: 'CAD' });
    expect(read('product_viewed', { productVariant: { id: '9', price: null, product: { id: 222 } } })).toEqual({ type: 'view', itemIds: ['222'] });
    expect(read('product_viewed', { productVariant: { id: '9', product: {} } }).type).toBe('none');
  });

  it('reads collections as impressions of their products', () => {
    expect(read('collection_viewed', { collection: { id: '', title: 'All', productVariants: [variant('1', 1), variant('2', 2), variant('1', 3), null] } }))
      .toEqual({ type: 'impression', itemIds: ['1', '2'] });
    expect(read('collection_viewed', { collection: { productVariants: [] } }).type).toBe('none');
  });

  it('reads a search as its query only', () => {
    expect(read('search_submitted', { searchResult: { query: ' snowboard ', productVariants: [variant('1', 1)] } })).toEqual({ type: 'search', itemIds: [], query: 'snowboard' });
    expect(read('search_submitted', { searchResult: { query: '' } }).type).toBe('none');
  });

  it('reads cart lines: quantity, unit price, the line total as value, its currency', () => {
    const cartLine = { cost: { totalAmount: { amount: '1200.00', currencyCode: 'usd' } }, merchandise: variant('5', '600.00'), quantity: 2 };
    expect(read('product_added_to_cart', { cartLine })).toEqual({ type: 'add_to_cart', itemIds: ['5'], quantity: 2, price: 600, value: 1200, currency: 'USD' });
    expect(read('product_removed_from_cart', { cartLine })).toMatchObject({ type: 'remove_from_cart', itemIds: ['5'] });
    // The currency comes from the line's total only.
    expect(read('product_added_to_cart', { cartLine: { merchandise: variant('5', 3), quantity: 1 } })).toEqual({ type: 'add_to_cart', itemIds: ['5'], quantity: 1, price: 3 });
  });

  it('reads checkout_completed as a purchase: the total with tax, the order id, one line\'s figures', () => {
    const checkout = {
      currencyCode: 'EUR', totalPrice: { amount: 60.5, currencyCode: 'EUR' }, subtotalPrice: { amount: 50, currencyCode: 'EUR' },
      order: { id: 'gid://shopify/Order/820982911946154508' },
      lineItems: [{ id: 'l1', quantity: 2, title: 'A', variant: variant('1', 20) }, { id: 'l2', quantity: 1, title: 'B', variant: variant('2', 10) }],
    };
    expect(read('checkout_completed', { checkout })).toEqual({ type: 'purchase', itemIds: ['1', '2'], value: 60.5, currency: 'EUR', orderId: '820982911946154508' });
    expect(read('checkout_completed', { checkout: { ...checkout, order: {}, lineItems: checkout.lineItems.slice(0, 1) } }))
      .toEqual({ type: 'purchase', itemIds: ['1'], quantity: 2, price: 20, value: 60.5, currency: 'EUR' });
    expect(read('checkout_completed', {})).toEqual({ type: 'purchase', itemIds: [] });
  });

  it('says nothing for page and cart views and checkout steps', () => {
    for (const name of ['page_viewed', 'cart_viewed', 'checkout_started', 'checkout_address_info_submitted', 'checkout_contact_info_submitted',
      'checkout_shipping_info_submitted', 'payment_info_submitted', 'alert_displayed', 'Product_Viewed']) {
      expect([name, read(name, { productVariant: variant('1', 1) }).type]).toEqual([name, 'none']);
    }
  });

  it('takes the whole event object a subscriber receives', () => {
    const event = { id: 'sh-1', clientId: 'c', timestamp: '2024-01-01T00:00:00Z', name: 'product_viewed', context: {}, data: { productVariant: variant('7', 1) } };
    expect(readShopifyPixel(event)).toEqual([{ type: 'view', itemId: '7' }]);
  });
});
