import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalrecError } from './errors';
import { EVENT_LIMITS, validateEvent, type CleanEvent, type EventType } from './events';

const NOW = Date.UTC(2026, 10, 1);
const L = EVENT_LIMITS;

/** The fields a clean event of each type may hold. */
const KNOWN: { readonly [T in EventType]: readonly string[] } = {
  view: ['type', 'itemId', 'time'],
  click: ['type', 'itemId', 'list', 'time'],
  add_to_cart: ['type', 'itemId', 'quantity', 'price', 'value', 'currency', 'time'],
  remove_from_cart: ['type', 'itemId', 'quantity', 'price', 'value', 'currency', 'time'],
  purchase: ['type', 'items', 'value', 'currency', 'orderId', 'time'],
  search: ['type', 'query', 'time'],
  impression: ['type', 'itemIds', 'list', 'time'],
};
const LINE_KEYS = ['itemId', 'quantity', 'price'];
const ALL_KNOWN = new Set([...Object.values(KNOWN).flat(), ...LINE_KEYS]);

/** A clean event: only known keys (lines too), plain values, and it survives structuredClone and JSON unchanged. */
function expectClean(e: CleanEvent): void {
  expect(Object.keys(e).every((k) => KNOWN[e.type].includes(k))).toBe(true);
  if (e.type === 'purchase') for (const line of e.items) expect(Object.keys(line).every((k) => LINE_KEYS.includes(k))).toBe(true);
  expect(structuredClone(e)).toEqual(e);
  expect(JSON.parse(JSON.stringify(e))).toEqual(e);
}

/** Runs validateEvent: a clean event, or the field of the LocalrecError it threw. Anything else fails the test. */
function outcome(input: unknown): { clean: CleanEvent } | { field: string } {
  let clean: CleanEvent;
  try {
    clean = validateEvent(input, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(LocalrecError);
    expect((err as LocalrecError).code).toBe('invalid_event');
    expect(typeof (err as LocalrecError).field).toBe('string');
    return { field: (err as LocalrecError).field! };
  }
  expectClean(clean);
  return { clean };
}

const id = fc.string({ minLength: 1, maxLength: 24 }).filter((s) => s.trim() !== '');
const quantity = fc.integer({ min: 1, max: L.maxQuantity });
// -0 is a valid price that JSON cannot hold: the clean copy must say 0.
const money = fc.oneof(fc.double({ min: 0, max: L.maxMoney, noNaN: true }), fc.constant(-0));
const currency = fc.stringMatching(/^[A-Z]{3}$/);
const time = fc.integer({ min: L.minTime, max: NOW + L.maxClockSkewMs });

/** Valid events of every type, optional fields present or not. */
const validEvent: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ type: fc.constant('view'), itemId: id, time }, { requiredKeys: ['type', 'itemId'] }),
  fc.record({ type: fc.constant('click'), itemId: id, list: id, time }, { requiredKeys: ['type', 'itemId'] }),
  fc.record({ type: fc.constantFrom('add_to_cart', 'remove_from_cart'), itemId: id, quantity, price: money, value: money, currency, time }, { requiredKeys: ['type', 'itemId'] }),
  fc.record({
    type: fc.constant('purchase'),
    items: fc.array(fc.record({ itemId: id, quantity, price: money }, { requiredKeys: ['itemId'] }), { maxLength: 6 }),
    value: money, currency, orderId: id, time,
  }, { requiredKeys: ['type', 'items'] }),
  fc.record({ type: fc.constant('search'), query: id, time }, { requiredKeys: ['type', 'query'] }),
  fc.record({ type: fc.constant('impression'), itemIds: fc.array(id, { minLength: 1, maxLength: 8 }), list: id, time }, { requiredKeys: ['type', 'itemIds'] }),
);

/** A key the validator never reads for any type. */
const extraKey = fc.string({ maxLength: 12 }).filter((k) => !ALL_KNOWN.has(k) && k !== '__proto__');

/** What validateEvent should return for a valid input: the input as JSON has it (no -0), time filled in. */
const expectedFor = (e: Record<string, unknown>): unknown => JSON.parse(JSON.stringify({ ...e, time: e.time ?? NOW }));

let deep: Record<string, unknown> = {};
for (let i = 0; i < 10_000; i++) deep = { deep };
const cyclic: Record<string, unknown> = { note: 'cyclic' };
cyclic.self = cyclic;
const hostileValue = fc.oneof(
  fc.anything({ maxDepth: 4, withBigInt: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }),
  fc.constantFrom<unknown>(deep, cyclic, Symbol('s'), () => 1, 10n, new Proxy({}, { get() { throw new Error('trap'); } })),
);

