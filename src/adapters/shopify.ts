/**
 * Shopify Web Pixels standard events, as an `analytics.subscribe(name, callback)` callback
 * receives them (the contract's "Shopify" rules). The item is the product: variant ids stay in
 * the payload, since the catalog a store publishes lists products.
 */
import type { TrackEvent } from '../core/events';
import { money } from './money';
import { at, elements, get } from './read';
import { none, reading, toTrackEvents, type Reading } from './reading';
import { currency, itemId, quantity, query } from './values';

/** A cart line (`product_added_to_cart`, `product_removed_from_cart`): its value is the line's total. */
function cartLine(type: 'add_to_cart' | 'remove_from_cart', line: unknown): Reading {
  const merchandise = get(line, 'merchandise');
  const total = at(line, 'cost', 'totalAmount');
  return reading(type, {
    items: [{ itemId: itemId(at(merchandise, 'product', 'id')), quantity: quantity(get(line, 'quantity')), price: money(get(merchandise, 'price')) }],
    value: money(total), currency: currency(get(total, 'currencyCode')),
  });
}

/** `checkout_completed`: its value is the total with tax and shipping, as Shopify's own GA4 pixel examples send. */
function checkout(data: unknown): Reading {
  const c = get(data, 'checkout');
  return reading('purchase', {
    items: elements(get(c, 'lineItems')).map((line) => ({
      itemId: itemId(at(line, 'variant', 'product', 'id')), quantity: quantity(get(line, 'quantity')), price: money(at(line, 'variant', 'price')),
    })),
    value: money(get(c, 'totalPrice')), currency: currency(get(c, 'currencyCode')), orderId: itemId(at(c, 'order', 'id')),
  });
}

/** One standard event; page views, cart views and checkout steps say nothing. */
export function shopifyReading(event: unknown): Reading {
  const data = get(event, 'data');
  switch (get(event, 'name')) {
    case 'product_viewed': {
      const variant = get(data, 'productVariant');
      const price = get(variant, 'price');
      return reading('view', {
        items: [{ itemId: itemId(at(variant, 'product', 'id')), price: money(price) }], currency: currency(get(price, 'currencyCode')),
      });
    }
    case 'collection_viewed':
      return reading('impression', { items: elements(at(data, 'collection', 'productVariants')).map((v) => ({ itemId: itemId(at(v, 'product', 'id')) })) });
    case 'search_submitted':
      // The result variants are what the store showed, not what the shopper asked for.
      return reading('search', { query: query(at(data, 'searchResult', 'query')) });
    case 'product_added_to_cart':
      return cartLine('add_to_cart', get(data, 'cartLine'));
    case 'product_removed_from_cart':
      return cartLine('remove_from_cart', get(data, 'cartLine'));
    case 'checkout_completed':
      return checkout(data);
    default:
      return none();
  }
}

/**
 * The `track()` events of one Shopify Web Pixels standard event, given as the subscriber
 * receives it (`{ name, data }`, or the whole event object): `product_viewed`,
 * `collection_viewed`, `search_submitted`, `product_added_to_cart`, `product_removed_from_cart`
 * and `checkout_completed`. Ids are product ids, GIDs stripped to their number. Other events give
 * nothing; nothing throws.
 *
 * @example
 * analytics.subscribe('all_standard_events', (event) => readShopifyPixel(event).forEach((e) => rec.track(e)));
 * readShopifyPixel({ name: 'product_viewed', data: { productVariant: { id: '43751530397931',
 *   price: { amount: 42.99, currencyCode: 'INR' }, product: { id: '7992983748843' } } } })
 * // [{ type: 'view', itemId: '7992983748843' }]
 */
export function readShopifyPixel(event: { name: string; data: unknown }): TrackEvent[] {
  try {
    return toTrackEvents(shopifyReading(event));
  } catch {
    return [];
  }
}
