/**
 * Builds the demo storefront's catalog from UCI Online Retail (CC BY 4.0).
 *
 *   npm run build-catalog -- [--input ../shared/data/online-retail-2010-12/online-retail.csv] [--out demo/data/catalog.json]
 *
 * One item per stock code: the title is the first description seen (title-cased), the price the
 * median unit price of its sales, the popularity prior the number of invoices that bought it.
 * Categories and ranges come from demo-taxonomy.ts. Non-products (postage, fees, manual
 * adjustments, vouchers) are left out. An item is available when it has at least one real sale
 * (quantity > 0 on an invoice that is not a cancellation). No embeddings are shipped: the SDK
 * computes them on the device, which is what a store without an embedding pipeline would do.
 *
 * Stock codes that differ only in case (85123A and 85123a) are one product in the data: same
 * description, the lower-case spelling only on a few anonymous till sales at a higher price. Left
 * apart, a shopper sees the same product twice and is recommended an item "because you viewed"
 * itself, so they become one item under the upper-case code (the store's own convention), with
 * their sales pooled.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CatalogItem, CatalogJson } from '../src/core/catalog';
import { readOnlineRetail } from '../src/core/online-retail';
import { categorise, rangeOf } from './demo-taxonomy';
import { isEntryPoint, parseOptions, runTool } from './lib/cli';

export const ATTRIBUTION =
  'Product names, prices and baskets derived from: Chen, D. (2015). Online Retail [Dataset]. UCI Machine Learning Repository. https://doi.org/10.24432/C5BW33 (CC BY 4.0). Categories and ranges assigned by localrec tools/demo-taxonomy.ts.';

const PRODUCT_CODE = /^(\d{5}[A-Za-z]{0,2}|DCGS\d+[A-Za-z]?)$/;

function titleCase(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase().replace(/(^|[\s(/-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface DemoCatalogBuild {
  catalog: CatalogJson;
  /** Each kept id with the other spellings merged into it. */
  merged: { id: string; merged: string[] }[];
}

interface Sales { title: string; prices: number[]; invoices: Set<string>; spellings: Map<string, number> }

export function buildDemoCatalog(csv: string): DemoCatalogBuild {
  const seen = new Map<string, Sales>();
  for (const row of readOnlineRetail(csv)) {
    if (!PRODUCT_CODE.test(row.stockCode) || row.description === '') continue;
    const key = row.stockCode.toUpperCase();
    const entry = seen.get(key) ?? { title: row.description, prices: [], invoices: new Set<string>(), spellings: new Map<string, number>() };
    seen.set(key, entry);
    entry.spellings.set(row.stockCode, (entry.spellings.get(row.stockCode) ?? 0) + 1);
    if (!row.cancelled && row.quantity > 0 && row.unitPrice > 0) {
      entry.prices.push(row.unitPrice);
      entry.invoices.add(row.invoice);
    }
  }
  // Upper case when the data has it; otherwise the spelling on most lines, ties in code order, so the build stays deterministic.
  const idOf = (key: string, spellings: Map<string, number>) =>
    spellings.has(key) ? key : [...spellings].sort(([a, n], [b, m]) => m - n || (a < b ? -1 : a > b ? 1 : 0))[0]![0];
  const merged: DemoCatalogBuild['merged'] = [];
  const byId = new Map<string, Sales>();
  for (const [key, e] of seen) {
    const id = idOf(key, e.spellings);
    byId.set(id, e);
    if (e.spellings.size > 1) merged.push({ id, merged: [...e.spellings.keys()].filter((s) => s !== id).sort() });
  }
  const items: CatalogItem[] = [];
  for (const [id, e] of [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (e.prices.length === 0 && e.invoices.size === 0) {
      // Never sold at a price: keep it listed (a shopper may still look it up) but unavailable.
      items.push({ id, title: titleCase(e.title), category: categorise(e.title), price: 0, available: false, popularity: 0 });
      continue;
    }
    const item: CatalogItem = {
      id, title: titleCase(e.title), category: categorise(e.title),
      price: Math.round(median(e.prices) * 100) / 100, available: true, popularity: e.invoices.size,
    };
    const range = rangeOf(e.title);
    if (range) item.brand = range;
    items.push(item);
  }
  merged.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // v2: case variants merged (v1 listed them as separate items).
  return { catalog: { format: 'localrec-catalog', formatVersion: 1, version: 'online-retail-2010-12.v2', currency: 'GBP', attribution: ATTRIBUTION, items }, merged };
}

function main(): void {
  const args = parseOptions({
    input: { type: 'string', default: '../shared/data/online-retail-2010-12/online-retail.csv' },
    out: { type: 'string', default: 'demo/data/catalog.json' },
  });
  const out = resolve(args.out);
  const { catalog, merged } = buildDemoCatalog(readFileSync(resolve(args.input), 'utf8'));
  writeFileSync(out, JSON.stringify(catalog) + '\n');
  const byCategory = new Map<string, number>();
  for (const it of catalog.items) byCategory.set(it.category.join(' > '), (byCategory.get(it.category.join(' > ')) ?? 0) + 1);
  console.log(JSON.stringify({ out, items: catalog.items.length, available: catalog.items.filter((i) => i.available).length, withRange: catalog.items.filter((i) => i.brand).length, categories: Object.fromEntries([...byCategory].sort((a, b) => b[1] - a[1])),
    mergedCaseVariants: merged.length, merged: merged.map((m) => `${m.id} ← ${m.merged.join(', ')}`).join('; ') }, null, 1));
}

const USAGE = 'npm run build-catalog -- [--input FILE] [--out FILE]';

if (isEntryPoint(import.meta.url)) await runTool('build-catalog', USAGE, main);
