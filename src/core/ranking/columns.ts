import { categoryKey, type Catalog, type CatalogItem } from '../catalog';
import { priceBand } from '../hash-embedding';

/**
 * The catalog fields that ranking reads for every candidate, as typed columns built once per
 * catalog. Each item's category path, brand and price band is an index into that field's list of
 * distinct values, so a signal works out its value once per distinct value (a few hundred
 * categories, not 100,000 items) and then reads one array slot per candidate: no string work,
 * no Map lookup and no object read in the loop over the catalog.
 */
export interface CatalogColumns {
  /** Every catalog index in order: the candidate list of a whole-catalog request (shared: never modified). */
  readonly all: Int32Array;
  /** 1 where the item is in stock. */
  readonly available: Uint8Array;
  /** Index into `categories` of each item's category path. */
  readonly category: Int32Array;
  /** The distinct category paths, each with its keys by depth: `keys[d - 1]` is `categoryKey(path, d)`. */
  readonly categories: readonly { readonly path: readonly string[]; readonly keys: readonly string[] }[];
  /** Index into `brands` of each item's brand. */
  readonly brand: Int32Array;
  /** The distinct brands; `undefined` stands for "no brand". */
  readonly brands: readonly (string | undefined)[];
  /** Index into `priceBands` of each item's price band. */
  readonly priceBand: Int32Array;
  /** The distinct price bands, as the profile keys them (`String(priceBand(price))`). */
  readonly priceBands: readonly string[];
}

const cache = new WeakMap<Catalog, CatalogColumns>();

/** The catalog's {@link CatalogColumns}, built on first use (one pass over its items) and kept with it. */
export function catalogColumns(catalog: Catalog): CatalogColumns {
  let cols = cache.get(catalog);
  if (!cols) {
    const { items } = catalog;
    const category = distinct(items, (item) => categoryKey(item.category), (item) => item.category);
    const brand = distinct(items, (item) => item.brand ?? '', (item) => item.brand);
    const band = distinct(items, (item) => String(priceBand(item.price)), (item) => String(priceBand(item.price)));
    cols = {
      all: Int32Array.from({ length: items.length }, (_, i) => i),
      available: Uint8Array.from(items, (item) => (item.available ? 1 : 0)),
      category: category.column,
      categories: category.values.map((path) => ({ path, keys: path.map((_, d) => categoryKey(path, d + 1)) })),
      brand: brand.column,
      brands: brand.values,
      priceBand: band.column,
      priceBands: band.values,
    };
    cache.set(catalog, cols);
  }
  return cols;
}

/** Each item's index into the distinct values of a field (`key` tells values apart, `value` is what is kept). */
function distinct<T>(items: readonly CatalogItem[], key: (item: CatalogItem) => string, value: (item: CatalogItem) => T): { column: Int32Array; values: T[] } {
  const seen = new Map<string, number>();
  const values: T[] = [];
  const column = new Int32Array(items.length);
  items.forEach((item, i) => {
    const k = key(item);
    let v = seen.get(k);
    if (v === undefined) {
      v = values.length;
      seen.set(k, v);
      values.push(value(item));
    }
    column[i] = v;
  });
  return { column, values };
}

/**
 * `table[column[item]]` for each pool item, into `out`: a per-call table of one value per distinct
 * field value, spread over the candidates.
 */
export function spread(items: Int32Array, column: Int32Array, table: Float32Array, out: Float32Array = new Float32Array(items.length)): Float32Array {
  for (let c = 0; c < items.length; c++) out[c] = table[column[items[c]!]!]!;
  return out;
}
