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
import { parseRules } from './rules';

const catalog = parseCatalog(testCatalogJson());
const NOW = T0 + 1000;

function run(ids: string[], strength: number, p: Profile = emptyProfile(64, T0), ruleList: unknown[] = []) {
  const { rules, errors } = parseRules(ruleList);
  expect(errors).toEqual([]);
  const candidates = candidateIndices(catalog, { k: 1, candidates: ids });
  const similarity = similarities(catalog, candidates, queryVector(p, catalog, NOW));
  return rerank({ catalog, profile: p, request: { k: ids.length }, now: NOW, sequence: undefined, rules }, ids, strength, candidates, similarity);
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

describe('rerank with business rules', () => {
  const ids = (out: { id: string }[]) => out.map((r) => r.id);

  it('moves what a filter or exclude rule drops to the end, in the store\'s order, with the rule as reason', () => {
    const out = run(STORE, 0, browsed(), [{ type: 'exclude', where: { category: 'Home > Kitchen & dining' }, label: 'no-kitchen' }, { type: 'filter', where: { category: 'Home' } }]);
    // k1 and k2 (kitchen) and k3 (not Home) go to the end in the store's order; unknown ids keep their places.
    expect(ids(out)).toEqual(['c3', 'gone-1', 'c1', 'c4', 'k1', 'gone-2', 'k3', 'k2']);
    expect(out.find((r) => r.id === 'k1')!.reasons[0]).toMatchObject({ kind: 'rule', rule: 'no-kitchen', text: 'Moved to the end by the store (no-kitchen)' });
    expect(out.find((r) => r.id === 'k3')!.reasons[0]).toMatchObject({ kind: 'rule', rule: 'rules[1]' });
    // An out-of-stock item stays where the store put it unless a rule says otherwise.
    expect(ids(run(['c4', 'c1'], 0))).toEqual(['c4', 'c1']);
    expect(ids(run(['c4', 'c1'], 0, undefined, [{ type: 'exclude', outOfStock: true }]))).toEqual(['c1', 'c4']);
  });

  it('boosts and buries by weight on the 0..1 score, pins among the catalog\'s places, filters before pins', () => {
    expect(ids(run(STORE, 0, undefined, [{ type: 'boost', where: { ids: ['c4'] }, weight: 1.1 }]))[0]).toBe('c4');
    expect(ids(run(STORE, 0, undefined, [{ type: 'bury', where: { ids: ['k1'] }, weight: 1.1 }])).at(-1)).toBe('k1');
    const pinned = run(STORE, 0, undefined, [{ type: 'pin', itemId: 'c4', position: 1, label: 'hero' }]);
    expect(ids(pinned)).toEqual(['c4', 'gone-1', 'k1', 'k3', 'c3', 'gone-2', 'k2', 'c1']);
    expect(pinned[0]!.reasons[0]).toMatchObject({ kind: 'rule', rule: 'hero' });
    // A pinned item a rule sends to the end stays at the end.
    expect(ids(run(STORE, 0, undefined, [{ type: 'pin', itemId: 'c4', position: 1 }, { type: 'exclude', outOfStock: true }]))).toEqual(['k1', 'gone-1', 'k3', 'c3', 'k2', 'gone-2', 'c1', 'c4']);
  });

  it('is still a permutation under every rule at once, at every strength', () => {
    const rules = [
      { type: 'exclude', where: { brand: 'Regency' } }, { type: 'boost', where: { category: 'Home' }, weight: 0.3 },
      { type: 'bury', where: { ids: ['c1'] }, weight: 2 }, { type: 'pin', itemId: 'k3', position: 2 }, { type: 'pin', itemId: 'k1', position: 1 },
    ];
    for (const strength of [0, 0.3, 1]) expect(ids(run(STORE, strength, browsed(), rules)).sort()).toEqual([...STORE].sort());
  });
});

describe('validateRerank', () => {
  it('defaults strength and rejects bad fields, more than 1,000 ids included', () => {
    expect(validateRerank(['a'])).toEqual({ ids: ['a'], strength: 0.5, details: false });
    expect(validateRerank(['a'], { strength: 1, placement: 'search', details: true, rules: [] })).toEqual({ ids: ['a'], strength: 1, placement: 'search', details: true, rules: [] });
    const cases: [unknown, unknown, string][] = [
      ['a', {}, 'ids'], [[1], {}, 'ids'], [Array.from({ length: 1001 }, (_, i) => `${i}`), {}, 'ids'],
      [['a'], { strength: 2 }, 'strength'], [['a'], { strength: Number.NaN }, 'strength'], [['a'], { placement: 3 }, 'placement'], [['a'], null, 'options'],
      [['a'], { details: 'yes' }, 'details'], [['a'], { rules: { type: 'pin' } }, 'rules'],
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
