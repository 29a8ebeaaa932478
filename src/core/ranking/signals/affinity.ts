import { categoryKey, type Catalog } from '../../catalog';
import { priceBand } from '../../hash-embedding';
import { affinityAt, type Affinity } from '../../profile/state';
import type { Pool } from '../context';
import type { Signal } from './signal';
import { catalogVariety } from './variety';

/** Affinities decayed to now and scaled so the strongest of the kind is 1. */
function scaled(rec: Record<string, Affinity>, now: number): Map<string, number> {
  const m = new Map<string, number>();
  let max = 0;
  for (const [k, a] of Object.entries(rec)) {
    const v = affinityAt(a, now);
    if (v > 0) m.set(k, v);
    max = Math.max(max, v);
  }
  for (const [k, v] of m) m.set(k, v / max);
  return m;
}

/** Applies `value` to every pool item. */
function perItem(catalog: Catalog, pool: Pool, value: (item: Catalog['items'][number]) => number): Float32Array {
  const out = new Float32Array(pool.items.length);
  for (let c = 0; c < out.length; c++) out[c] = value(catalog.items[pool.items[c]!]!);
  return out;
}

/**
 * The shopper's affinity to the item's category: its deepest category path the shopper has
 * shown interest in, discounted by how much shallower than the item's own path it is. A category
 * the page is showing (`context.category`) counts in full.
 */
export const categorySignal: Signal = {
  values({ catalog, profile, request, now }, pool) {
    const aff = scaled(profile.categories, now);
    const browsing = request.context?.category;
    return perItem(catalog, pool, (item) => {
      let cat = 0;
      for (let d = item.category.length; d >= 1 && cat === 0; d--) cat = (aff.get(categoryKey(item.category, d)) ?? 0) * (d / item.category.length);
      const inContext = browsing !== undefined && categoryKey(item.category).startsWith(browsing) ? 1 : 0;
      return Math.max(cat, inContext);
    });
  },
  informative: ({ catalog }) => catalogVariety(catalog).categories,
  reason({ catalog }, i, weight) {
    const category = categoryKey(catalog.items[i]!.category);
    return { kind: 'category', category, weight, text: `You have been browsing ${category}` };
  },
};

/** The shopper's affinity to the item's brand (or design range). */
export const brandSignal: Signal = {
  values({ catalog, profile, now }, pool) {
    const aff = scaled(profile.brands, now);
    return perItem(catalog, pool, (item) => (item.brand === undefined ? 0 : aff.get(item.brand) ?? 0));
  },
  informative: ({ catalog }) => catalogVariety(catalog).brands,
  reason({ catalog }, i, weight) {
    const brand = catalog.items[i]!.brand;
    return brand ? { kind: 'brand', weight, text: `You like the ${brand} range` } : undefined;
  },
};

/** The shopper's affinity to the item's price band (see `priceBand`). */
export const priceBandSignal: Signal = {
  values({ catalog, profile, now }, pool) {
    const aff = scaled(profile.priceBands, now);
    return perItem(catalog, pool, (item) => aff.get(String(priceBand(item.price))) ?? 0);
  },
  informative: ({ catalog }) => catalogVariety(catalog).priceBands,
  reason(_ctx, _i, weight) {
    return { kind: 'price_band', weight, text: 'In the price range you usually look at' };
  },
};
