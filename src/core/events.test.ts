import { describe, expect, it } from 'vitest';
import { LocalrecError } from './errors';
import { EVENT_LIMITS, EVENT_TABLE, EVENT_TYPES, isDuplicate, unhandledEvent, validateEvent, type CleanEvent, type EventTraits, type EventType } from './events';

const NOW = Date.UTC(2026, 10, 1);

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LocalrecError);
    expect((e as LocalrecError).code).toBe('invalid_event');
    return (e as LocalrecError).field;
  }
  throw new Error('expected a LocalrecError');
}

describe('validateEvent', () => {
  it('accepts each event type and fills in the time', () => {
    expect(validateEvent({ type: 'view', itemId: 'a' }, NOW)).toEqual({ type: 'view', itemId: 'a', time: NOW });
    expect(validateEvent({ type: 'add_to_cart', itemId: 'a', quantity: 2, price: 1.5, time: NOW - 5 }, NOW))
      .toEqual({ type: 'add_to_cart', itemId: 'a', quantity: 2, price: 1.5, time: NOW - 5 });
    // A line's missing quantity stays missing (it used to become 1): stores' tracking often leaves it out.
    expect(validateEvent({ type: 'purchase', items: [{ itemId: 'a', price: 2 }], value: 2, currency: 'GBP' }, NOW))
      .toEqual({ type: 'purchase', items: [{ itemId: 'a', price: 2 }], value: 2, currency: 'GBP', time: NOW });
    expect(validateEvent({ type: 'search', query: 'lantern' }, NOW).type).toBe('search');
    expect(validateEvent({ type: 'impression', itemIds: ['a', 'b'], list: 'grid' }, NOW)).toMatchObject({ itemIds: ['a', 'b'] });
    expect(validateEvent({ type: 'remove_from_cart', itemId: 'a' }, NOW)).not.toHaveProperty('quantity');
  });

  it('drops unknown keys', () => {
    expect(validateEvent({ type: 'view', itemId: 'a', secret: 'x' }, NOW)).not.toHaveProperty('secret');
  });

  it('names the bad field', () => {
    expect(fieldOf(() => validateEvent(null, NOW))).toBe('event');
    expect(fieldOf(() => validateEvent({ type: 'teleport' }, NOW))).toBe('type');
    expect(fieldOf(() => validateEvent({ type: 'view' }, NOW))).toBe('itemId');
    expect(fieldOf(() => validateEvent({ type: 'view', itemId: '' }, NOW))).toBe('itemId');
    expect(fieldOf(() => validateEvent({ type: 'view', itemId: 'a', time: NOW / 1000 }, NOW))).toBe('time');
    expect(fieldOf(() => validateEvent({ type: 'add_to_cart', itemId: 'a', quantity: 0 }, NOW))).toBe('quantity');
    expect(fieldOf(() => validateEvent({ type: 'add_to_cart', itemId: 'a', price: Number.NaN }, NOW))).toBe('price');
    // An empty order is no longer an error (see 'accepts what real stores send'); a missing list still is.
    expect(fieldOf(() => validateEvent({ type: 'purchase', value: 1, currency: 'GBP' }, NOW))).toBe('items');
    expect(fieldOf(() => validateEvent({ type: 'purchase', items: [{ itemId: 'a', price: -1 }], value: 1, currency: 'GBP' }, NOW))).toBe('items[0].price');
    expect(fieldOf(() => validateEvent({ type: 'purchase', items: [{ itemId: 'a', price: 1 }], value: 1, currency: 'pounds' }, NOW))).toBe('currency');
    expect(fieldOf(() => validateEvent({ type: 'search', query: '   ' }, NOW))).toBe('query');
    expect(fieldOf(() => validateEvent({ type: 'impression', itemIds: ['a', 7] }, NOW))).toBe('itemIds[1]');
  });

  it('accepts what real stores send: cart figures, orders without lines, value or currency', () => {
    expect(validateEvent({ type: 'add_to_cart', itemId: 'a', quantity: 2, price: 600, value: 1200, currency: 'INR' }, NOW))
      .toEqual({ type: 'add_to_cart', itemId: 'a', quantity: 2, price: 600, value: 1200, currency: 'INR', time: NOW });
    expect(validateEvent({ type: 'remove_from_cart', itemId: 'a', price: 600, value: 600, currency: 'INR' }, NOW))
      .toEqual({ type: 'remove_from_cart', itemId: 'a', price: 600, value: 600, currency: 'INR', time: NOW });
    expect(validateEvent({ type: 'purchase', items: [], orderId: '5340655878402' }, NOW))
      .toEqual({ type: 'purchase', items: [], orderId: '5340655878402', time: NOW });
    expect(validateEvent({ type: 'purchase', items: [{ itemId: 'a' }, { itemId: 'b', quantity: 3 }] }, NOW))
      .toEqual({ type: 'purchase', items: [{ itemId: 'a' }, { itemId: 'b', quantity: 3 }], time: NOW });
  });

  it('holds quantities, money and time to their bounds', () => {
    const L = EVENT_LIMITS;
    const cart = (more: object) => () => validateEvent({ type: 'add_to_cart', itemId: 'a', ...more }, NOW);
    expect(cart({ quantity: L.maxQuantity, price: L.maxMoney, value: 0 })()).toMatchObject({ quantity: 10_000, price: 1e12, value: 0 });
    for (const quantity of [1.5, 0, -1, L.maxQuantity + 1, Infinity, Number.NaN, null, '2', 2n]) expect(fieldOf(cart({ quantity }))).toBe('quantity');
    for (const price of [-0.01, L.maxMoney * 1.01, Infinity, Number.MAX_VALUE, null, '2.50']) expect(fieldOf(cart({ price }))).toBe('price');
    expect(fieldOf(cart({ value: -1 }))).toBe('value');
    expect(fieldOf(cart({ currency: 'gbp' }))).toBe('currency');
    // JSON has no negative zero: the clean copy holds 0, so it round-trips.
    expect(Object.is((cart({ price: -0 })() as { price?: number }).price, 0)).toBe(true);
    const line = (more: object) => () => validateEvent({ type: 'purchase', items: [{ itemId: 'a' }, { itemId: 'b', ...more }] }, NOW);
    // A null quantity is not one unit: it names the field.
    expect(fieldOf(line({ quantity: null }))).toBe('items[1].quantity');
    expect(fieldOf(line({ quantity: 2.5 }))).toBe('items[1].quantity');
    expect(fieldOf(line({ price: 1e13 }))).toBe('items[1].price');
    const at = (time: number) => () => validateEvent({ type: 'view', itemId: 'a', time }, NOW);
    expect(at(NOW + L.maxClockSkewMs)().time).toBe(NOW + L.maxClockSkewMs);
    expect(fieldOf(at(NOW + L.maxClockSkewMs + 1))).toBe('time');
    expect(fieldOf(at(NOW + 86_400_000))).toBe('time');
    expect(fieldOf(at(Date.UTC(1999, 11, 31)))).toBe('time');
  });

  it('caps ids, queries and lists', () => {
    const L = EVENT_LIMITS;
    expect(fieldOf(() => validateEvent({ type: 'view', itemId: 'x'.repeat(L.maxIdLength + 1) }, NOW))).toBe('itemId');
    expect(fieldOf(() => validateEvent({ type: 'purchase', items: [], orderId: 'x'.repeat(L.maxIdLength + 1) }, NOW))).toBe('orderId');
    expect(fieldOf(() => validateEvent({ type: 'search', query: 'x'.repeat(L.maxQueryLength + 1) }, NOW))).toBe('query');
    const ids = Array.from({ length: L.maxListLength + 1 }, (_, i) => `i${i}`);
    expect(fieldOf(() => validateEvent({ type: 'impression', itemIds: ids }, NOW))).toBe('itemIds');
    expect(fieldOf(() => validateEvent({ type: 'impression', itemIds: [] }, NOW))).toBe('itemIds');
    expect(fieldOf(() => validateEvent({ type: 'purchase', items: ids.map((itemId) => ({ itemId })) }, NOW))).toBe('items');
    expect(validateEvent({ type: 'impression', itemIds: ids.slice(1) }, NOW)).toMatchObject({ type: 'impression' });
  });

  it('names the field for hostile input, and throws nothing but LocalrecError', () => {
    const getterThrows = (key: string, base: object) => Object.defineProperty({ ...base }, key, { enumerable: true, get() { throw new Error('boom'); } });
    expect(fieldOf(() => validateEvent(getterThrows('itemId', { type: 'view' }), NOW))).toBe('itemId');
    expect(fieldOf(() => validateEvent(getterThrows('type', { itemId: 'a' }), NOW))).toBe('type');
    expect(fieldOf(() => validateEvent({ type: 'purchase', items: [getterThrows('price', { itemId: 'a' })] }, NOW))).toBe('items[0].price');
    expect(fieldOf(() => validateEvent(new Proxy({ type: 'view', itemId: 'a' }, { get(t, k) { if (k === 'itemId') throw new RangeError('trap'); return Reflect.get(t, k); } }), NOW))).toBe('itemId');
    const { proxy, revoke } = Proxy.revocable({ type: 'view', itemId: 'a' }, {});
    revoke();
    expect(fieldOf(() => validateEvent(proxy, NOW))).toBe('event');
    expect(fieldOf(() => validateEvent([{ type: 'view', itemId: 'a' }], NOW))).toBe('event');
    expect(fieldOf(() => validateEvent({ type: 'purchase', items: [['a']] }, NOW))).toBe('items[0]');
    expect(fieldOf(() => validateEvent({ type: 'purchase', items: { 0: { itemId: 'a' }, length: 1 } }, NOW))).toBe('items');
    expect(fieldOf(() => validateEvent({ type: Symbol('view'), itemId: 'a' }, NOW))).toBe('type');
    expect(fieldOf(() => validateEvent({ type: 'view', itemId: Symbol('a') }, NOW))).toBe('itemId');
    expect(fieldOf(() => validateEvent({ type: 'add_to_cart', itemId: 'a', quantity: 1n }, NOW))).toBe('quantity');
    expect(fieldOf(() => validateEvent({ type: 'view', itemId: 'a', time: 10n }, NOW))).toBe('time');
    expect(fieldOf(() => validateEvent(Symbol('event'), NOW))).toBe('event');
    expect(fieldOf(() => validateEvent(10n, NOW))).toBe('event');
  });

  it('accepts a valid event whose extra fields are deep, cyclic or uncloneable, and drops them', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deep = { deep };
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const input = {
      type: 'add_to_cart', itemId: 'a', quantity: 2, deep, cyclic, fn: () => 1, sym: Symbol('s'), big: 1n, [Symbol('k')]: 1,
      get explodes(): never { throw new Error('never read'); },
    };
    const clean = validateEvent(input, NOW);
    expect(clean).toEqual({ type: 'add_to_cart', itemId: 'a', quantity: 2, time: NOW });
    expect(structuredClone(clean)).toEqual(clean);
  });
});

