import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { validateEvent } from '../events';
import { applyEvent } from '../profile/apply-event';
import { parseInterest, suppressInterest } from '../profile/interests';
import { emptyProfile, type Profile } from '../profile/state';
import { T0, testCatalogJson } from '../testing/fixtures';
import { candidateIndices } from './candidates';
import type { RankContext } from './context';
import { applyFilters, JUST_BOUGHT_MS } from './filters';
import type { RecommendRequest } from './request';

const catalog = parseCatalog(testCatalogJson());
const ids = (items: Int32Array) => Array.from(items, (i) => catalog.items[i]!.id);

function pool(profile: Profile, request: RecommendRequest, now = T0 + 1000) {
  const ctx: RankContext = { catalog, profile, request, now, sequence: undefined };
  const candidates = candidateIndices(catalog, request);
  // Similarity tagged with the candidate's index, to see it stays aligned after filtering.
  return applyFilters(ctx, candidates, Float32Array.from(candidates, (i) => i / 10));
}

function play(events: Record<string, unknown>[]): Profile {
  const p = emptyProfile(64, T0);
  for (const e of events) applyEvent(p, validateEvent(e, e.time as number), catalog);
  return p;
}

describe('applyFilters', () => {
  it('drops only unavailable items for a new shopper, keeping order and similarity aligned', () => {
    const out = pool(emptyProfile(64, T0), { k: 5 });
    expect(ids(out.items)).toEqual(['c1', 'c2', 'c3', 'k1', 'k2', 'k3', 'k4']); // c4 is out of stock
    expect(Array.from(out.similarity)).toEqual(Array.from(out.items, (i) => Math.fround(i / 10)));
    expect(out.requested).toHaveLength(8);
  });

  it('drops the cart, recent purchases, excluded ids and the item being shown', () => {
    const p = play([
      { type: 'add_to_cart', itemId: 'c1', time: T0 },
      { type: 'purchase', items: [{ itemId: 'k1', price: 12.75 }], value: 12.75, currency: 'GBP', time: T0 + 1 },
    ]);
    expect(ids(pool(p, { k: 5, exclude: ['k4', 'nope'], context: { itemId: 'k2' } }).items)).toEqual(['c2', 'c3', 'k3']);
  });

  it('lets a purchase older than the just-bought window back in', () => {
    const p = play([{ type: 'purchase', items: [{ itemId: 'k1', price: 12.75 }], value: 12.75, currency: 'GBP', time: T0 }]);
    expect(ids(pool(p, { k: 5 }, T0 + JUST_BOUGHT_MS - 1).items)).not.toContain('k1');
    expect(ids(pool(p, { k: 5 }, T0 + JUST_BOUGHT_MS + 1).items)).toContain('k1');
  });

  it('drops removed interests, and keeps the request order of given candidates', () => {
    const p = suppressInterest(emptyProfile(64, T0), parseInterest('brand:Regency'));
    expect(ids(pool(p, { k: 5, candidates: ['k2', 'k3', 'k1', 'c2'] }).items)).toEqual(['k3', 'c2']);
  });
});
