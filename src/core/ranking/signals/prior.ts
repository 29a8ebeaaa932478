import type { Signal } from './signal';
import { hasContent } from './variety';

/**
 * The store's popularity prior from the catalog (scaled to [0, 1] when the catalog is parsed).
 * It orders what personal evidence leaves level: a new shopper's whole catalog, or the many items
 * a content signal scores alike (every item of the browsed category has the same affinity). The
 * sequence signal leaves nothing level (its scores include the store's popularity, at the weight
 * the bundle's fit chose for this store), so when it is the only personal signal, on a catalog
 * without content, the prior would only reorder what the fit ordered, and counts nothing.
 */
export const priorSignal: Signal = {
  values({ catalog }, pool, out = new Float32Array(pool.items.length)) {
    for (let c = 0; c < out.length; c++) out[c] = catalog.prior[pool.items[c]!]!;
    return out;
  },
  lookup: ({ catalog }) => ({ values: catalog.prior, scale: 1 }),
  informative: ({ catalog, sequence }) => sequence === undefined || hasContent(catalog),
  reason(_ctx, _i, weight) {
    return { kind: 'popular', weight, text: 'Popular in this store' };
  },
  fallback: true,
};