describe('isDuplicate', () => {
  it('catches the same action fired twice within a second, nothing else', () => {
    const click = validateEvent({ type: 'click', itemId: 'a', time: NOW }, NOW);
    expect(isDuplicate(click, { ...click, time: NOW + 300 })).toBe(true);
    expect(isDuplicate(click, { ...click, time: NOW + 1500 })).toBe(false);
    expect(isDuplicate(click, { type: 'view', itemId: 'a', time: NOW + 300 })).toBe(false);
    expect(isDuplicate(click, { type: 'click', itemId: 'b', time: NOW + 300 })).toBe(false);
    expect(isDuplicate(undefined, click)).toBe(false);
  });
});

describe('the event table', () => {
  it('has one row per event type, and each row reads sensibly', () => {
    expect(Object.keys(EVENT_TABLE).sort()).toEqual([...EVENT_TYPES].sort());
    expect(EVENT_TABLE.purchase.weight).toBeGreaterThan(EVENT_TABLE.add_to_cart.weight);
    expect(EVENT_TABLE.add_to_cart.weight).toBeGreaterThan(EVENT_TABLE.view.weight);
    expect(EVENT_TABLE.remove_from_cart.weight).toBeLessThan(0);
    expect(EVENT_TABLE.impression).toMatchObject({ weight: 0, looksAtItem: false, engagement: false });
  });

  it('makes a new event type a compile error wherever it must be handled', () => {
    // A type added to TrackEvent without a row: the table no longer satisfies its type.
    type WithWishlist = EventType | 'wishlist';
    // @ts-expect-error the table has no 'wishlist' row
    const widened: { readonly [T in WithWishlist]: EventTraits } = EVENT_TABLE;
    expect(widened).toBe(EVENT_TABLE);

    // A switch that forgets a type does not compile where it hands the rest to unhandledEvent,
    // and at run time that type is a typed error rather than a silent no-op.
    const verbOf = (e: CleanEvent): string => {
      switch (e.type) {
        case 'view': case 'click': case 'add_to_cart': case 'remove_from_cart': case 'purchase': case 'search':
          return EVENT_TABLE[e.type].verb;
        default:
          // @ts-expect-error 'impression' is not handled, so `e` is not `never`
          return unhandledEvent(e);
      }
    };
    expect(verbOf(validateEvent({ type: "view", itemId: "a" }, NOW))).toBe('viewed');
    expect(() => verbOf(validateEvent({ type: "impression", itemIds: ["a"] }, NOW))).toThrow(LocalrecError);
  });
});
