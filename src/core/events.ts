import { LocalrecError } from './errors';

/**
 * Behaviour events as the page sends them to `track()`. `time` is epoch milliseconds; the
 * facade fills it in when the page leaves it out. `value` and `currency` are what the store's own
 * tracking says the action was worth (a cart line's total, an order's total); the catalog's
 * prices stay the reference.
 */
export type TrackEvent =
  | { type: 'view'; itemId: string; time?: number }
  | { type: 'click'; itemId: string; list?: string; time?: number }
  | { type: 'add_to_cart'; itemId: string; quantity?: number; price?: number; value?: number; currency?: string; time?: number }
  | { type: 'remove_from_cart'; itemId: string; quantity?: number; price?: number; value?: number; currency?: string; time?: number }
  | { type: 'purchase'; items: PurchaseLine[]; value?: number; currency?: string; orderId?: string; time?: number }
  | { type: 'search'; query: string; time?: number }
  | { type: 'impression'; itemIds: string[]; list?: string; time?: number };

/** One line of an order. Stores' tracking often leaves out the quantity or the price: absent means not said. */
export interface PurchaseLine {
  itemId: string;
  quantity?: number;
  price?: number;
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

/** A clean event of one type. */
export type CleanEventOf<T extends EventType> = Extract<CleanEvent, { type: T }>;

/**
 * What {@link validateEvent} accepts. The bounds keep typos, unit mix-ups and hostile pages out of
 * the profile, and keep every sum the profile and the models take finite: 1,000 lines × 10,000
 * units × 1e12 is 1e19, nowhere near `Infinity`.
 */
export const EVENT_LIMITS = {
  /** Item ids, order ids and list names, in UTF-16 code units. */
  maxIdLength: 256,
  maxQueryLength: 512,
  /** Purchase lines and impression ids. */
  maxListLength: 1000,
  /** Units of one item in one event: a shopper's basket, not a wholesale order (which would swamp the profile). */
  maxQuantity: 10_000,
  /** Prices and values, in the store's currency: room for a car priced in Vietnamese dong or Indonesian rupiah. */
  maxMoney: 1e12,
  /** How far ahead of the device clock an event may be stamped: clocks drift, a day ahead is a bug. */
  maxClockSkewMs: 5 * 60_000,
  /** Earlier timestamps are typos (seconds instead of milliseconds, say). */
  minTime: Date.UTC(2000, 0, 1),
} as const;

const L = EVENT_LIMITS;

function fail(field: string, what: string): never {
  throw new LocalrecError('invalid_event', `Event field \`${field}\` ${what}; the event was not stored.`, field);
}

/** Reads one field. A getter or proxy trap that throws makes that field the bad one, not the SDK. */
function read(o: object, key: string, field: string): unknown {
  try {
    return (o as Record<string, unknown>)[key];
  } catch {
    return fail(field, 'could not be read');
  }
}

/** `Array.isArray` itself throws on a revoked proxy. */
function isArray(v: unknown, field: string): v is unknown[] {
  try {
    return Array.isArray(v);
  } catch {
    return fail(field, 'could not be read');
  }
}

function record(v: unknown, field: string): object {
  if (typeof v !== 'object' || v === null || isArray(v, field)) fail(field, 'must be an object');
  return v;
}

type Check<T> = (v: unknown, field: string) => T;

function required<T>(o: object, key: string, check: Check<T>, at = ''): T {
  return check(read(o, key, at + key), at + key);
}

/** Absent and `undefined` mean "not said"; anything else, `null` included, must pass the check. */
function optional<T>(o: object, key: string, check: Check<T>, at = ''): T | undefined {
  const v = read(o, key, at + key);
  return v === undefined ? undefined : check(v, at + key);
}

const id: Check<string> = (v, f) => {
  if (typeof v !== 'string') return fail(f, 'must be a non-empty string');
  if (v.length > L.maxIdLength) fail(f, `must be at most ${L.maxIdLength} characters`);
  if (v.trim() === '') fail(f, 'must be a non-empty string');
  return v;
};

const quantity: Check<number> = (v, f) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > L.maxQuantity) {
    fail(f, `must be a whole number from 1 to ${L.maxQuantity}`);
  }
  return v;
};

const money: Check<number> = (v, f) => {
  if (typeof v !== 'number' || !(v >= 0 && v <= L.maxMoney)) fail(f, `must be a number from 0 to ${L.maxMoney}`);
  return v + 0; // -0 becomes 0: JSON has no negative zero, and the clean copy must round-trip
};

const currency: Check<string> = (v, f) => {
  if (typeof v !== 'string' || !/^[A-Z]{3}$/.test(v)) fail(f, 'must be an ISO 4217 code such as "GBP"');
  return v;
};

