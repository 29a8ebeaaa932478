/**
 * Catalogs for the full-path evaluation (`npm run eval -- --full-path`), built from what each
 * data set says about its items, so the worker's ranking path can be replayed on them:
 *
 * - Diginetica: `product-categories.csv` (`itemId;categoryId`), each category id a one-level
 *   category path. The sample has no prices and no product names.
 * - Online Retail: each stock code's description as its title and its median unit price, as the
 *   demo catalog reads them (`buildDemoCatalog`; its keyword categories and ranges are not used).
 * - YooChoose: ids only.
 *
 * The catalog format needs a title and a category for every item; where the data set has none,
 * the title is the item id and the category the one placeholder {@link NO_CATEGORY}, and the price
 * is 0. No embeddings are given: `parseCatalog` computes the SDK's feature-hashing embeddings
 * from these fields, as it would for a store that ships none. The items are the training items
 * (the evaluation's candidates), in tie order, all available; the popularity prior is the number
 * of training sessions that looked at the item, as a store's server would count it. The test
 * sessions are never read.
 */
import type { CatalogItem, CatalogJson } from '../../src/core/catalog';
import { columnIndices, readTable } from '../../src/core/csv';
import { ItemIndex } from '../../src/core/sequence/item-index';
import type { LogSession } from '../../src/core/sequence/types';
import { buildDemoCatalog } from '../build-demo-catalog';

/** What a data set says about an item besides its id; absent fields are unknown. */
export interface ItemContent {
  readonly title?: string;
  readonly category?: readonly string[];
  readonly price?: number;
}

/** Item content by item id, as one data set gives it. */
export type ItemContents = ReadonlyMap<string, ItemContent>;

/** The category of items the data set gives none (the catalog format requires one). */
export const NO_CATEGORY = 'All items';

/** Diginetica's `product-categories.csv` (`itemId;categoryId`): each item's category id as a one-level path. */
export function digineticaContents(text: string): Map<string, ItemContent> {
  const table = readTable(text, (l) => l.split(';'), 'Diginetica product categories');
  const [ii, ci] = columnIndices(table.header, ['itemId', 'categoryId'], 'Diginetica product categories (; separated)') as [number, number];
  const out = new Map<string, ItemContent>();
  for (const { cols } of table.rows) {
    const id = cols[ii]?.trim() ?? '';
    const category = cols[ci]?.trim() ?? '';
    if (id !== '' && category !== '') out.set(id, { category: [category] });
  }
  return out;
}

/**
 * UCI Online Retail: each product's title (its description) and price (median unit price of its
 * sales), keyed by every spelling of its stock code in the file, since the click log keeps them
 * apart where the demo catalog merges case variants. Non-products (postage, fees) are not listed.
 */
export function onlineRetailContents(csv: string): Map<string, ItemContent> {
  const { catalog, merged } = buildDemoCatalog(csv);
  const out = new Map<string, ItemContent>();
  for (const item of catalog.items) out.set(item.id, { title: item.title, price: item.price });
  for (const { id, merged: spellings } of merged) for (const s of spellings) out.set(s, out.get(id)!);
  return out;
}

/** How the catalog covers its items, for the report. */
export interface EvalCatalogStats {
  readonly items: number;
  /** Items with a title, a category and a price from the data set. */
  readonly titled: number;
  readonly categorised: number;
  readonly priced: number;
}

/** The catalog of the training items, with what `contents` knows about each (see the module comment). */
export function evalCatalog(train: readonly LogSession[], contents: ItemContents, version: string): { json: CatalogJson; stats: EvalCatalogStats } {
  const sessionsOf = new Map<string, number>();
  for (const s of train) for (const id of new Set(s.events.map((e) => e.itemId))) sessionsOf.set(id, (sessionsOf.get(id) ?? 0) + 1);
  const ids = new ItemIndex(sessionsOf.keys()).ids;
  let titled = 0;
  let categorised = 0;
  let priced = 0;
  const items = ids.map((id): CatalogItem => {
    const c = contents.get(id) ?? {};
    if (c.title) titled++;
    if (c.category?.length) categorised++;
    if (c.price !== undefined && c.price > 0) priced++;
    return {
      id,
      title: c.title || id,
      category: c.category?.length ? [...c.category] : [NO_CATEGORY],
      price: c.price ?? 0,
      available: true,
      popularity: sessionsOf.get(id)!,
    };
  });
  return {
    json: { format: 'localrec-catalog', formatVersion: 1, version, items },
    stats: { items: items.length, titled, categorised, priced },
  };
}
