/**
 * The GTM `dataLayer`: gtag `Arguments` objects (real or as JSON renders them), GA4 pushes, UA
 * bodies and GTM standard ecommerce, with GTM's carried `ecommerce` between pushes (the
 * contract's "Object entries" rules, in their order).
 */
import type { TrackEvent } from '../core/events';
import { readGa4 } from './ga4';
import { elements, get, has, isList, isRecord } from './read';
import { none, toTrackEvents, type Reading } from './reading';
import { holdsUaAction, isLegacyPurchase, readLegacyPurchase, readUa } from './ua';

/**
 * How many entries one call reads: far beyond any real page's dataLayer, and a bound on what a
 * proxy claiming a billion entries can cost.
 */
const MAX_ENTRIES = 100_000;

/** A gtag call: an array, or an `Arguments`-like object with a key "0". */
function isGtagCall(entry: unknown): boolean {
  return isList(entry) || (isRecord(entry) && has(entry, '0'));
}

/** gtag('event', name, params) is a GA4 event; config, js, set and consent say nothing. Neither touches the carried ecommerce. */
function readGtagCall(call: unknown): Reading {
  if (get(call, '0') !== 'event') return none();
  const params = get(call, '2');
  return readGa4(get(call, '1'), params, params);
}

/**
 * A reader of one dataLayer, entry by entry in push order, holding what GTM's data model would:
 * the last `ecommerce` pushed, which a later `{ event }` without one is read against. Each entry
 * gives at least one reading (`none` when it says nothing); no entry ever throws.
 */
export function createDataLayerReader(): (entry: unknown) => Reading[] {
  let carried: unknown;

  const readObject = (entry: object): Reading[] => {
    const ecommerce = get(entry, 'ecommerce');
    const hasEcommerce = has(entry, 'ecommerce');
    if (hasEcommerce) carried = isRecord(ecommerce) ? ecommerce : undefined; // `ecommerce: null` is the recommended clear
    const name = get(entry, 'event');
    if (typeof name !== 'string' || name === '') {
      // Official UA pushes carry no event: they ride on the pageview tag. A GA4 body alone is only stored.
      if (isLegacyPurchase(entry)) return [readLegacyPurchase(entry)];
      return holdsUaAction(ecommerce) ? readUa(ecommerce) : [none()];
    }
    const eventModel = get(entry, 'eventModel');
    if (isRecord(eventModel)) return [readGa4(name, eventModel, entry)];
    if (isList(get(ecommerce, 'items'))) return [readGa4(name, ecommerce, entry)];
    if (isList(get(entry, 'items'))) return [readGa4(name, entry, entry)];
    if (isLegacyPurchase(entry)) return [readLegacyPurchase(entry)];
    // GA4 names over a UA body: GA4 itself accepts them.
    if (holdsUaAction(ecommerce)) return readUa(ecommerce);
    // `push(product, { event: 'view_item' })`: the event reads the items GTM still holds.
    if (!hasEcommerce && isList(get(carried, 'items'))) return [readGa4(name, carried, entry)];
    // A search, or a purchase without items, still comes out.
    return [readGa4(name, isRecord(ecommerce) ? ecommerce : entry, entry)];
  };

  return (entry) => {
    try {
      if (isGtagCall(entry)) return [readGtagCall(entry)];
      return typeof entry === 'object' && entry !== null ? readObject(entry) : [none()];
    } catch {
      return [none()];
    }
  };
}

/** The readings of a whole dataLayer, one or more per entry, with fresh GTM state. */
export function dataLayerReadings(entries: readonly unknown[]): Reading[] {
  const read = createDataLayerReader();
  return elements(entries, MAX_ENTRIES).flatMap((entry) => read(entry));
}

/**
 * The `track()` events in a GTM/gtag `dataLayer`, in push order: GA4 events (gtag calls, real
 * `Arguments` objects or their JSON form, and pushes), Universal Analytics Enhanced Ecommerce and
 * GTM standard ecommerce. Each call starts from a fresh GTM state. Entries that say nothing
 * localrec learns from (page views, checkout steps, `ecommerce: null`) give nothing; nothing throws.
 *
 * @example
 * readDataLayer(window.dataLayer)
 * readDataLayer([{ ecommerce: null }, { event: 'add_to_cart', ecommerce: { currency: 'EUR', value: '24.90',
 *   items: [{ item_id: '4711', price: '24.90', quantity: '1' }] } }])
 * // [{ type: 'add_to_cart', itemId: '4711', quantity: 1, price: 24.9, value: 24.9, currency: 'EUR' }]
 */
export function readDataLayer(entries: readonly unknown[]): TrackEvent[] {
  try {
    return dataLayerReadings(entries).flatMap(toTrackEvents);
  } catch {
    return [];
  }
}
