/** GA4 e-commerce events, from gtag calls and GTM dataLayer pushes alike (the contract's "GA4" rules). */
import type { EventType } from '../core/events';
import { money } from './money';
import { elements, get, isRecord } from './read';
import { none, reading, type ReadType, type Reading } from './reading';
import { currency, flatItem, itemId, query, squashName } from './values';

/**
 * Name suffixes, matched after {@link squashName}: a suffix accepts the spellings stores use
 * ("AddToCart", "Add to Cart") and vendor prefixes ("dl_purchase", "analyzify_purchase") without
 * reading arbitrary custom names. No suffix ends another, so their order does not matter.
 */
const SUFFIXES: readonly (readonly [string, EventType])[] = [
  ['viewitem', 'view'],
  ['viewitemlist', 'impression'],
  ['selectitem', 'click'],
  ['addtocart', 'add_to_cart'],
  ['removefromcart', 'remove_from_cart'],
  ['purchase', 'purchase'],
  ['search', 'search'],
  ['viewsearchresults', 'search'],
  ['viewsearchresult', 'search'],
];

/** The type a GA4 event name stands for; `none` for every other name (page_view, begin_checkout, refund, …). */
export function ga4Type(name: unknown): ReadType {
  const squashed = squashName(name);
  return SUFFIXES.find(([suffix]) => squashed.endsWith(suffix))?.[1] ?? 'none';
}

/** GA4's own key first; UA's `id` and the SKU keys are what older and hand-written pushes use. The name is never an id. */
const ID_KEYS = ['item_id', 'id', 'item_sku', 'sku'];

/**
 * One GA4 event: `name`, its parameters `params` (gtag's third argument, `ecommerce`, GTM's
 * `eventModel`, or the pushed object itself) and the pushed `entry`, whose root-level `value`,
 * `currency` and `transaction_id` stand in for missing parameters.
 */
export function readGa4(name: unknown, params: unknown, entry: unknown): Reading {
  const type = ga4Type(name);
  if (type === 'none') return none();
  const objects = elements(get(params, 'items')).filter(isRecord);
  return reading(type, {
    items: objects.map((item) => flatItem(item, ID_KEYS)),
    value: money(get(params, 'value')) ?? money(get(entry, 'value')),
    currency: currency(get(params, 'currency')) ?? currency(get(params, 'currencyCode'))
      ?? currency(get(entry, 'currency')) ?? currency(get(entry, 'currencyCode')) ?? currency(get(objects[0], 'currency')),
    orderId: itemId(get(params, 'transaction_id')) ?? itemId(get(entry, 'transaction_id')),
    query: query(get(params, 'search_term')) ?? query(get(entry, 'search_term')),
  });
}