function withThrowingGetter(o: object, key: string): object {
  return Object.defineProperty(o, key, { enumerable: true, configurable: true, get() { throw new TypeError(`getter ${key}`); } });
}

describe('validateEvent, property-based (fast-check)', () => {
  it('returns a clean event or throws LocalrecError(invalid_event) with a field, for any value', () => {
    fc.assert(fc.property(hostileValue, (input) => void outcome(input)), { numRuns: 3000 });
    // Objects shaped like events, each field anything: the same holds, and most of them get past `event` and `type`.
    const shaped = fc.record({
      type: fc.oneof(fc.constantFrom('view', 'click', 'add_to_cart', 'remove_from_cart', 'purchase', 'search', 'impression'), hostileValue),
      itemId: fc.oneof(id, hostileValue), quantity: fc.oneof(quantity, hostileValue), price: fc.oneof(money, hostileValue),
      value: fc.oneof(money, hostileValue), currency: fc.oneof(currency, hostileValue), orderId: hostileValue, query: fc.oneof(id, hostileValue),
      itemIds: fc.oneof(fc.array(fc.oneof(id, hostileValue)), hostileValue), list: hostileValue, time: fc.oneof(time, hostileValue),
      items: fc.oneof(fc.array(fc.record({ itemId: fc.oneof(id, hostileValue), quantity: fc.oneof(quantity, hostileValue), price: hostileValue }, { requiredKeys: [] })), hostileValue),
    }, { requiredKeys: [] });
    fc.assert(fc.property(shaped, (input) => void outcome(input)), { numRuns: 2000 });
  });

  it('accepts every valid event as it is', () => {
    fc.assert(fc.property(validEvent, (e) => {
      const result = outcome(e);
      expect(result).toEqual({ clean: expectedFor(e) });
    }), { numRuns: 2000 });
  });

  it('accepts a valid event with extra fields of any kind, and drops them', () => {
    fc.assert(fc.property(validEvent, fc.dictionary(extraKey, hostileValue, { maxKeys: 4 }), (e, extras) => {
      expect(outcome({ ...extras, ...e })).toEqual({ clean: expectedFor(e) });
    }), { numRuns: 1500 });
  });

  it('names the field whose getter throws, and ignores a throwing getter on a field it does not read', () => {
    fc.assert(fc.property(validEvent, fc.oneof(fc.constantFrom(...ALL_KNOWN), extraKey), (e, key) => {
      const result = outcome(withThrowingGetter({ ...e }, key));
      if (KNOWN[e.type as EventType].includes(key)) expect(result).toEqual({ field: key });
      else expect(result).toEqual({ clean: expectedFor(e) });
    }), { numRuns: 1000 });
  });

  it('reads through proxies, naming the field a trap throws on', () => {
    fc.assert(fc.property(validEvent, fc.oneof(fc.constantFrom(...ALL_KNOWN), extraKey), (e, key) => {
      expect(outcome(new Proxy(e, {}))).toEqual({ clean: expectedFor(e) });
      const trapped = new Proxy(e, { get(t, k) { if (k === key) throw new Error('trap'); return Reflect.get(t, k); } });
      const result = outcome(trapped);
      if (KNOWN[e.type as EventType].includes(key)) expect(result).toEqual({ field: key });
      else expect(result).toEqual({ clean: expectedFor(e) });
    }), { numRuns: 1000 });
  });

  it('names the purchase line field that is hostile', () => {
    const purchase = fc.record({ type: fc.constant('purchase'), items: fc.array(fc.record({ itemId: id, quantity, price: money }), { minLength: 1, maxLength: 5 }) });
    fc.assert(fc.property(purchase, fc.nat(), fc.constantFrom(...LINE_KEYS), fc.boolean(), (e, n, key, asProxy) => {
      const i = n % e.items.length;
      const items: unknown[] = [...e.items];
      items[i] = asProxy
        ? new Proxy(e.items[i]!, { get(t, k) { if (k === key) throw new Error('trap'); return Reflect.get(t, k); } })
        : withThrowingGetter({ ...e.items[i]! }, key);
      expect(outcome({ ...e, items })).toEqual({ field: `items[${i}].${key}` });
    }), { numRuns: 500 });
  });

  it('blames the field that was replaced by an arbitrary value, or accepts the value when it happens to be valid', () => {
    fc.assert(fc.property(validEvent, fc.constantFrom(...ALL_KNOWN), hostileValue, (e, key, v) => {
      const result = outcome({ ...e, [key]: v });
      if ('field' in result && key !== 'type' && KNOWN[e.type as EventType].includes(key)) expect(result.field.startsWith(key)).toBe(true);
    }), { numRuns: 1500 });
  });
});
