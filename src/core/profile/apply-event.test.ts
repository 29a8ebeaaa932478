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
