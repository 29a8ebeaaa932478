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
export const EVENT_TYPES: readonly EventType[] = [
  'view', 'click', 'add_to_cart', 'remove_from_cart', 'purchase', 'search', 'impression',
];

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

/**
 * Validates an event from untrusted input and returns a clean copy (unknown keys dropped).
 * Throws `LocalrecError('invalid_event')` naming the first bad field.
 */
export function validateEvent(input: unknown, now: number = Date.now()): CleanEvent {
  if (!isRecord(input)) fail('event', 'must be an object');
  const time = input.time === undefined ? now : finite(input.time, 'time', 0);
  if (time < MIN_TIME || time > now + 86_400_000) fail('time', 'must be epoch milliseconds between 2000 and tomorrow');
  switch (input.type) {
    case 'view':
      return { type: 'view', itemId: id(input.itemId, 'itemId'), time };
    case 'click':
      return defined({ type: 'click', itemId: id(input.itemId, 'itemId'), list: optional(input, 'list', id), time });
    case 'add_to_cart':
      return defined({
        type: 'add_to_cart', itemId: id(input.itemId, 'itemId'),
        quantity: optional(input, 'quantity', (v, f) => finite(v, f, 1)),
        price: optional(input, 'price', (v, f) => finite(v, f, 0)), time,
      });
    case 'remove_from_cart':
      return defined({
        type: 'remove_from_cart', itemId: id(input.itemId, 'itemId'),
        quantity: optional(input, 'quantity', (v, f) => finite(v, f, 1)), time,
      });
    case 'purchase': {
      if (!Array.isArray(input.items) || input.items.length === 0) fail('items', 'must be a non-empty array');
      if (input.items.length > MAX_LIST) fail('items', `must have at most ${MAX_LIST} lines`);
      const items = input.items.map((line: unknown, i): PurchaseLine => {
        if (!isRecord(line)) fail(`items[${i}]`, 'must be an object');
        return {
          itemId: id(line.itemId, `items[${i}].itemId`),
          quantity: finite(line.quantity ?? 1, `items[${i}].quantity`, 1),
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
    }
    case 'search': {
      if (typeof input.query !== 'string' || input.query.trim() === '') fail('query', 'must be a non-empty string');
      if (input.query.length > MAX_QUERY) fail('query', `must be at most ${MAX_QUERY} characters`);
      return { type: 'search', query: input.query, time };
    }
    case 'impression': {
      if (!Array.isArray(input.itemIds) || input.itemIds.length === 0) fail('itemIds', 'must be a non-empty array');
      if (input.itemIds.length > MAX_LIST) fail('itemIds', `must have at most ${MAX_LIST} ids`);
      const itemIds = input.itemIds.map((v: unknown, i) => id(v, `itemIds[${i}]`));
      return defined({ type: 'impression', itemIds, list: optional(input, 'list', id), time });
    }
    default:
      return fail('type', `must be one of ${EVENT_TYPES.join(', ')}`);
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
