/**
 * Universal Analytics Enhanced Ecommerce and the older GTM "standard ecommerce" purchase. Their
 * type comes from the body (an action key, `transactionProducts`), never from the event name.
 */
import type { EventType } from '../core/events';
import { money } from './money';
import { get, has, isList, isRecord } from './read';
import { none, reading, type Reading } from './reading';
import { currency, flatItems, itemId } from './values';

/** The actions that emit, in the order they are emitted; `impressions` follows them. */
const ACTIONS: readonly (readonly [string, EventType])[] = [
  ['detail', 'view'],
  ['click', 'click'],
  ['add', 'add_to_cart'],
  ['remove', 'remove_from_cart'],
  ['purchase', 'purchase'],
];

/** Every key that makes an `ecommerce` object a UA body, the silent ones (checkout, refund, promotions) included. */
const UA_KEYS = [...ACTIONS.map(([key]) => key), 'impressions', 'checkout', 'checkout_option', 'refund', 'promoView', 'promoClick'];

/** `id` wins over `sku`: Elevar-style Shopify layers put the SKU in `id` and the product id beside it. */
const ID_KEYS = ['id', 'sku'];

export function holdsUaAction(ecommerce: unknown): boolean {
  return isRecord(ecommerce) && UA_KEYS.some((key) => {
    const v = get(ecommerce, key);
    return typeof v === 'object' && v !== null;
  });
}

/**
 * The events of one UA `ecommerce` body: each action present, then the impressions. A body
 * that yields nothing (a checkout step, a promotion) is one `none`.
 */
export function readUa(ecommerce: unknown): Reading[] {
  // The body's currency; UA products carry none of their own that the rules read.
  const code = currency(get(ecommerce, 'currencyCode')) ?? currency(get(ecommerce, 'currency'));
  const out: Reading[] = [];
  for (const [key, type] of ACTIONS) {
    const action = get(ecommerce, key);
    if (!isRecord(action)) continue;
    const items = flatItems(get(action, 'products'), ID_KEYS);
    const fields = get(action, 'actionField');
    out.push(type === 'purchase'
      ? reading(type, { items, currency: code, value: money(get(fields, 'revenue')), orderId: itemId(get(fields, 'id')) })
      : reading(type, { items, currency: code }));
  }
  const impressions = get(ecommerce, 'impressions');
  if (isList(impressions)) out.push(reading('impression', { items: flatItems(impressions, ID_KEYS), currency: code }));
  const said = out.filter((r) => r.type !== 'none');
  return said.length > 0 ? said : [none()];
}

/** GTM's standard ecommerce: `transactionId` beside a `transactionProducts` array. */
export function isLegacyPurchase(entry: unknown): boolean {
  return has(entry, 'transactionId') && isList(get(entry, 'transactionProducts'));
}

/** A standard-ecommerce purchase. `sku` is that format's required key, so it wins over `id`. */
export function readLegacyPurchase(entry: unknown): Reading {
  return reading('purchase', {
    items: flatItems(get(entry, 'transactionProducts'), ['sku', 'id']),
    value: money(get(entry, 'transactionTotal')),
    currency: currency(get(entry, 'transactionCurrency')),
    orderId: itemId(get(entry, 'transactionId')),
  });
}
