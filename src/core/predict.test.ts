import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from './catalog';
import { LocalrecError } from './errors';
import { validateEvent } from './events';
import { predictShopperLifecycle } from './lifecycle/shopper';
import { learnFromClosedSession, parseLifecyclePopulation, parsePurchaseModel, predict } from './predict';
import { applyEvent } from './profile/apply-event';
import { emptyProfile, type Profile } from './profile/state';
import { T0, testCatalogJson } from './testing/fixtures';

// The parameters and model the demo ships, so these tests check what the storefront runs.
const population = parseLifecyclePopulation(JSON.parse(readFileSync('demo/data/lifecycle-params.json', 'utf8')));
const model = parsePurchaseModel(JSON.parse(readFileSync('demo/data/purchase-model.json', 'utf8')));
const models = { population, model, thresholds: {} };
const catalog = parseCatalog(testCatalogJson());
const DAY = 86_400_000;

function play(p: Profile, events: Record<string, unknown>[]): Profile {
  for (const e of events) applyEvent(p, validateEvent(e, e.time as number), catalog);
  return p;
}
const purchase = (time: number, value = 20) => ({ type: 'purchase', items: [{ itemId: 'k1', price: value }], value, currency: 'GBP', time });

describe('predict', () => {
  it('calls a first-time visitor new, with no P(alive) and a base-rate purchase probability', () => {
    const out = predict(emptyProfile(64, T0), models, T0);
    expect(out.stage).toBe('new');
    expect(out.pAlive).toBeNull();
    expect(out.purchaseProbability).toBeGreaterThan(0);
    expect(out.purchaseProbability).toBeLessThan(0.1);
    expect(out.reasons.purchaseProbability).toMatch(/no activity yet/);
  });

  it('raises the purchase probability as the session adds to cart, and says so', () => {
    const p = play(emptyProfile(64, T0), [{ type: 'view', itemId: 'c1', time: T0 }, { type: 'view', itemId: 'c2', time: T0 + 30_000 }]);
    const browsing = predict(p, models, T0 + 60_000);
    play(p, [{ type: 'add_to_cart', itemId: 'c2', price: 4.25, time: T0 + 90_000 }]);
    const oneInCart = predict(p, models, T0 + 100_000);
    play(p, [{ type: 'add_to_cart', itemId: 'k1', price: 12.75, time: T0 + 120_000 }]);
    const twoInCart = predict(p, models, T0 + 130_000);
    expect(oneInCart.purchaseProbability).toBeGreaterThan(browsing.purchaseProbability);
    expect(twoInCart.purchaseProbability).toBeGreaterThan(oneInCart.purchaseProbability);
    expect(twoInCart.reasons.purchaseProbability).toMatch(/2 adds to cart \(raises it\)/);
    expect(twoInCart.session).toMatchObject({ addToCart: 2, cartValue: 17 });
  });

  it('reads an old purchase history as at-risk or lapsed, with the same P(alive) as the Node implementation', () => {
    const times = [T0 - 300 * DAY, T0 - 280 * DAY, T0 - 250 * DAY, T0 - 220 * DAY];
    const p = play(emptyProfile(64, T0 - 300 * DAY), times.map((t) => purchase(t)));
    const out = predict(p, models, T0);
    expect(['at-risk', 'lapsed']).toContain(out.stage);
    const node = predictShopperLifecycle(population, times.map((time) => ({ time, value: 20 })), T0);
    expect(out.pAlive).toBe(node.pAlive);
    expect(out.pAlive!).toBeLessThan(0.7);
    expect(out.reasons.history).toMatch(/4 purchases, last one 220 days ago/);
    // A recent buyer with the same rhythm is active.
    const recent = play(emptyProfile(64, T0), [purchase(T0 - 40 * DAY), purchase(T0 - 25 * DAY), purchase(T0 - 10 * DAY)]);
    expect(predict(recent, models, T0).stage).toBe('active');
  });

  it('learns from a closed session, pulled toward its outcome', () => {
    const session = [{ type: 'view', itemId: 'c1', time: T0 }, { type: 'add_to_cart', itemId: 'c1', price: 2.95, time: T0 + 60_000 }];
    const bought = play(emptyProfile(64, T0), [...session, purchase(T0 + 120_000, 2.95)]);
    const abandoned = play(emptyProfile(64, T0), session);
    const later = T0 + 2 * 3_600_000;
    expect(learnFromClosedSession(bought, models, T0 + 130_000)).toBeUndefined(); // session still open
    const up = learnFromClosedSession(bought, models, later)!;
    const down = learnFromClosedSession(abandoned, models, later)!;
    expect(up.sessions).toBe(1);
    const cart = model.featureNames.indexOf('log_add_to_cart');
    expect(up.weights[cart]!).toBeGreaterThan(model.weights[cart]!);
    expect(down.weights[cart]!).toBeLessThan(model.weights[cart]!);
  });

  it('does not count an order of unknown or implausible value as spend', () => {
    const times = [T0 - 60 * DAY, T0 - 30 * DAY, T0 - 5 * DAY];
    const valued = play(emptyProfile(64, T0), times.map((t) => purchase(t)));
    expect(predict(valued, models, T0).expectedValue90d).toBeGreaterThan(0);
    const unknown = play(emptyProfile(64, T0), times.map((time) => ({ type: 'purchase', items: [{ itemId: 'zzz' }], currency: 'GBP', time })));
    expect(unknown.purchases.every((x) => x.valueUnknown)).toBe(true);
    expect(predict(unknown, models, T0).expectedValue90d).toBeUndefined();
  });

  it('rejects broken lifecycle parameters with a typed error', () => {
    expect(() => parseLifecyclePopulation({ bgnbd: { r: 1, alpha: -1, a: 1, b: 1 } })).toThrow(LocalrecError);
    expect(() => parseLifecyclePopulation({})).toThrow(/bgnbd/);
  });
});
