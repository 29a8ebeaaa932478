import { LocalrecError } from './errors';

/**
 * Behaviour events as the page sends them to `track()`. `time` is epoch milliseconds; the
 * facade fills it in when the page leaves it out.
 */
export type TrackEvent =
  | { type: 'view'; itemId: string; time?: number }
  | { type: 'click'; itemId: string; list?: string; time?: number }
  | { type: 'add_to_cart'; itemId: string; quantity?: number; price?: number; time?: number }
  | { type: 'remove_from_cart'; itemId: string; quantity?: number; time?: number }
  | { type: 'purchase'; items: PurchaseLine[]; value: number; currency: string; orderId?: string; time?: number }
  | { type: 'search'; query: string; time?: number }
  | { type: 'impression'; itemIds: string[]; list?: string; time?: number };

export interface PurchaseLine {
  itemId: string;
  quantity: number;
  price: number;
}

export type EventType = TrackEvent['type'];

/** What one event type means to the profile, the models and the reasons. */
export interface EventTraits {
  /** How much the event says about interest (a purchase says most; a removal counts against). */
  readonly weight: number;
  /** How a reason names what the shopper did with an item: "Similar to X, which you viewed". */
  readonly verb: string;
  /** The shopper looked at an item: the sequence ranker reads these, as the store's click logs record them. */
  readonly looksAtItem: boolean;
  /**
   * Engagement the purchase model counts: not the purchase it predicts, and not impressions,
   * which are what the page showed rather than what the shopper did.
   */
  readonly engagement: boolean;
}

/**
 * The event vocabulary, one row per type. `satisfies` makes a type added to {@link TrackEvent}
 * without a row here a compile error, and every switch over event types ends in
 * {@link unhandledEvent}, so the compiler then lists each place that must handle it.
 */
export const EVENT_TABLE = {
  view: { weight: 1, verb: 'viewed', looksAtItem: true, engagement: true },
  click: { weight: 2, verb: 'clicked', looksAtItem: true, engagement: true },
  add_to_cart: { weight: 4, verb: 'added to your cart', looksAtItem: true, engagement: true },
  remove_from_cart: { weight: -2, verb: 'removed from your cart', looksAtItem: false, engagement: true },
  purchase: { weight: 6, verb: 'bought', looksAtItem: true, engagement: false },
  search: { weight: 1.5, verb: 'searched for', looksAtItem: false, engagement: true },
  impression: { weight: 0, verb: 'were shown', looksAtItem: false, engagement: false },
} as const satisfies { readonly [T in EventType]: EventTraits };

export const EVENT_TYPES = Object.keys(EVENT_TABLE) as readonly EventType[];

/** The end of an exhaustive switch over event types: reached only by a type the switch forgot. */
export function unhandledEvent(e: never): never {
  throw new LocalrecError('invalid_event', `Unhandled event type ${JSON.stringify((e as { type?: unknown }).type)}.`, 'type');
}

/** An event after validation: time is always present. */
export type CleanEvent = TrackEvent & { time: number };

const MAX_ID = 256;
const MAX_QUERY = 512;
const MAX_LIST = 1000;
// Timestamps outside [2000-01-01, now + 1 day] are typos (seconds instead of ms, say).
const MIN_TIME = Date.UTC(2000, 0, 1);

function fail(field: string, what: string): never {
  throw new LocalrecError('invalid_event', `Event field \`${field}\` ${what}; the event was not stored.`, field);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function id(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.trim() === '') fail(field, 'must be a non-empty string');
  if (v.length > MAX_ID) fail(field, `must be at most ${MAX_ID} characters`);
  return v;
}

function finite(v: unknown, field: string, min: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) fail(field, `must be a finite number >= ${min}`);
  return v;
}

function optional<T>(o: Record<string, unknown>, key: string, check: (v: unknown, f: string) => T): T | undefined {
  return o[key] === undefined ? undefined : check(o[key], key);
}

/**
 * Deletes keys whose value is undefined, so an optional field is absent rather than undefined
 * (`exactOptionalPropertyTypes`); the returned type is only assigned to types where those keys
 * are optional.
 */
function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** A clean event of one type. */
export type CleanEventOf<T extends EventType> = Extract<CleanEvent, { type: T }>;

