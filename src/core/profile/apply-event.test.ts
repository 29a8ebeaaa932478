import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { EVENT_TABLE, validateEvent } from '../events';
import { T0, testCatalogJson } from '../testing/fixtures';
import { applyEvent } from './apply-event';
import { affinityAt, emptyProfile, fitProfileToDim, PROFILE_SETTINGS } from './state';

const catalog = parseCatalog(testCatalogJson());
const ev = (e: Record<string, unknown>, t: number) => validateEvent({ ...e, time: t }, t);

describe('applyEvent', () => {
  it('weights event types: a cart add says more than a view', () => {
    const viewed = applyEvent(emptyProfile(64, T0), ev({ type: 'view', itemId: 'c1' }, T0), catalog);
    const carted = applyEvent(emptyProfile(64, T0), ev({ type: 'add_to_cart', itemId: 'c1' }, T0), catalog);
    const key = 'Home > Candles & lights';
    expect(viewed.categories[key]!.score).toBe(EVENT_TABLE.view.weight);
    expect(carted.categories[key]!.score).toBe(EVENT_TABLE.add_to_cart.weight);
    expect(carted.categories.Home!.score).toBe(EVENT_TABLE.add_to_cart.weight);
    expect(carted.cart).toEqual({ c1: 1 });
    expect(carted.session.events.at(-1)).toMatchObject({ itemId: 'c1', price: 2.95, quantity: 1 });
  });

  it('decays affinities with a 30-day half-life and starts a new session after 30 minutes', () => {
    const p = emptyProfile(64, T0);
    applyEvent(p, ev({ type: 'view', itemId: 'k1' }, T0), catalog);
    expect(affinityAt(p.brands.Regency, T0 + PROFILE_SETTINGS.longTermHalfLifeMs)).toBeCloseTo(0.5, 6);
    expect(p.sessions).toBe(1);
    applyEvent(p, ev({ type: 'view', itemId: 'k2' }, T0 + 10 * 60_000), catalog);
    expect(p.sessions).toBe(1);
    applyEvent(p, ev({ type: 'view', itemId: 'k3' }, T0 + 50 * 60_000), catalog);
    expect(p.sessions).toBe(2);
    expect(p.session.events.map((e) => e.itemId)).toEqual(['k3']);
    expect(p.recent.map((r) => r.itemId)).toEqual(['k1', 'k2', 'k3']);
  });

  it('moves the session vector toward what was just viewed', () => {
    const p = emptyProfile(64, T0);
    applyEvent(p, ev({ type: 'view', itemId: 'k3' }, T0), catalog);
    applyEvent(p, ev({ type: 'view', itemId: 'c1' }, T0 + 20 * 60_000), catalog);
    const row = (i: number) => catalog.matrix.subarray(i * 64, i * 64 + 64);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    // 20 minutes = two session half-lives: the candle outweighs the bag 4:1.
    expect(dot(p.session.vector.vector, row(0))).toBeGreaterThan(dot(p.session.vector.vector, row(6)));
  });

  it('records purchases and empties the cart of what was bought', () => {
    const p = emptyProfile(64, T0);
    applyEvent(p, ev({ type: 'add_to_cart', itemId: 'k1', quantity: 2 }, T0), catalog);
    applyEvent(p, ev({ type: 'add_to_cart', itemId: 'k2' }, T0), catalog);
    applyEvent(p, ev({ type: 'remove_from_cart', itemId: 'k2' }, T0 + 1), catalog);
    applyEvent(p, ev({ type: 'purchase', items: [{ itemId: 'k1', quantity: 2, price: 12.75 }], value: 25.5, currency: 'GBP' }, T0 + 2), catalog);
    expect(p.cart).toEqual({});
    expect(p.purchases).toEqual([{ time: T0 + 2, value: 25.5, currency: 'GBP', itemIds: ['k1'] }]);
    expect(p.counts.purchase).toBe(1);
  });

  it('counts impressions without letting them crowd the session', () => {
    const p = applyEvent(emptyProfile(64, T0), ev({ type: 'view', itemId: 'c1' }, T0), catalog);
    for (let i = 1; i <= 20; i++) applyEvent(p, ev({ type: 'impression', itemIds: Array.from({ length: 24 }, (_, j) => `x${j}`) }, T0 + i), catalog);
    expect(p.counts.impression).toBe(20);
    expect(p.session.events.map((e) => e.itemId)).toEqual(['c1']);
    expect(p.recent.map((r) => r.itemId)).toEqual(['c1']);
  });

  it('records what real stores send: order ids, orders without a value or lines, cart figures', () => {
    const p = emptyProfile(64, T0);
    // No value: the lines are priced, by the event or else by the catalog (k1 costs 12.75, k2 2.95).
    applyEvent(p, ev({ type: 'purchase', items: [{ itemId: 'k1', quantity: 2 }, { itemId: 'k2', price: 3 }], orderId: '1001' }, T0), catalog);
    // Nothing priced at all: the value is 0 and says it is unknown.
    applyEvent(p, ev({ type: 'purchase', items: [{ itemId: 'ghost' }] }, T0 + 1), catalog);
    applyEvent(p, ev({ type: 'purchase', items: [], value: 40, currency: 'EUR', orderId: '1002' }, T0 + 2), catalog);
    expect(p.purchases).toEqual([
      { time: T0, value: 28.5, currency: 'GBP', itemIds: ['k1', 'k2'], orderId: '1001' },
      { time: T0 + 1, value: 0, currency: 'GBP', itemIds: ['ghost'], valueUnknown: true },
      { time: T0 + 2, value: 40, currency: 'EUR', itemIds: [], orderId: '1002' },
    ]);
    expect(p.counts.purchase).toBe(3);
    expect(p.session.events.filter((e) => e.type === 'purchase')).toEqual([
      expect.objectContaining({ itemId: 'k1', quantity: 2 }), expect.objectContaining({ itemId: 'k2', price: 3 }), expect.objectContaining({ itemId: 'ghost' }),
    ]);
    expect(p.session.events.find((e) => e.itemId === 'k1')).not.toHaveProperty('price');
  });

  it('prices cart lines by the event, its line total, or the catalog, for the session cart value', () => {
    const p = emptyProfile(64, T0);
    applyEvent(p, ev({ type: 'add_to_cart', itemId: 'k1', quantity: 2, value: 30 }, T0), catalog);
    applyEvent(p, ev({ type: 'add_to_cart', itemId: 'k2', quantity: 2, price: 4, value: 30 }, T0 + 1), catalog);
    applyEvent(p, ev({ type: 'add_to_cart', itemId: 'k3' }, T0 + 2), catalog);
    applyEvent(p, ev({ type: 'remove_from_cart', itemId: 'k2', quantity: 1, value: 4 }, T0 + 3), catalog);
    applyEvent(p, ev({ type: 'remove_from_cart', itemId: 'k3' }, T0 + 4), catalog);
    expect(p.session.events.map(({ itemId, quantity, price }) => ({ itemId, quantity, price }))).toEqual([
      { itemId: 'k1', quantity: 2, price: 15 }, { itemId: 'k2', quantity: 2, price: 4 }, { itemId: 'k3', quantity: 1, price: 1.65 },
      { itemId: 'k2', quantity: 1, price: 4 }, { itemId: 'k3', quantity: undefined, price: undefined },
    ]);
    expect(p.cart).toEqual({ k1: 2, k2: 1 });
  });

  it('remembers unknown items without moving affinities', () => {
    const p = applyEvent(emptyProfile(64, T0), ev({ type: 'view', itemId: 'ghost' }, T0), catalog);
    expect(p.recent).toHaveLength(1);
    expect(p.categories).toEqual({});
    expect(p.longTerm.weight).toBe(0);
  });

});

