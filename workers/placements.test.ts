import 'fake-indexeddb/auto';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { LocalrecError } from '../src/core/errors';
import { T0, testCatalogJson } from '../src/core/testing/fixtures';
import { engineSuite } from './testing/engines';
import { nodeHost } from './testing/node-host';

const suite = engineSuite('placements');
const host = (files: Record<string, unknown> = {}) => nodeHost({ '/catalog.json': testCatalogJson(), ...files });

async function rejection(p: Promise<unknown>): Promise<LocalrecError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LocalrecError);
    return e as LocalrecError;
  }
  throw new Error('expected a rejection');
}

describe('Engine placements and rules', () => {
  it('applies store-wide rules from a URL with the call\'s own, reports invalid ones and gives the placement back', async () => {
    const { engine } = await suite.start(host({ '/rules.json': { rules: [{ type: 'pin', itemId: 'c3', position: 1, label: 'hero' }, { type: 'boost', where: {}, weight: 99 }] } }), { rules: '/rules.json' });
    const out = await engine.recommend({ k: 3, placement: 'home', rules: [{ type: 'filter', where: { category: 'Home' } }, { type: 'bury', where: { colour: 'red' }, weight: 1 }] });
    expect(out.placement).toBe('home');
    expect(out.items.map((r) => r.id)).toEqual(['c3', 'k1', 'k2']);
    expect(out.items[0]!.reasons[0]).toMatchObject({ kind: 'rule', rule: 'hero' });
    expect(out.ruleErrors!.map((e) => e.field)).toEqual(['store rules[1].weight', 'rules[1].where.colour']);
    expect((await engine.recommend({ k: 1 })).placement).toBeUndefined();
  });

  it('applies the rules the catalog publishes with the option\'s and the call\'s, reporting invalid ones while the catalog loads', async () => {
    const catalog = { ...testCatalogJson(), rules: [{ type: 'pin', itemId: 'c2', position: 1, label: 'catalog-hero' }, { type: 'exclude', where: { colour: 'red' } }] };
    const { engine, info, dbName } = await suite.start(nodeHost({ '/catalog.json': catalog }), { rules: [{ type: 'exclude', where: { brand: 'Retrospot' } }] });
    expect(info.items).toBe(8);
    const out = await engine.recommend({ k: 3, rules: [{ type: 'bury', where: { ids: ['k4'] }, weight: 9 }] });
    expect(out.items.map((r) => r.id)).toEqual(['c2', 'k1', 'k2']);
    expect(out.items[0]!.reasons[0]).toMatchObject({ kind: 'rule', rule: 'catalog-hero' });
    expect(out.ruleErrors!.map((e) => e.field)).toEqual(['catalog rules[1].where.colour']);
    // rerank() follows them too: the excluded brand goes to the end, the pin to the front.
    const reranked = await engine.rerank(['k3', 'k1', 'c2'], { strength: 0 });
    expect(reranked.items.map((r) => r.id)).toEqual(['c2', 'k1', 'k3']);
    expect(reranked.ruleErrors).toHaveLength(1);
    // A later start that ranks with the cached copy (the download fails) applies them as well.
    await engine.close();
    const again = await suite.start(nodeHost({}), { dbName, rules: [{ type: 'exclude', where: { brand: 'Retrospot' } }] });
    await expect.poll(async () => (await again.engine.diagnostics()).catalog.error).toMatch(/cached catalog failed, it is kept.*HTTP 404/);
    const cached = await again.engine.recommend({ k: 3, rules: [{ type: 'bury', where: { ids: ['k4'] }, weight: 9 }] });
    expect(cached.items.map((r) => r.id)).toEqual(['c2', 'k1', 'k2']);
    expect(cached.ruleErrors!.map((e) => e.field)).toEqual(['catalog rules[1].where.colour']);
  });

  it('gives each result its display fields when asked (details: true)', async () => {
    const { engine } = await suite.start(host());
    const out = await engine.recommend({ k: 1, details: true });
    expect(out.items[0]!.item).toEqual({ title: 'Retrospot Lunch Bag Red', price: 1.65, currency: 'GBP', category: ['Fashion', 'Bags & purses'], brand: 'Retrospot' });
    expect((await engine.recommend({ k: 1 })).items[0]!.item).toBeUndefined();
    const reranked = await engine.rerank(['k1', 'nope'], { details: true });
    expect(reranked.items.map((r) => r.item?.title)).toEqual(['Regency Cakestand 3 Tier', undefined]);
    expect((await rejection(engine.recommend({ details: 'yes' }))).field).toBe('details');
  });

  it('reports store rules that cannot be downloaded and still ranks', async () => {
    const { engine } = await suite.start(host(), { rules: '/missing.json' });
    const out = await engine.recommend({ k: 2 });
    expect(out.items).toHaveLength(2);
    expect(out.ruleErrors![0]).toMatchObject({ code: 'invalid_rule', field: 'rules' });
  });

  it('related() ranks around the item and never returns it', async () => {
    const { engine } = await suite.start(host());
    await engine.track({ type: 'view', itemId: 'c1', time: T0 });
    const out = await engine.related('k1', { k: 7, placement: 'pdp', rules: [{ type: 'pin', itemId: 'k1', position: 1 }] });
    expect(out.placement).toBe('pdp');
    expect(out.items.map((r) => r.id)).not.toContain('k1');
    // Personalised (the shopper viewed a candle), and the item's neighbour above the other ranges.
    const order = out.items.map((r) => r.id);
    expect(order.indexOf('k2')).toBeLessThan(order.indexOf('k3'));
    expect(out.items.find((r) => r.id === 'k2')!.reasons.map((r) => r.kind)).toContain('context');
    expect((await rejection(engine.related(42))).field).toBe('itemId');
  });

  it('rerank() returns a permutation that moves the browsed category up', async () => {
    const { engine } = await suite.start(host());
    await engine.track({ type: 'view', itemId: 'c1', time: T0 });
    await engine.track({ type: 'click', itemId: 'c2', time: T0 + 1 });
    const ids = ['k3', 'k4', 'x', 'k1', 'k2', 'c3'];
    expect((await engine.rerank(ids, { strength: 0 })).items.map((r) => r.id)).toEqual(ids);
    const out = await engine.rerank(ids, { strength: 1, placement: 'search' });
    expect(out.placement).toBe('search');
    expect(out.items.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(out.items[0]!.id).toBe('c3');
    expect(out.items[2]!.id).toBe('x');
    expect((await engine.rerank([])).items).toEqual([]);
    expect((await rejection(engine.rerank(Array.from({ length: 1001 }, (_, i) => `${i}`)))).code).toBe('invalid_argument');
  });
});
