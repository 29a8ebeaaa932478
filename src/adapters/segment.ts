/** Segment's e-commerce spec, v2 names and their v1 aliases (the contract's "Segment" rules). */
import type { EventType, TrackEvent } from '../core/events';
import { money } from './money';
import { get, isRecord } from './read';
import { none, reading, toTrackEvents, type Reading } from './reading';
import { currency, flatItems, itemId, query, squashName } from './values';

/** Exact names after {@link squashName}: Segment's names are a closed list, unlike GA4's prefixed ones. */
const TYPES = new Map<string, EventType>([
  ['productssearched', 'search'],
  ['productlistviewed', 'impression'],
  ['productlistfiltered', 'impression'],
  ['viewedproductcategory', 'impression'],
  ['productclicked', 'click'],
  ['clickedproduct', 'click'],
  ['productviewed', 'view'],
  ['viewedproduct', 'view'],
  ['productadded', 'add_to_cart'],
  ['addedproduct', 'add_to_cart'],
  ['productremoved', 'remove_from_cart'],
  ['removedproduct', 'remove_from_cart'],
  ['ordercompleted', 'purchase'],
  ['completedorder', 'purchase'],
]);

const ID_KEYS = ['product_id', 'id', 'sku'];

/** One Segment call: only `track` calls with an e-commerce name say something. */
export function segmentReading(method: unknown, event: unknown, properties: unknown): Reading {
  if (typeof method !== 'string' || method.trim().toLowerCase() !== 'track') return none();
  const type = TYPES.get(squashName(event));
  const code = currency(get(properties, 'currency'));
  switch (type) {
    case undefined:
      return none();
    case 'search':
      return reading(type, { query: query(get(properties, 'query')) });
    case 'impression':
      return reading(type, { items: flatItems(get(properties, 'products'), ID_KEYS), currency: code });
    case 'purchase':
      return reading(type, {
        items: flatItems(get(properties, 'products'), ID_KEYS), currency: code,
        // revenue leaves out shipping and tax, as GA4's value does; most destinations prefer it the same way.
        value: money(get(properties, 'revenue')) ?? money(get(properties, 'total')) ?? money(get(properties, 'value')),
        orderId: itemId(get(properties, 'order_id')) ?? itemId(get(properties, 'orderId')),
      });
    default:
      // Single-product events carry the product's fields at the top level of the properties.
      return reading(type, { items: flatItems(isRecord(properties) ? [properties] : [], ID_KEYS), value: money(get(properties, 'value')), currency: code });
  }
}

/**
 * The `track()` events of one Segment call, as `analytics[method](event, properties)` would
 * receive it: `Product Viewed`, `Product Added`, `Order Completed`, `Products Searched`, … and
 * their v1 aliases (`Viewed Product`, `Completed Order`, …). Other calls and names give nothing;
 * nothing throws.
 *
 * @example
 * readSegment('track', 'Order Completed', { order_id: '50314b8e', revenue: 25, currency: 'usd',
 *   products: [{ product_id: '507f1f77', price: 18.99, quantity: 1 }] })
 * // [{ type: 'purchase', items: [{ itemId: '507f1f77', quantity: 1, price: 18.99 }], value: 25, currency: 'USD', orderId: '50314b8e' }]
 */
export function readSegment(method: string, event: string, properties?: unknown): TrackEvent[] {
  try {
    return toTrackEvents(segmentReading(method, event, properties));
  } catch {
    return [];
  }
}
