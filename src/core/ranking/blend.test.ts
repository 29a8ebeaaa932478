import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { validateEvent } from '../events';
import { applyEvent } from '../profile/apply-event';
import { emptyProfile } from '../profile/state';
import { T0, testCatalogJson } from '../testing/fixtures';
import { blend, contributionsAt, RANK_WEIGHTS, SIGNAL_NAMES, SIGNALS, type SignalName } from './blend';
import { candidateIndices } from './candidates';
import type { RankContext } from './context';
import { applyFilters } from './filters';
import { queryVector, similarities } from './query';
import type { SequenceScores } from './signals/sequence';

const catalog = parseCatalog(testCatalogJson());
const profile = emptyProfile(64, T0);
for (const [t, itemId] of [[0, 'k1'], [1, 'k3']] as const) applyEvent(profile, validateEvent({ type: 'view', itemId, time: T0 + t }, T0 + t), catalog);
const scores = new Float32Array(catalog.items.length);
scores[catalog.index.get('k4')!] = 4;
scores[catalog.index.get('c2')!] = 1;
const sequence: SequenceScores = { scores, explain: () => [{ itemId: 'k3', weight: 1 }] };
const ctx: RankContext = { catalog, profile, request: { k: 8, context: { category: 'Kids' } }, now: T0 + 1000, sequence };
const candidates = candidateIndices(catalog, ctx.request);
const pool = applyFilters(ctx, candidates, similarities(catalog, candidates, queryVector(profile, catalog, ctx.now)));
const at = (id: string) => Array.from(pool.items).indexOf(catalog.index.get(id)!);

describe('signals', () => {
  it('each give one value per pool item, in [0, 1]', () => {
    for (const name of SIGNAL_NAMES) {
      const v = SIGNALS[name].values(ctx, pool);
      expect(v, name).toHaveLength(pool.items.length);
      for (const x of v) expect(x >= 0 && x <= 1, `${name}: ${x}`).toBe(true);
    }
  });

  it('read what they say they read', () => {
    const v = (name: SignalName) => SIGNALS[name].values(ctx, pool);
    expect(v('sequence')[at('k4')]).toBe(1); // the best sequence score scales to 1
    expect(v('sequence')[at('c2')]).toBe(0.25);
    expect(v('category')[at('k4')]).toBe(1); // in the category the page is showing
    expect(v('brand')[at('k2')]).toBe(1); // Regency, as the viewed k1
    expect(v('brand')[at('c1')]).toBe(0);
    expect(v('prior')[at('k3')]).toBe(1); // the catalog's most popular item
  });
});

describe('blend', () => {
  it('sums each signal times its weight', () => {
    const b = blend(ctx, pool);
    for (let c = 0; c < pool.items.length; c++) {
      const parts = contributionsAt(b, c);
      const sum = SIGNAL_NAMES.reduce((s, n) => s + parts[n], 0);
      expect(b.total[c]).toBeCloseTo(sum, 5);
      for (const n of SIGNAL_NAMES) expect(parts[n]).toBeCloseTo(RANK_WEIGHTS[n] * SIGNALS[n].values(ctx, pool)[c]!, 6);
    }
  });

  it('takes other weights, a signal at 0 counting nothing', () => {
    const only = Object.fromEntries(SIGNAL_NAMES.map((n) => [n, n === 'sequence' ? 1 : 0])) as Record<SignalName, number>;
    const b = blend(ctx, pool, only);
    expect(Array.from(b.total)).toEqual(Array.from(SIGNALS.sequence.values(ctx, pool)));
  });
});

describe('blend on a catalog of ids only', () => {
  // Titles that are the ids, one category, one price: what a store that publishes ids alone gives.
  const ids = parseCatalog(testCatalogJson({
    items: ['1', '2', '3', '4'].map((id, i) => ({ id, title: id, category: ['All items'], price: 0, available: true, popularity: 10 * i })),
  }));
  const p = emptyProfile(64, T0);
  applyEvent(p, validateEvent({ type: 'view', itemId: '2', time: T0 }, T0), ids);
  const seq = new Float32Array(4);
  seq[ids.index.get('3')!] = 1;
  const idsCandidates = candidateIndices(ids, { k: 4 });
  const poolOf = (c: RankContext) => applyFilters(c, idsCandidates, similarities(ids, idsCandidates, queryVector(p, ids, c.now)));

  it('gives no weight to the signals that cannot tell its items apart, nor to the prior beside the sequence signal', () => {
    const c: RankContext = { catalog: ids, profile: p, request: { k: 4 }, now: T0 + 1000, sequence: { scores: seq, explain: () => [] } };
    const b = blend(c, poolOf(c));
    for (const name of ['similarity', 'category', 'brand', 'priceBand', 'prior'] as const) expect(Array.from(b.parts[name]), name).toEqual([0, 0, 0, 0]);
    expect(Array.from(b.total)).toEqual(Array.from(b.parts.sequence));
  });

  it('still ranks by the prior without sequence scores (a new shopper, or a session the bundle does not know)', () => {
    const c: RankContext = { catalog: ids, profile: p, request: { k: 4 }, now: T0 + 1000, sequence: undefined };
    const b = blend(c, poolOf(c));
    expect(b.parts.prior[ids.index.get('4')!]).toBeCloseTo(RANK_WEIGHTS.prior, 6);
    expect(Array.from(b.parts.similarity)).toEqual([0, 0, 0, 0]);
  });
});
