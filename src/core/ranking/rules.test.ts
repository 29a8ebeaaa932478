import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { validateEvent } from '../events';
import { applyEvent } from '../profile/apply-event';
import { emptyProfile, type Profile } from '../profile/state';
import { T0, testCatalogJson } from '../testing/fixtures';
import { candidateIndices } from './candidates';
import { queryVector, similarities } from './query';
import { rank } from './rank';
import type { RecommendRequest } from './request';
import { activeAt, matches, parseRules, type RuleInput } from './rules';

const catalog = parseCatalog(testCatalogJson());
const NOW = T0 + 1000;

function recommend(request: RecommendRequest, rules: unknown[] = [], p: Profile = emptyProfile(64, T0), now = NOW) {
  const parsed = parseRules(rules);
  expect(parsed.errors).toEqual([]);
  const candidates = candidateIndices(catalog, request);
  const similarity = similarities(catalog, candidates, queryVector(p, catalog, now, request.context));
  return rank({ catalog, profile: p, request, now, sequence: undefined, rules: parsed.rules }, candidates, similarity);
}
const ids = (request: RecommendRequest, rules: unknown[] = [], p?: Profile, now?: number) => recommend(request, rules, p, now).map((r) => r.id);
const item = (id: string) => catalog.items[catalog.index.get(id)!]!;

// For a new shopper the order is the popularity prior: k3 k4 k1 k2 c1 c2 c3 (c4 is out of stock).
const BASE = ['k3', 'k4', 'k1', 'k2', 'c1', 'c2', 'c3'];

describe('parseRules', () => {
  it('keeps the valid rules and names the rule and field of each invalid one', () => {
    const { rules, errors } = parseRules([
      { type: 'boost', where: { brand: 'Regency' }, weight: 1, label: 'regency-week' },
      { type: 'boost', where: { brand: 'Regency' }, weight: -1 },
      { type: 'filter', where: { colour: 'red' } },
      { type: 'pin', itemId: 'c1', position: 0 },
      { type: 'teleport' },
      'nonsense',
      { type: 'exclude' },
      { type: 'bury', where: { price: { min: 'cheap' } }, weight: 1 },
      { type: 'filter', where: { category: 'Home' }, activeFrom: 'soon' },
      { type: 'filter', where: { category: 'Home' }, activeFrom: T0 + 10, activeUntil: T0 },
      { type: 'exclude', inCart: true },
    ]);
    expect(rules.map((r) => r.label)).toEqual(['regency-week', 'rules[10]']);
    expect(errors.map((e) => [e.rule, e.field])).toEqual([
      [1, 'rules[1].weight'],
      [2, 'rules[2].where.colour'],
      [3, 'rules[3].position'],
      [4, 'rules[4].type'],
      [5, 'rules[5]'],
      [6, 'rules[6].where'],
      [7, 'rules[7].where.price.min'],
      [8, 'rules[8].activeFrom'],
      [9, 'rules[9].activeUntil'],
    ]);
    expect(errors.every((e) => e.code === 'invalid_rule' && e.message.includes(e.field))).toBe(true);
    expect(errors[1]!.message).toMatch(/custom attributes/);
  });

  it('names the list in labels and fields, and reads a single rule', () => {
    const { rules, errors } = parseRules({ type: 'pin', itemId: 'c1', position: 'top' }, 'store rules');
    expect(rules).toEqual([]);
    expect(errors[0]!.field).toBe('store rules.position');
  });

  it('reads active windows as ISO dates or epoch ms', () => {
    const { rules } = parseRules([
      { type: 'exclude', inCart: true, activeFrom: '2026-11-01T00:00:00Z', activeUntil: '2026-11-30T23:59:59Z' },
      { type: 'exclude', inCart: true, activeUntil: T0 - 1 },
    ]);
    expect(activeAt(rules[0]!, T0)).toBe(true);
    expect(activeAt(rules[0]!, Date.UTC(2026, 11, 1))).toBe(false);
    expect(activeAt(rules[1]!, T0)).toBe(false);
  });
});

describe('matches', () => {
  it('matches category prefixes, brands, price ranges, availability and ids, all given fields at once', () => {
    expect(matches({ category: 'Home > Candles & lights' }, item('c1'))).toBe(true);
    expect(matches({ category: ['Home'] }, item('k1'))).toBe(true);
    expect(matches({ category: 'Home > Candles' }, item('c1'))).toBe(false);
    expect(matches({ brand: ['Vintage', 'Regency'] }, item('k1'))).toBe(true);
    expect(matches({ brand: 'Regency' }, item('k4'))).toBe(false);
    expect(matches({ price: { min: 2, max: 3 } }, item('c1'))).toBe(true);
    expect(matches({ price: { max: 2 } }, item('c1'))).toBe(false);
    expect(matches({ available: false }, item('c4'))).toBe(true);
    expect(matches({ ids: ['k2'], brand: 'Regency' }, item('k2'))).toBe(true);
    expect(matches({ ids: ['k2'], brand: 'Vintage' }, item('k2'))).toBe(false);
  });
});

