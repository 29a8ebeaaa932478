/**
 * The contract's normalised event, and how it becomes `track()` events. Every platform reader
 * finds ids and figures its own way, then hands them to {@link reading}, which applies the rules
 * the platforms share (../shared/data/ecommerce-events/README.md, "Shared value rules").
 */
import type { EventType, TrackEvent } from '../core/events';
import type { FoundItem } from './values';

/** An event type, or `none`: the payload (a page view, a checkout step) says nothing localrec learns from. */
export type ReadType = EventType | 'none';

/** One resolved item, in payload order. A line holds a quantity and a price only when its id appeared once. */
export interface Line {
  itemId: string;
  quantity?: number;
  price?: number;
}

/** What one payload entry says, after the shared rules. */
export interface Reading {
  type: ReadType;
  lines: Line[];
  value?: number;
  currency?: string;
  query?: string;
  orderId?: string;
}

/** What a platform reader found in a payload, before the shared rules. */
export interface Found {
  items?: readonly FoundItem[];
  value?: number | undefined;
  currency?: string | undefined;
  query?: string | undefined;
  orderId?: string | undefined;
}

export function none(): Reading {
  return { type: 'none', lines: [] };
}

/** Items with an id, de-duplicated (the first occurrence keeps its place). */
function linesOf(items: readonly FoundItem[]): Line[] {
  const byId = new Map<string, Line>();
  for (const { itemId, quantity, price } of items) {
    if (itemId === undefined) continue;
    const seen = byId.get(itemId);
    if (seen) {
      // Two lines of one id (two variants of a product): neither line's figures describe the item.
      delete seen.quantity;
      delete seen.price;
      continue;
    }
    const line: Line = { itemId };
    if (quantity !== undefined) line.quantity = quantity;
    if (price !== undefined) line.price = price;
    byId.set(itemId, line);
  }
  return [...byId.values()];
}

/**
 * Applies the shared rules to what a platform reader found: item types without an id and
 * searches without a query are `none`; a purchase always counts (its order id and value matter to
 * the lifecycle models); a currency is kept only beside a price or value it qualifies.
 */
export function reading(type: ReadType, found: Found): Reading {
  if (type === 'none' || (type === 'search' && found.query === undefined)) return none();
  const lines = type === 'search' ? [] : linesOf(found.items ?? []);
  if (lines.length === 0 && type !== 'search' && type !== 'purchase') return none();
  const r: Reading = { type, lines };
  if (found.value !== undefined) r.value = found.value;
  if (found.currency !== undefined && (r.value !== undefined || single(r)?.price !== undefined)) r.currency = found.currency;
  if (type === 'search') r.query = found.query!;
  if (type === 'purchase' && found.orderId !== undefined) r.orderId = found.orderId;
  return r;
}

/** The one line of a single-item reading: events with several items report no quantity or price. */
function single(r: Reading): Line | undefined {
  return r.lines.length === 1 ? r.lines[0] : undefined;
}

/** The contract's normalised event: `{ type, itemIds, quantity?, price?, value?, currency?, query?, orderId? }`. */
export interface NormalisedEvent {
  type: ReadType;
  itemIds: string[];
  quantity?: number;
  price?: number;
  value?: number;
  currency?: string;
  query?: string;
  orderId?: string;
}

/** A reading in the contract's own shape, as its `expected` lists are written. */
export function toNormalised(r: Reading): NormalisedEvent {
  const { lines, ...rest } = r;
  const one = single(r);
  const out: NormalisedEvent = { ...rest, itemIds: lines.map((l) => l.itemId) };
  if (one?.quantity !== undefined) out.quantity = one.quantity;
  if (one?.price !== undefined) out.price = one.price;
  return out;
}

/**
 * The `track()` events a reading stands for. A view, click or cart event of several items is
 * one event per item, since each names one item; their quantity, price and value described the
 * items together, so the split events carry none. A purchase keeps every line's own figures.
 */
export function toTrackEvents(r: Reading): TrackEvent[] {
  const ids = r.lines.map((l) => l.itemId);
  switch (r.type) {
    case 'none':
      return [];
    case 'view':
    case 'click': {
      const type = r.type;
      return ids.map((itemId) => ({ type, itemId }));
    }
    case 'add_to_cart':
    case 'remove_from_cart': {
      const type = r.type;
      const one = single(r);
      if (!one) return ids.map((itemId) => ({ type, itemId }));
      return [{ type, ...one, ...fieldsOf(r, 'value', 'currency') }];
    }
    case 'purchase':
      return [{ type: 'purchase', items: r.lines.map((l) => ({ ...l })), ...fieldsOf(r, 'value', 'currency', 'orderId') }];
    case 'search':
      return [{ type: 'search', query: r.query! }];
    case 'impression':
      return [{ type: 'impression', itemIds: ids }];
  }
}

/** The named fields of `r` that are present: a cart event takes no order id, whatever a reading grows. */
function fieldsOf<K extends 'value' | 'currency' | 'orderId'>(r: Reading, ...keys: K[]): Pick<Reading, K> {
  const out: Partial<Reading> = {};
  for (const k of keys) if (r[k] !== undefined) Object.assign(out, { [k]: r[k] });
  return out as Pick<Reading, K>;
}
