import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { LocalrecError } from '../errors';
import { validateEvent } from '../events';
import { applyEvent } from '../profile/apply-event';
import { emptyProfile, type Profile } from '../profile/state';
import { T0, testCatalogJson } from '../testing/fixtures';
import { candidateIndices } from './candidates';
import { queryVector, similarities } from './query';
import { rerank, validateRerank } from './rerank';

const catalog = parseCatalog(testCatalogJson());
const NOW = T0 + 1000;

function run(ids: string[], strength: number, p: Profile = emptyProfile(64, T0)) {
  const candidates = candidateIndices(catalog, { k: 1, candidates: ids });
  const similarity = similarities(catalog, candidates, queryVector(p, catalog, NOW));
  return rerank({ catalog, profile: p, request: { k: ids.length }, now: NOW, sequence: undefined }, ids, strength, candidates, similarity);
}

function browsed(): Profile {
  const p = emptyProfile(64, T0);
  ['c1', 'c2'].forEach((itemId, i) => applyEvent(p, validateEvent({ type: 'view', itemId, time: T0 + i }, T0 + i), catalog));
  return p;
}

const STORE = ['k1', 'gone-1', 'k3', 'c3', 'k2', 'gone-2', 'c1', 'c4'];

describe('rerank', () => {
  it('keeps the store order at strength 0', () => {
    expect(run(STORE, 0, browsed()).map((r) => r.id)).toEqual(STORE);
  });

  it('moves the browsed category up, always a permutation, unknown ids in their places', () => {
    for (const strength of [0.5, 1]) {
      const out = run(STORE, strength, browsed()).map((r) => r.id);
      expect([...out].sort()).toEqual([...STORE].sort());
      expect(out[1]).toBe('gone-1');
      expect(out[5]).toBe('gone-2');
      expect(out.indexOf('c3')).toBeLessThanOrEqual(STORE.indexOf('c3'));
      expect(out.indexOf('c1')).toBeLessThan(STORE.indexOf('c1'));
    }
    expect(run(STORE, 1, browsed())[0]!.id).toBe('c1');
  });

  it('does not filter (out of stock, cart, seen) and explains known items', () => {
    const out = run(['c4', 'c1', 'nope'], 1, browsed());
    expect(out.map((r) => r.id).sort()).toEqual(['c1', 'c4', 'nope']);
    expect(out[2]).toEqual({ id: 'nope', score: 0, reasons: [] });
    expect(out.find((r) => r.id === 'c1')!.reasons.length).toBeGreaterThan(0);
  });

  it('keeps duplicates and an empty list as given', () => {
    expect(run([], 0.5)).toEqual([]);
    expect(run(['k1', 'k1', 'x'], 0.5).map((r) => r.id)).toEqual(['k1', 'k1', 'x']);
  });
});

describe('validateRerank', () => {
  it('defaults strength and rejects bad fields, more than 1,000 ids included', () => {
    expect(validateRerank(['a'])).toEqual({ ids: ['a'], strength: 0.5 });
    expect(validateRerank(['a'], { strength: 1, placement: 'search' })).toEqual({ ids: ['a'], strength: 1, placement: 'search' });
    const cases: [unknown, unknown, string][] = [
      ['a', {}, 'ids'], [[1], {}, 'ids'], [Array.from({ length: 1001 }, (_, i) => `${i}`), {}, 'ids'],
      [['a'], { strength: 2 }, 'strength'], [['a'], { strength: Number.NaN }, 'strength'], [['a'], { placement: 3 }, 'placement'], [['a'], null, 'options'],
    ];
    for (const [ids, options, field] of cases) {
      try {
        validateRerank(ids, options);
        throw new Error('expected an error');
      } catch (e) {
        expect(e).toBeInstanceOf(LocalrecError);
        expect((e as LocalrecError).field).toBe(field);
      }
    }
  });
});
