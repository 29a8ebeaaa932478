import type { NeighbourGraph, SequenceBundle } from './types';

/**
 * A bundle with no learned evidence, for running without a server bundle: the ranker then only
 * boosts items the shopper already viewed (ids from the catalog, if given).
 *
 * @example
 * const ranker = new SequenceRanker(emptyBundle(catalog.items.map((it) => it.id)));
 */
export function emptyBundle(itemIds: readonly string[] = []): SequenceBundle {
  const ids = [...new Set(itemIds)];
  const n = ids.length;
  const graph = (): NeighbourGraph => ({ offsets: new Uint32Array(n + 1), targets: new Uint32Array(0), weights: new Float32Array(0) });
  return {
    itemIds: ids,
    popularity: new Float32Array(n),
    recentPopularity: new Float32Array(n),
    next: graph(),
    similar: graph(),
    meta: { lastDay: 0, recentDays: 0, minSupport: 1 },
  };
}
