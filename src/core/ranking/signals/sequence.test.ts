import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../catalog';
import { validateEvent } from '../../events';
import { applyEvent } from '../../profile/apply-event';
import { emptyProfile } from '../../profile/state';
import { buildSequenceBundle } from '../../sequence/bundle-builder';
import { decodeBundle, encodeBundle } from '../../sequence/bundle-format';
import { SequenceRanker } from '../../sequence/ranker';
import type { LogSession } from '../../sequence/types';
import { T0, testCatalogJson } from '../../testing/fixtures';
import { CatalogSequenceRanker, sessionItems } from './sequence';

const catalog = parseCatalog(testCatalogJson());

// Shoppers who look at the lunch bag (k3) go on to the lunch box (k4); "x9" is not in the catalog.
const sessions: LogSession[] = Array.from({ length: 6 }, (_, s) => ({
  sessionId: String(s),
  events: [{ itemId: 'k3', time: s * 100 }, { itemId: 'k4', time: s * 100 + 1 }, { itemId: 'x9', time: s * 100 + 2 }],
}));
const ranker = new SequenceRanker(decodeBundle(encodeBundle(buildSequenceBundle(sessions, { minSupport: 2 }))));

function profileOf(events: Record<string, unknown>[]) {
  const p = emptyProfile(64, T0);
  for (const e of events) applyEvent(p, validateEvent(e, e.time as number), catalog);
  return p;
}

describe('sessionItems', () => {
  it('keeps item looks in order, in seconds, merging a click and the view it opened', () => {
    const p = profileOf([
      { type: 'click', itemId: 'k3', time: T0 }, { type: 'view', itemId: 'k3', time: T0 + 10 },
      { type: 'impression', itemIds: ['c1'], time: T0 + 20 }, { type: 'search', query: 'bag', time: T0 + 30 },
      { type: 'add_to_cart', itemId: 'k1', time: T0 + 2000 },
    ]);
    expect(sessionItems(p)).toEqual([{ itemId: 'k3', time: T0 / 1000 }, { itemId: 'k1', time: (T0 + 2000) / 1000 }]);
  });

  it('counts the same item looked at again (an event of a type its look already had) as another look, as click logs do', () => {
    const p = profileOf([
      { type: 'view', itemId: 'k3', time: T0 }, { type: 'view', itemId: 'k3', time: T0 + 30_000 },
      { type: 'click', itemId: 'k1', time: T0 + 60_000 }, { type: 'view', itemId: 'k1', time: T0 + 60_010 },
      { type: 'add_to_cart', itemId: 'k1', time: T0 + 70_000 }, { type: 'view', itemId: 'k1', time: T0 + 90_000 },
    ]);
    expect(sessionItems(p).map((e) => [e.itemId, e.time * 1000 - T0])).toEqual([['k3', 0], ['k3', 30_000], ['k1', 60_000], ['k1', 90_000]]);
  });
});

describe('CatalogSequenceRanker', () => {
  it('moves bundle scores onto catalog indices and explains them', () => {
    const bridge = new CatalogSequenceRanker(ranker, catalog);
    expect(bridge.matched).toBe(2); // k3 and k4; x9 is not in the catalog
    const signal = bridge.scoresFor(profileOf([{ type: 'view', itemId: 'k3', time: T0 }]))!;
    expect(signal.scores).toHaveLength(catalog.items.length);
    const [k3, k4] = [catalog.index.get('k3')!, catalog.index.get('k4')!];
    // The viewed item itself scores highest (repeat clicks are common); next comes what follows it.
    const order = [...signal.scores.keys()].sort((a, b) => signal.scores[b]! - signal.scores[a]!);
    expect(order.slice(0, 2)).toEqual([k3, k4]);
    expect(signal.scores[catalog.index.get('c1')!]).toBe(0);
    expect(signal.explain(k4)[0]).toMatchObject({ itemId: 'k3' });
    expect(signal.explain(catalog.index.get('c1')!)).toEqual([]);
  });

  it('gives no signal for a session without bundle items', () => {
    const bridge = new CatalogSequenceRanker(ranker, catalog);
    expect(bridge.scoresFor(profileOf([{ type: 'view', itemId: 'c1', time: T0 }]))).toBeUndefined();
    expect(bridge.scoresFor(emptyProfile(64, T0))).toBeUndefined();
  });
});
