import { describe, expect, it } from 'vitest';
import { extractSessionFeatures, SESSION_FEATURE_NAMES, sessionStats, type SessionEvent } from './session-features';

const t0 = 1_700_000_000_000;
const session: SessionEvent[] = [
  { type: 'impression', itemId: 'z', time: t0 - 1000 },
  { type: 'view', itemId: 'a', category: 'shoes', time: t0 },
  { type: 'view', itemId: 'b', category: 'shoes', time: t0 + 10_000 },
  { type: 'search', time: t0 + 20_000 },
  { type: 'view', itemId: 'a', category: 'shoes', time: t0 + 30_000 },
  { type: 'click', itemId: 'c', category: 'bags', time: t0 + 40_000 },
  { type: 'add_to_cart', itemId: 'a', category: 'shoes', price: 30, quantity: 2, time: t0 + 50_000 },
  { type: 'add_to_cart', itemId: 'c', category: 'bags', price: 15, time: t0 + 55_000 },
  { type: 'remove_from_cart', itemId: 'c', price: 15, time: t0 + 60_000 },
  { type: 'purchase', itemId: 'a', time: t0 + 90_000 },
];

describe('session features', () => {
  it('counts a hand-made session', () => {
    expect(sessionStats(session)).toEqual({
      views: 3, clicks: 1, addToCart: 2, removeFromCart: 1, searches: 1,
      distinctItems: 3, distinctCategories: 2,
      totalDwellSeconds: 60, meanDwellSeconds: 60 / 7,
      repeatViews: 1, cartValue: 60,
    });
  });
  it('builds the vector in name order, with the never-purchased indicator', () => {
    const v = extractSessionFeatures(session, { daysSinceLastPurchase: null, pAlive: null });
    expect(v).toHaveLength(SESSION_FEATURE_NAMES.length);
    const f = Object.fromEntries(SESSION_FEATURE_NAMES.map((n, i) => [n, v[i]]));
    expect(f['log_views']).toBeCloseTo(Math.log(4), 12);
    expect(f['log_cart_value']).toBeCloseTo(Math.log(61), 12);
    expect(f['never_purchased']).toBe(1);
    expect(f['log_days_since_last_purchase']).toBe(0);
    expect(f['p_alive']).toBe(1);
    const returning = extractSessionFeatures(session, { daysSinceLastPurchase: 6, pAlive: 0.4 });
    expect(returning[SESSION_FEATURE_NAMES.indexOf('log_days_since_last_purchase')]).toBeCloseTo(Math.log(7), 12);
    expect(returning[SESSION_FEATURE_NAMES.indexOf('never_purchased')]).toBe(0);
    expect(returning[SESSION_FEATURE_NAMES.indexOf('p_alive')]).toBe(0.4);
  });
  it('an empty or single-event session has no dwell', () => {
    expect(sessionStats([])).toMatchObject({ views: 0, totalDwellSeconds: 0, meanDwellSeconds: 0 });
    expect(sessionStats([{ type: 'view', itemId: 'a', time: t0 }])).toMatchObject({ views: 1, totalDwellSeconds: 0 });
  });
});