/** Quantities are whole or fractional units, at least one. */
const quantity = (v: unknown, f: string) => finite(v, f, 1);

/** One reader per event type: the mapped type makes a missing reader a compile error. */
const READERS: { readonly [T in EventType]: (input: Record<string, unknown>, time: number) => CleanEventOf<T> } = {
  view: (input, time) => ({ type: 'view', itemId: id(input.itemId, 'itemId'), time }),
  click: (input, time) => defined({ type: 'click', itemId: id(input.itemId, 'itemId'), list: optional(input, 'list', id), time }),
  add_to_cart: (input, time) => defined({
    type: 'add_to_cart', itemId: id(input.itemId, 'itemId'),
    quantity: optional(input, 'quantity', quantity),
    price: optional(input, 'price', (v, f) => finite(v, f, 0)), time,
  }),
  remove_from_cart: (input, time) => defined({
    type: 'remove_from_cart', itemId: id(input.itemId, 'itemId'), quantity: optional(input, 'quantity', quantity), time,
  }),
  purchase: (input, time) => {
    if (!Array.isArray(input.items) || input.items.length === 0) fail('items', 'must be a non-empty array');
    if (input.items.length > MAX_LIST) fail('items', `must have at most ${MAX_LIST} lines`);
    const items = input.items.map((line: unknown, i): PurchaseLine => {
      if (!isRecord(line)) fail(`items[${i}]`, 'must be an object');
      return {
        itemId: id(line.itemId, `items[${i}].itemId`),
        quantity: quantity(line.quantity ?? 1, `items[${i}].quantity`),
        price: finite(line.price, `items[${i}].price`, 0),
      };
    });
    if (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency)) {
      fail('currency', 'must be an ISO 4217 code such as "GBP"');
    }
    return defined({
      type: 'purchase', items, value: finite(input.value, 'value', 0), currency: input.currency,
      orderId: optional(input, 'orderId', id), time,
    });
  },
  search: (input, time) => {
    if (typeof input.query !== 'string' || input.query.trim() === '') fail('query', 'must be a non-empty string');
    if (input.query.length > MAX_QUERY) fail('query', `must be at most ${MAX_QUERY} characters`);
    return { type: 'search', query: input.query, time };
  },
  impression: (input, time) => {
    if (!Array.isArray(input.itemIds) || input.itemIds.length === 0) fail('itemIds', 'must be a non-empty array');
    if (input.itemIds.length > MAX_LIST) fail('itemIds', `must have at most ${MAX_LIST} ids`);
    const itemIds = input.itemIds.map((v: unknown, i) => id(v, `itemIds[${i}]`));
    return defined({ type: 'impression', itemIds, list: optional(input, 'list', id), time });
  },
};

function isEventType(v: unknown): v is EventType {
  return typeof v === 'string' && Object.hasOwn(EVENT_TABLE, v);
}

/**
 * Validates an event from untrusted input and returns a clean copy (unknown keys dropped).
 * Throws `LocalrecError('invalid_event')` naming the first bad field.
 */
export function validateEvent(input: unknown, now: number = Date.now()): CleanEvent {
  if (!isRecord(input)) fail('event', 'must be an object');
  const time = input.time === undefined ? now : finite(input.time, 'time', 0);
  if (time < MIN_TIME || time > now + 86_400_000) fail('time', 'must be epoch milliseconds between 2000 and tomorrow');
  const type = input.type;
  if (!isEventType(type)) return fail('type', `must be one of ${EVENT_TYPES.join(', ')}`);
  return READERS[type](input, time);
}

/** Two identical events this close together are one action fired twice (a double click, a re-render). */
export const DUPLICATE_WINDOW_MS = 1000;

/**
 * True when `e` repeats `prev` (same type and payload) within {@link DUPLICATE_WINDOW_MS}: the page
 * fired one action twice, and counting it twice would inflate the shopper's interests.
 */
export function isDuplicate(prev: CleanEvent | undefined, e: CleanEvent): boolean {
  if (!prev || prev.type !== e.type || Math.abs(e.time - prev.time) >= DUPLICATE_WINDOW_MS) return false;
  const { time: _a, ...a } = prev;
  const { time: _b, ...b } = e;
  return JSON.stringify(a) === JSON.stringify(b);
}