describe('custom attributes', () => {
  const withAttributes = parseCatalog({
    ...testCatalogJson(),
    items: testCatalogJson().items.map((i, n) => ({ ...i, attributes: { material: n % 2 ? 'glass' : 'zinc', weightKg: n / 10, giftWrap: n < 4 } })),
  });
  const at = (id: string) => withAttributes.items[withAttributes.index.get(id)!]!;

  it('matches a value, one of several values, and a number range; an item without the attribute never matches', () => {
    expect(matches({ attributes: { material: 'glass' } }, at('c2'))).toBe(true);
    expect(matches({ attributes: { material: 'glass' } }, at('c1'))).toBe(false);
    expect(matches({ attributes: { material: ['zinc', 'wool'], giftWrap: true } }, at('c1'))).toBe(true);
    expect(matches({ attributes: { weightKg: { min: 0.2, max: 0.5 } } }, at('c3'))).toBe(true);
    expect(matches({ attributes: { weightKg: { max: 0.1 } } }, at('c3'))).toBe(false);
    expect(matches({ attributes: { material: { min: 1 } } }, at('c1'))).toBe(false);
    expect(matches({ attributes: { material: 'zinc' } }, item('c1'))).toBe(false);
  });

  it('drives filters, boosts and exclusions like the catalog\'s own fields', () => {
    const { rules } = parseRules([{ type: 'filter', where: { attributes: { giftWrap: true } } }, { type: 'boost', where: { attributes: { material: 'glass' } }, weight: 5 }]);
    const candidates = candidateIndices(withAttributes, { k: 8 });
    const out = rank({ catalog: withAttributes, profile: emptyProfile(64, T0), request: { k: 8 }, now: NOW, sequence: undefined, rules }, candidates, new Float32Array(candidates.length));
    // c1..c4 carry giftWrap (c4 is out of stock); glass (c2) is promoted over zinc.
    expect(out.map((r) => r.id)).toEqual(['c2', 'c1', 'c3']);
  });

  it('names the attribute of an invalid match', () => {
    const { errors } = parseRules([
      { type: 'filter', where: { attributes: 'wool' } },
      { type: 'filter', where: { attributes: { material: [] } } },
      { type: 'boost', where: { attributes: { weightKg: { min: 'light' } } }, weight: 1 },
      { type: 'boost', where: { attributes: { weightKg: { above: 1 } } }, weight: 1 },
      { type: 'filter', where: { material: 'wool' } },
    ]);
    expect(errors.map((e) => e.field)).toEqual([
      'rules[0].where.attributes', 'rules[1].where.attributes.material', 'rules[2].where.attributes.weightKg.min', 'rules[3].where.attributes.weightKg.above', 'rules[4].where.material',
    ]);
    expect(errors[4]!.message).toMatch(/attributes: \{ material/);
  });
});

describe('rules in rank()', () => {
  it('filter keeps only the matching items, before scoring', () => {
    expect(ids({ k: 8 }, [{ type: 'filter', where: { category: 'Home' } }])).toEqual(['k1', 'k2', 'c1', 'c2', 'c3']);
    expect(ids({ k: 8 }, [{ type: 'filter', where: { price: { min: 2, max: 5 } } }, { type: 'filter', where: { brand: 'Regency' } }])).toEqual(['k2']);
    // A filter on availability cannot bring an out-of-stock item back: the built-in filter still drops it.
    expect(ids({ k: 8 }, [{ type: 'filter', where: { available: false } }])).toEqual([]);
  });

  it('exclude drops what matches, what was bought within N days, the cart and the current item', () => {
    expect(ids({ k: 8 }, [{ type: 'exclude', where: { brand: 'Regency' } }])).toEqual(['k3', 'k4', 'c1', 'c2', 'c3']);
    const p = emptyProfile(64, T0);
    const bought = T0 - 40 * 86_400_000; // past the built-in 30 days
    applyEvent(p, validateEvent({ type: 'purchase', items: [{ itemId: 'k3', price: 1.65 }], value: 1.65, currency: 'GBP', time: bought }, bought), catalog);
    expect(ids({ k: 8 }, [], p)).toContain('k3');
    expect(ids({ k: 8 }, [{ type: 'exclude', boughtWithinDays: 60 }], p)).not.toContain('k3');
    expect(ids({ k: 8 }, [{ type: 'exclude', boughtWithinDays: 20 }], p)).toContain('k3');
    const cart = emptyProfile(64, T0);
    applyEvent(cart, validateEvent({ type: 'add_to_cart', itemId: 'k4', time: T0 }, T0), catalog);
    expect(ids({ k: 8 }, [{ type: 'exclude', inCart: true }], cart)).not.toContain('k4');
    expect(ids({ k: 8 }, [{ type: 'exclude', currentItem: true }])).toEqual(BASE);
  });

  it('boost and bury move matching items by their weight and say so', () => {
    const boosted = recommend({ k: 3 }, [{ type: 'boost', where: { ids: ['c2'] }, weight: 2, label: 'clearance' }]);
    expect(boosted[0]!.id).toBe('c2');
    expect(boosted[0]!.reasons[0]).toMatchObject({ kind: 'rule', rule: 'clearance', weight: 2 });
    expect(boosted[0]!.reasons[0]!.text).toMatch(/Promoted by the store \(clearance\)/);
    const buried = recommend({ k: 8 }, [{ type: 'bury', where: { brand: 'Retrospot' }, weight: 2 }]);
    expect(buried.at(-1)!.id).toBe('k3');
    expect(buried.at(-1)!.reasons[0]).toMatchObject({ kind: 'rule', rule: 'rules[0]', weight: -2 });
    expect(buried[0]!.reasons.some((r) => r.kind === 'rule')).toBe(false);
  });

  it('pins an item at its position last, bringing it into the top k', () => {
    const out = recommend({ k: 3 }, [{ type: 'pin', itemId: 'c3', position: 2, label: 'hero' }]);
    expect(out.map((r) => r.id)).toEqual(['k3', 'c3', 'k4']);
    expect(out[1]!.reasons[0]).toMatchObject({ kind: 'rule', rule: 'hero' });
    // Already listed: moved, not repeated. Two pins keep their own places.
    expect(ids({ k: 4 }, [{ type: 'pin', itemId: 'k3', position: 3 }, { type: 'pin', itemId: 'c1', position: 1 }])).toEqual(['c1', 'k4', 'k3', 'k1']);
    // A pin past k does nothing; past a shorter list puts the item last.
    expect(ids({ k: 3 }, [{ type: 'pin', itemId: 'c3', position: 5 }])).toEqual(['k3', 'k4', 'k1']);
    expect(ids({ k: 3, candidates: ['k1', 'c3'] }, [{ type: 'pin', itemId: 'c3', position: 3 }])).toEqual(['k1', 'c3']);
  });

  it('runs filters before pins: a pinned item that a filter drops stays out', () => {
    expect(ids({ k: 3 }, [{ type: 'pin', itemId: 'c4', position: 1 }])).toEqual(['k3', 'k4', 'k1']); // out of stock
    expect(ids({ k: 3 }, [{ type: 'pin', itemId: 'c1', position: 1 }, { type: 'filter', where: { category: 'Kids' } }])).toEqual(['k4']);
    expect(ids({ k: 3 }, [{ type: 'pin', itemId: 'k1', position: 1 }], emptyProfile(64, T0))).toEqual(['k1', 'k3', 'k4']);
    expect(ids({ k: 3, exclude: ['k1'] }, [{ type: 'pin', itemId: 'k1', position: 1 }])).toEqual(['k3', 'k4', 'k2']);
  });

  it('pins beat boosts and burials: the pin is applied after scoring', () => {
    const rules: RuleInput[] = [{ type: 'bury', where: { ids: ['k4'] }, weight: 5 }, { type: 'pin', itemId: 'k4', position: 1 }, { type: 'boost', where: { ids: ['c1'] }, weight: 5 }];
    const out = recommend({ k: 3 }, rules);
    expect(out.map((r) => r.id)).toEqual(['k4', 'c1', 'k3']);
    expect(out[0]!.reasons.filter((r) => r.kind === 'rule').map((r) => r.weight)).toEqual([0, -5]);
  });

  it('ignores rules outside their active window', () => {
    const later = { activeFrom: NOW + 1 };
    expect(ids({ k: 8 }, [
      { type: 'filter', where: { category: 'Kids' }, ...later },
      { type: 'exclude', where: { brand: 'Retrospot' }, ...later },
      { type: 'boost', where: { ids: ['c3'] }, weight: 9, ...later },
      { type: 'pin', itemId: 'c2', position: 1, activeUntil: NOW - 1 },
    ])).toEqual(BASE);
  });
});
