import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { validateEvent, type CleanEvent } from '../events';
import { parseLifecyclePopulation, parsePurchaseModel, type LifecycleModels } from '../predict';
import { T0, testCatalogJson } from '../testing/fixtures';
import { emptyProfile, type Profile } from './state';
import { updateProfile } from './update';

// The parameters and model the demo ships.
const lifecycle: LifecycleModels = {
  population: parseLifecyclePopulation(JSON.parse(readFileSync('demo/data/lifecycle-params.json', 'utf8'))),
  model: parsePurchaseModel(JSON.parse(readFileSync('demo/data/purchase-model.json', 'utf8'))),
  thresholds: {},
};
const catalog = parseCatalog(testCatalogJson());
const DAY = 86_400_000;
const ev = (e: Record<string, unknown>): CleanEvent => validateEvent(e, e.time as number);
const purchase = (time: number) => ev({ type: 'purchase', items: [{ itemId: 'k1', price: 12.75 }], value: 12.75, currency: 'GBP', time });

function play(events: CleanEvent[], start = T0): Profile {
  let p = emptyProfile(64, start);
  for (const e of events) p = updateProfile(p, e, { catalog, lifecycle, now: e.time }).profile;
  return p;
}

describe('updateProfile', () => {
  it('learns from the session an event closes before the event replaces it', () => {
    const p = play([ev({ type: 'view', itemId: 'k1', time: T0 }), ev({ type: 'add_to_cart', itemId: 'k1', time: T0 + 60_000 })]);
    expect(p.personalModel).toBeUndefined();
    const later = T0 + 2 * 3_600_000;
    const { profile } = updateProfile(p, ev({ type: 'view', itemId: 'c1', time: later }), { catalog, lifecycle, now: later });
    // The abandoned cart taught the shopper's own model something...
    expect(profile.personalModel?.sessions).toBe(1);
    const cart = lifecycle.model.featureNames.indexOf('log_add_to_cart');
    expect(profile.personalModel!.weights[cart]!).toBeLessThan(lifecycle.model.weights[cart]!);
    // ...and only then did the new event open a session of its own.
    expect(profile.sessions).toBe(2);
    expect(profile.session.events.map((e) => e.itemId)).toEqual(['c1']);
  });

  it('leaves the profile it was given as it was', () => {
    const p = play([ev({ type: 'view', itemId: 'k1', time: T0 })]);
    const before = structuredClone(p);
    updateProfile(p, ev({ type: 'add_to_cart', itemId: 'k2', time: T0 + 1000 }), { catalog, lifecycle, now: T0 + 1000 });
    expect(p).toEqual(before);
  });

  it('judges the stage after the event, and reports a move once', () => {
    const first = T0 - 200 * DAY;
    let p = emptyProfile(64, first);
    const step = (e: CleanEvent) => {
      const out = updateProfile(p, e, { catalog, lifecycle, now: T0 });
      p = out.profile;
      return out.stageChange;
    };
    // A one-time buyer 200 days ago reads lapsed; the purchase that makes them a repeat buyer
    // reads active in the same update, not one event late.
    expect(step(purchase(first))).toMatchObject({ from: null, to: 'lapsed' });
    expect(step(ev({ type: 'view', itemId: 'c1', time: T0 - 1000 }))).toBeUndefined();
    expect(step(purchase(T0))).toMatchObject({ from: 'lapsed', to: 'active', prediction: { stage: 'active' } });
    expect(p.stage).toBe('active');
  });

  it('without lifecycle models, applies the event and judges nothing', () => {
    const { profile, stageChange } = updateProfile(emptyProfile(64, T0), purchase(T0), { catalog, lifecycle: undefined, now: T0 });
    expect(stageChange).toBeUndefined();
    expect(profile.stage).toBeUndefined();
    expect(profile.purchases).toHaveLength(1);
  });
});
