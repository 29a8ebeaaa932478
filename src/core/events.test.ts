import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LocalrecError } from './errors';
import { EVENT_TABLE, EVENT_TYPES, isDuplicate, unhandledEvent, validateEvent, type CleanEvent, type EventTraits, type EventType } from './events';

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
    expect(validateEvent({ type: 'purchase', items: [{ itemId: 'a', price: 2 }], value: 2, currency: 'GBP' }, NOW))
      .toEqual({ type: 'purchase', items: [{ itemId: 'a', quantity: 1, price: 2 }], value: 2, currency: 'GBP', time: NOW });
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
    expect(fieldOf(() => validateEvent({ type: 'purchase', items: [], value: 1, currency: 'GBP' }, NOW))).toBe('items');
    expect(fieldOf(() => validateEvent({ type: 'purchase', items: [{ itemId: 'a', price: -1 }], value: 1, currency: 'GBP' }, NOW))).toBe('items[0].price');
    expect(fieldOf(() => validateEvent({ type: 'purchase', items: [{ itemId: 'a', price: 1 }], value: 1, currency: 'pounds' }, NOW))).toBe('currency');
    expect(fieldOf(() => validateEvent({ type: 'search', query: '   ' }, NOW))).toBe('query');
    expect(fieldOf(() => validateEvent({ type: 'impression', itemIds: ['a', 7] }, NOW))).toBe('itemIds[1]');
  });

  it('either returns a clean event or throws LocalrecError, for any input', () => {
    fc.assert(fc.property(fc.anything(), (input) => {
      try {
        const e = validateEvent(input, NOW);
        expect(typeof e.time).toBe('number');
      } catch (err) {
        expect(err).toBeInstanceOf(LocalrecError);
      }
    }));
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
