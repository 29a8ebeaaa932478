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
