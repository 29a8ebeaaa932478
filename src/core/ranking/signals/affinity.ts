import { categoryKey } from '../../catalog';
import { affinityAt, type Affinity } from '../../profile/state';
import { catalogColumns, spread } from '../columns';
import type { Pool, RankContext } from '../context';
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

/** An affinity signal's values over the pool: its per-call table spread over the candidates. */
function spreadLookup(signal: Signal, ctx: RankContext, pool: Pool, out?: Float32Array): Float32Array {
  const { column, table } = signal.lookup!(ctx, pool.requested) as { column: Int32Array; table: Float32Array };
  return spread(pool.items, column, table, out);
}

/**
 * The shopper's affinity to the item's category: its deepest category path the shopper has
 * shown interest in, discounted by how much shallower than the item's own path it is. A category
 * the page is showing (`context.category`) counts in full.
 */
export const categorySignal: Signal = {
  values: (ctx, pool, out) => spreadLookup(categorySignal, ctx, pool, out),
  lookup({ catalog, profile, request, now }) {
    const aff = scaled(profile.categories, now);
    const browsing = request.context?.category;
    const cols = catalogColumns(catalog);
    // One value per distinct category path (columns.ts), then one read per candidate.
    const table = Float32Array.from(cols.categories, ({ keys }) => {
      let cat = 0;
      for (let d = keys.length; d >= 1 && cat === 0; d--) cat = (aff.get(keys[d - 1]!) ?? 0) * (d / keys.length);
      const inContext = browsing !== undefined && keys[keys.length - 1]!.startsWith(browsing) ? 1 : 0;
      return Math.max(cat, inContext);
    });
    return { column: cols.category, table };
  },
  informative: ({ catalog }) => catalogVariety(catalog).categories,
  reason({ catalog }, i, weight) {
    const category = categoryKey(catalog.items[i]!.category);
    return { kind: 'category', category, weight, text: `You have been browsing ${category}` };
  },
};

/** The shopper's affinity to the item's brand (or design range). */
export const brandSignal: Signal = {
  values: (ctx, pool, out) => spreadLookup(brandSignal, ctx, pool, out),
  lookup({ catalog, profile, now }) {
    const aff = scaled(profile.brands, now);
    const cols = catalogColumns(catalog);
    return { column: cols.brand, table: Float32Array.from(cols.brands, (brand) => (brand === undefined ? 0 : aff.get(brand) ?? 0)) };
  },
  informative: ({ catalog }) => catalogVariety(catalog).brands,
  reason({ catalog }, i, weight) {
    const brand = catalog.items[i]!.brand;
    return brand ? { kind: 'brand', weight, text: `You like the ${brand} range` } : undefined;
  },
};

/** The shopper's affinity to the item's price band (see `priceBand`). */
export const priceBandSignal: Signal = {
  values: (ctx, pool, out) => spreadLookup(priceBandSignal, ctx, pool, out),
  lookup({ catalog, profile, now }) {
    const aff = scaled(profile.priceBands, now);
    const cols = catalogColumns(catalog);
    return { column: cols.priceBand, table: Float32Array.from(cols.priceBands, (band) => aff.get(band) ?? 0) };
  },
  informative: ({ catalog }) => catalogVariety(catalog).priceBands,
  reason(_ctx, _i, weight) {
    return { kind: 'price_band', weight, text: 'In the price range you usually look at' };
  },
};
