import { describe, expect, it } from 'vitest';
import { categoryKey, parseCatalog } from '../catalog';
import { validateEvent } from '../events';
import { applyEvent } from '../profile/apply-event';
import { emptyProfile, type Profile } from '../profile/state';
import { T0, testCatalogJson } from '../testing/fixtures';
import { candidateIndices } from './candidates';
import { topInterests } from './diversity';
import { queryVector, similarities } from './query';
import { rank } from './rank';
import { validateRequest, type RecommendRequest } from './request';
import { parseRules } from './rules';

const catalog = parseCatalog(testCatalogJson());
const leaf = (id: string) => categoryKey(catalog.items[catalog.index.get(id)!]!.category);

function recommend(p: Profile, request: RecommendRequest, rules: unknown = undefined) {
  const candidates = candidateIndices(catalog, request);
  const similarity = similarities(catalog, candidates, queryVector(p, catalog, T0 + 1000, request.context));
  return rank({ catalog, profile: p, request, now: T0 + 1000, sequence: undefined, rules: parseRules(rules).rules }, candidates, similarity);
}

function browse(ids: string[]): Profile {
  const p = emptyProfile(64, T0);
  ids.forEach((itemId, i) => applyEvent(p, validateEvent({ type: 'view', itemId, time: T0 + i }, T0 + i), catalog));
  return p;
}

describe('diversity', () => {
  const candles = browse(['c1', 'c2']);

  it('at strength 0 ranks exactly as before, also through the re-rank path (a cap no list reaches)', () => {
    const before = recommend(candles, { k: 7 });
    expect(recommend(candles, { k: 7, diversity: 0 })).toEqual(before);
    expect(recommend(candles, { k: 7, diversity: 0, maxPerCategory: 100, maxPerBrand: 100 })).toEqual(before);
    expect(recommend(candles, { k: 7, explore: 0 })).toEqual(before);
  });

  it('moves look-alikes down as the strength rises, keeping the best item first', () => {
    const before = recommend(candles, { k: 3 }).map((r) => r.id);
    const after = recommend(candles, { k: 3, diversity: 0.9 }).map((r) => r.id);
    expect(after[0]).toBe(before[0]);
    expect(new Set(after.map(leaf)).size).toBeGreaterThan(new Set(before.map(leaf)).size);
  });

  it('holds the caps per category and per brand within k', () => {
    const perCategory = recommend(candles, { k: 7, maxPerCategory: 1 }).map((r) => r.id);
    expect(perCategory.length).toBe(4); // four leaf categories among the seven available items
    expect(new Set(perCategory.map(leaf)).size).toBe(perCategory.length);
    const perBrand = recommend(candles, { k: 7, maxPerBrand: 1, diversity: 0.5 }).map((r) => r.id);
    expect(perBrand.filter((id) => id === 'k1' || id === 'k2').length).toBe(1); // both Regency
    expect(perBrand.length).toBe(6);
  });

  it('keeps explore slots for items outside the top interests, with their reason', () => {
    expect(topInterests(candles, T0 + 1000)).toEqual(['Home > Candles & lights']);
    const out = recommend(candles, { k: 4, explore: 0.5 });
    const explored = out.filter((r) => r.reasons[0]?.kind === 'explore');
    expect(explored.length).toBe(2);
    for (const r of explored) {
      expect(leaf(r.id)).not.toBe('Home > Candles & lights');
      expect(r.reasons[0]).toEqual({ kind: 'explore', text: 'Something new for you', weight: 0 });
    }
    // Only the explore slots say so, and the best of the ranking still leads.
    expect(out.filter((r) => r.reasons.some((x) => x.kind === 'explore')).length).toBe(2);
    expect(out[0]!.id).toBe(recommend(candles, { k: 1 })[0]!.id);
  });

  it('explores nothing for a shopper with no interest yet, nor where every candidate is among the interests', () => {
    const p = emptyProfile(64, T0);
    expect(recommend(p, { k: 4, explore: 0.5 })).toEqual(recommend(p, { k: 4 }));
    const onlyCandles = { k: 3, candidates: ['c1', 'c2', 'c3', 'k1'], exclude: ['k1'], diversity: 0.5 };
    expect(recommend(candles, { ...onlyCandles, explore: 0.5 })).toEqual(recommend(candles, onlyCandles));
  });

  it('still lands pins last', () => {
    const rules = [{ type: 'pin', itemId: 'c2', position: 1 }, { type: 'pin', itemId: 'c1', position: 3 }];
    const out = recommend(candles, { k: 4, diversity: 0.7, maxPerCategory: 1, explore: 0.5 }, rules);
    expect(out.length).toBe(4);
    expect(out[0]!.id).toBe('c2');
    expect(out[2]!.id).toBe('c1');
    expect(out[0]!.reasons[0]!.kind).toBe('rule');
  });
});

describe('validateRequest: diversity fields', () => {
  it('keeps valid values, defaults them off and names a bad field', () => {
    expect(validateRequest({ k: 5, diversity: 0.3, explore: 0.1, maxPerCategory: 2, maxPerBrand: 1 }))
      .toEqual({ k: 5, diversity: 0.3, explore: 0.1, maxPerCategory: 2, maxPerBrand: 1 });
    expect(validateRequest({ k: 5 })).toEqual({ k: 5 });
    for (const [bad, field] of [
      [{ diversity: 1.5 }, 'diversity'], [{ diversity: '0.5' }, 'diversity'], [{ explore: -0.1 }, 'explore'],
      [{ maxPerCategory: 0 }, 'maxPerCategory'], [{ maxPerBrand: 1.5 }, 'maxPerBrand'],
    ] as const) {
      expect(() => validateRequest(bad)).toThrow(expect.objectContaining({ code: 'invalid_argument', field }));
    }
  });
});