describe('fitProfileToDim', () => {
  it('keeps affinities, purchases and cart when the embedding dimension changes', () => {
    const p = emptyProfile(64, T0);
    applyEvent(p, validateEvent({ type: 'add_to_cart', itemId: 'c1', time: T0 }, T0), catalog);
    applyEvent(p, validateEvent({ type: 'purchase', items: [{ itemId: 'k1', price: 12.75 }], value: 12.75, currency: 'GBP', time: T0 + 1 }, T0 + 1), catalog);
    const q = fitProfileToDim(structuredClone(p), 32);
    expect(q.dim).toBe(32);
    expect(q.longTerm.vector).toHaveLength(32);
    expect(q.session.vector.vector).toHaveLength(32);
    expect(q.purchases).toEqual(p.purchases);
    expect(q.categories).toEqual(p.categories);
    expect(q.cart).toEqual(p.cart);
  });
});

describe('names a store may use that JavaScript objects also use', () => {
  it('keeps "constructor", "toString" and "__proto__" as ordinary brands, categories and cart lines', () => {
    const json = testCatalogJson();
    json.items.push(
      { id: 'constructor', title: 'Constructor Kit', category: ['toString', '__proto__'], price: 3, brand: 'constructor', available: true, popularity: 5 },
      { id: '__proto__', title: 'Proto Lamp', category: ['Home'], price: 4, brand: 'hasOwnProperty', available: true, popularity: 5 },
    );
    const odd = parseCatalog(json);
    const p = emptyProfile(64, T0);
    for (const [i, itemId] of ['constructor', '__proto__', 'constructor'].entries()) {
      applyEvent(p, validateEvent({ type: 'add_to_cart', itemId, quantity: 2, time: T0 + i * 1000 }, T0 + i * 1000), odd);
    }
    expect(p.cart).toEqual(JSON.parse('{"constructor": 4, "__proto__": 2}'));
    expect(Object.getPrototypeOf(p.cart)).toBe(Object.prototype);
    expect(p.brands['constructor' as string]!.score).toBeCloseTo(2 * EVENT_TABLE.add_to_cart.weight, 4);
    expect(Number.isFinite(p.brands['hasOwnProperty' as string]!.score)).toBe(true);
    expect(Object.keys(p.categories).sort()).toEqual(['Home', 'toString', 'toString > __proto__']);
    expect(Object.values(p.categories).every((a) => Number.isFinite(a.score))).toBe(true);
  });
});