const query: Check<string> = (v, f) => {
  if (typeof v !== 'string') return fail(f, 'must be a non-empty string');
  if (v.length > L.maxQueryLength) fail(f, `must be at most ${L.maxQueryLength} characters`);
  if (v.trim() === '') fail(f, 'must be a non-empty string');
  return v;
};

/** The elements of an array field, each read and checked under its own path (`items[2]`). */
function list<T>(o: object, key: string, each: Check<T>, min: number): T[] {
  const v = read(o, key, key);
  if (!isArray(v, key)) return fail(key, 'must be an array');
  const n = read(v, 'length', key);
  if (typeof n !== 'number' || n > L.maxListLength) fail(key, `must have at most ${L.maxListLength} entries`);
  if (n < min) fail(key, `must have at least ${min} entry`);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(each(read(v, String(i), `${key}[${i}]`), `${key}[${i}]`));
  return out;
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

const purchaseLine: Check<PurchaseLine> = (v, f) => {
  const line = record(v, f);
  const at = `${f}.`;
  return defined({ itemId: required(line, 'itemId', id, at), quantity: optional(line, 'quantity', quantity, at), price: optional(line, 'price', money, at) });
};

function cartEvent<T extends 'add_to_cart' | 'remove_from_cart'>(type: T, input: object, time: number): CleanEventOf<T> {
  return defined({
    type, itemId: required(input, 'itemId', id),
    quantity: optional(input, 'quantity', quantity), price: optional(input, 'price', money),
    value: optional(input, 'value', money), currency: optional(input, 'currency', currency), time,
  }) as CleanEventOf<T>;
}

/** One reader per event type: the mapped type makes a missing reader a compile error. */
const READERS: { readonly [T in EventType]: (input: object, time: number) => CleanEventOf<T> } = {
  view: (input, time) => ({ type: 'view', itemId: required(input, 'itemId', id), time }),
  click: (input, time) => defined({ type: 'click', itemId: required(input, 'itemId', id), list: optional(input, 'list', id), time }),
  add_to_cart: (input, time) => cartEvent('add_to_cart', input, time),
  remove_from_cart: (input, time) => cartEvent('remove_from_cart', input, time),
  // Lines may be empty: an order id and a value still tell the lifecycle models that the shopper bought.
  // The value is not held to its lines here: tax, shipping and discounts part them in real orders,
  // so a wide disagreement is flagged on the profile's record instead (profile/purchases.ts).
  purchase: (input, time) => defined({
    type: 'purchase', items: list(input, 'items', purchaseLine, 0),
    value: optional(input, 'value', money), currency: optional(input, 'currency', currency),
    orderId: optional(input, 'orderId', id), time,
  }),
  search: (input, time) => ({ type: 'search', query: required(input, 'query', query), time }),
  impression: (input, time) => defined({ type: 'impression', itemIds: list(input, 'itemIds', id, 1), list: optional(input, 'list', id), time }),
};

function isEventType(v: unknown): v is EventType {
  return typeof v === 'string' && Object.hasOwn(EVENT_TABLE, v);
}

function timeOf(input: object, now: number): number {
  const time = optional(input, 'time', (v, f) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(f, 'must be epoch milliseconds')));
  if (time === undefined) return now;
  if (time < L.minTime || time > now + L.maxClockSkewMs) {
    fail('time', `must be epoch milliseconds between 2000 and ${L.maxClockSkewMs / 60_000} minutes from now`);
  }
  return time;
}

/**
 * Validates an event from untrusted input and returns a clean copy: only the known fields, each
 * a string or a finite number, so the copy always survives `structuredClone` and JSON. Unknown
 * fields are dropped unread, however deep or hostile. Throws `LocalrecError('invalid_event')`
 * naming the first bad field (`event` when the input is not an object at all), and nothing else.
 *
 * @example
 * validateEvent({ type: 'add_to_cart', itemId: '85123A', quantity: 2, utm: { source: 'mail' } }) // { type, itemId, quantity, time: Date.now() }
 */
export function validateEvent(input: unknown, now: number = Date.now()): CleanEvent {
  try {
    const o = record(input, 'event');
    const type = read(o, 'type', 'type');
    if (!isEventType(type)) return fail('type', `must be one of ${EVENT_TYPES.join(', ')}`);
    return READERS[type](o, timeOf(o, now));
  } catch (e) {
    if (e instanceof LocalrecError) throw e;
    // Every read above is guarded; should a host object still find a way, it is the event that is bad.
    return fail('event', 'could not be read');
  }
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
