import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { LocalrecError } from '../errors';
import { validateEvent } from '../events';
import { applyEvent } from '../profile/apply-event';
import { parseInterest, suppressInterest } from '../profile/interests';
import { emptyProfile, type Profile } from '../profile/state';
import { T0, testCatalogJson } from '../testing/fixtures';
import { candidateIndices } from './candidates';
import { queryVector, similarities } from './query';
import { rank } from './rank';
import { validateRequest, type RecommendRequest } from './request';
import type { SequenceScores } from './signals/sequence';

const catalog = parseCatalog(testCatalogJson());

function recommend(p: Profile, request: RecommendRequest, now = T0 + 1000, sequence?: SequenceScores) {
  const candidates = candidateIndices(catalog, request);
  const similarity = similarities(catalog, candidates, queryVector(p, catalog, now, request.context));
  return rank({ catalog, profile: p, request, now, sequence }, candidates, similarity);
}

function browse(ids: string[], type = 'view'): Profile {
  const p = emptyProfile(64, T0);
  ids.forEach((itemId, i) => applyEvent(p, validateEvent({ type, itemId, time: T0 + i }, T0 + i), catalog));
  return p;
}

describe('rank', () => {
  it('falls back to the popularity prior for a new shopper', () => {
    const out = recommend(emptyProfile(64, T0), { k: 3 });
    expect(out.map((r) => r.id)).toEqual(['k3', 'k4', 'k1']);
    expect(out[0]!.reasons[0]!.kind).toBe('popular');
  });

  it('shows a new shopper who lands on a category that category\'s best sellers first', () => {
    // Cold start per landing category: nothing personal yet, only the page's category and the prior.
    const kitchen = recommend(emptyProfile(64, T0), { k: 4, context: { category: 'Home > Kitchen & dining' } });
    expect(kitchen.map((r) => r.id)).toEqual(['k1', 'k2', 'k3', 'k4']);
    expect(kitchen[0]!.reasons[0]).toMatchObject({ kind: 'category', category: 'Home > Kitchen & dining' });
    // A broader landing page: all of Home, best sellers first (c4 is out of stock), then the rest.
    const home = recommend(emptyProfile(64, T0), { k: 6, context: { category: 'Home' } }).map((r) => r.id);
    expect(home).toEqual(['k1', 'k2', 'c1', 'c2', 'c3', 'k3']);
  });

  it('moves the browsed category to the top and says why', () => {
    const out = recommend(browse(['c1', 'c2']), { k: 3 });
    expect(out[0]!.id).toBe('c3'); // the one candle not yet seen (c4 is out of stock)
    const kinds = out[0]!.reasons.map((r) => r.kind);
    expect(kinds).toContain('category');
    expect(kinds).toContain('similar_to');
    expect(out[0]!.reasons.find((r) => r.kind === 'similar_to')!.text).toMatch(/T-Light Holder, which you viewed/);
  });

  it('never returns unavailable, excluded, in-cart, just-bought or suppressed items', () => {
    const p = browse(['c1', 'c2']);
    applyEvent(p, validateEvent({ type: 'add_to_cart', itemId: 'c2', time: T0 + 10 }, T0 + 10), catalog);
    applyEvent(p, validateEvent({ type: 'purchase', items: [{ itemId: 'c3', price: 5.95 }], value: 5.95, currency: 'GBP', time: T0 + 20 }, T0 + 20), catalog);
    const ids = recommend(p, { k: 8, exclude: ['k1'] }).map((r) => r.id);
    for (const gone of ['c4', 'k1', 'c2', 'c3']) expect(ids).not.toContain(gone);
    suppressInterest(p, parseInterest('category:Home'));
    expect(recommend(p, { k: 8 }).map((r) => r.id).sort()).toEqual(['k3', 'k4']);
  });

  it('ranks only the given candidates, skipping unknown ids', () => {
    const out = recommend(browse(['c1']), { k: 5, candidates: ['k1', 'zzz', 'c2'] });
    expect(out.map((r) => r.id)).toEqual(['c2', 'k1']);
  });

  it('uses the context item for "more like this" and excludes it', () => {
    const out = recommend(emptyProfile(64, T0), { k: 2, context: { itemId: 'k1' } });
    expect(out[0]!.id).toBe('k2');
    expect(out.map((r) => r.id)).not.toContain('k1');
    expect(out[0]!.reasons[0]!.kind).toBe('context');
  });

  it('blends in session-sequence scores with their reason', () => {
    const scores = new Float32Array(catalog.items.length);
    scores[catalog.index.get('k4')!] = 3;
    const sequence: SequenceScores = { scores, explain: () => [{ itemId: 'k3', weight: 1 }] };
    const out = recommend(browse(['k3']), { k: 1 }, T0 + 1000, sequence);
    expect(out[0]!.id).toBe('k4');
    expect(out[0]!.reasons.some((r) => r.kind === 'sequence' && r.text.includes('Retrospot Lunch Bag Red'))).toBe(true);
  });
});

describe('validateRequest', () => {
  it('defaults k and rejects bad fields', () => {
    expect(validateRequest({})).toEqual({ k: 10 });
    expect(validateRequest(undefined)).toEqual({ k: 10 });
    expect(validateRequest({ k: 2, rules: [], placement: 'home' })).toEqual({ k: 2, rules: [], placement: 'home' });
    for (const [bad, field] of [[{ k: 0 }, 'k'], [{ k: 2.5 }, 'k'], [{ candidates: 'a' }, 'candidates'], [{ exclude: [1] }, 'exclude'], [{ rules: {} }, 'rules'], [{ placement: 1 }, 'placement']] as const) {
      try {
        validateRequest(bad);
        throw new Error('expected an error');
      } catch (e) {
        expect((e as LocalrecError).code).toBe('invalid_argument');
        expect((e as LocalrecError).field).toBe(field);
      }
    }
  });
});
