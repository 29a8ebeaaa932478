import type { Signal } from './signal';

/** The store's popularity prior from the catalog (scaled to [0, 1] when the catalog is parsed). */
export const priorSignal: Signal = {
  values({ catalog }, pool) {
    return Float32Array.from(pool.items, (i) => catalog.prior[i]!);
  },
  reason(_ctx, _i, weight) {
    return { kind: 'popular', weight, text: 'Popular in this store' };
  },
  fallback: true,
};
