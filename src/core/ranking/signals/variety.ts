import { categoryKey, type Catalog, type CatalogItem } from '../../catalog';
import { priceBand, words } from '../../hash-embedding';

/**
 * Which content fields tell a catalog's items apart. A field tells items apart when some value of
 * it is shared by two or more items but not by all: one category for the whole catalog says
 * nothing, and neither do titles that are only each item's own id (a store that publishes ids
 * alone). A signal reading only such fields gives every item the same value, plus, for the cosine
 * of hashed embeddings, the noise of unrelated features sharing a bucket; the blend gives it no
 * weight (see `Signal.informative`).
 */
export interface CatalogVariety {
  /** Category paths (any prefix shared by some items and not all). */
  readonly categories: boolean;
  readonly brands: boolean;
  /** Price bands (see `priceBand`). */
  readonly priceBands: boolean;
  /** Title words, as the hashing embedding reads them. */
  readonly titles: boolean;
  /** The store shipped embeddings of its own: their likeness is taken as content. */
  readonly embeddings: boolean;
}

const cache = new WeakMap<Catalog, CatalogVariety>();

/** True when some field tells items apart: item likeness (cosine, affinities) then has content to go on. */
export function hasContent(catalog: Catalog): boolean {
  const v = catalogVariety(catalog);
  return v.embeddings || v.categories || v.brands || v.priceBands || v.titles;
}

/** The catalog's {@link CatalogVariety}, computed once per catalog (one pass over its items per field). */
export function catalogVariety(catalog: Catalog): CatalogVariety {
  let v = cache.get(catalog);
  if (!v) {
    const { items } = catalog;
    v = {
      categories: sharedByFew(items, (item) => item.category.map((_, d) => categoryKey(item.category, d + 1))),
      brands: sharedByFew(items, (item) => (item.brand === undefined ? [] : [item.brand])),
      priceBands: sharedByFew(items, (item) => [String(priceBand(item.price))]),
      titles: sharedByFew(items, (item) => words(item.title)),
      embeddings: catalog.hashedItems < items.length,
    };
    cache.set(catalog, v);
  }
  return v;
}

/** True when some feature is held by two or more items but not by every item. */
function sharedByFew(items: readonly CatalogItem[], featuresOf: (item: CatalogItem) => readonly string[]): boolean {
  const n = items.length;
  if (n < 3) return false;
  // A feature every item holds is one the first item holds: count those; any other seen twice is shared by few.
  const first = new Map<string, number>();
  for (const f of featuresOf(items[0]!)) first.set(f, 1);
  const once = new Set<string>();
  for (let i = 1; i < n; i++) {
    for (const f of new Set(featuresOf(items[i]!))) {
      const count = first.get(f);
      if (count !== undefined) first.set(f, count + 1);
      else if (once.has(f)) return true;
      else once.add(f);
    }
  }
  for (const count of first.values()) if (count >= 2 && count < n) return true;
  return false;
}
