import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { SDK_HOST, serveSdk } from './sdk-host';

/**
 * Issue 11 §1–§2 in real Chromium, on the script-tag build served from an https origin of our
 * own: placements (`recommend`, `related`, `rerank`) and business rules (pins, out of stock).
 * The demo catalog is served with its most popular item, 85123A, out of stock.
 */

const OUT_OF_STOCK = '85123A';
const catalog = JSON.parse(readFileSync('demo/data/catalog.json', 'utf8')) as { items: { id: string; category: string[]; available: boolean; popularity: number }[] };
for (const item of catalog.items) if (item.id === OUT_OF_STOCK) item.available = false;
const byId = new Map(catalog.items.map((i) => [i.id, i]));
const inCategory = (id: string, top: string) => byId.get(id)?.category.join(' > ').startsWith(top) ?? false;

interface Result { items: { id: string; reasons: { kind: string; rule?: string }[] }[]; placement?: string; ruleErrors?: { field: string }[] }

test.beforeEach(async ({ context }) => {
  await serveSdk(context, (path) => (path === '/catalog.json' ? { body: JSON.stringify(catalog), contentType: 'application/json' } : undefined));
});

/** Starts `window.rec` on the blank store page, with store-wide `rules`. */
async function start(page: Page, rules: unknown[] = []): Promise<void> {
  await page.goto(`${SDK_HOST}/`);
  await page.evaluate(async (r) => {
    const w = window as unknown as { rec: { ready(): Promise<unknown> }; localrec: { createLocalrec(o: unknown): { ready(): Promise<unknown> } } };
    w.rec = w.localrec.createLocalrec({ catalog: '/catalog.json', backend: 'cpu', rules: r });
    await w.rec.ready();
  }, rules);
}

/** Calls `rec[name](...args)` on the page. */
function call<T = Result>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([n, a]) => (window as unknown as { rec: Record<string, (...x: unknown[]) => Promise<unknown>> }).rec[n as string]!(...(a as unknown[])), [name, args] as const) as Promise<T>;
}

test('a pinned item sits where it was pinned, with a rule reason, and store-wide rules apply', async ({ page }) => {
  const pinned = [...catalog.items].filter((i) => i.available).sort((a, b) => a.popularity - b.popularity)[0]!.id;
  await start(page, [{ type: 'pin', itemId: pinned, position: 3, label: 'store-hero' }]);
  const out = await call(page, 'recommend', { k: 8, placement: 'home-strip', rules: [{ type: 'filter', where: { colour: 'red' } }] });
  expect(out.placement).toBe('home-strip');
  expect(out.items).toHaveLength(8);
  expect(out.items[2]!.id).toBe(pinned);
  expect(out.items[2]!.reasons[0]).toMatchObject({ kind: 'rule', rule: 'store-hero' });
  expect(out.ruleErrors?.map((e) => e.field)).toEqual(['rules[0].where.colour']);
  // A per-call pin of another item takes the first place; the store's keeps its own.
  const both = await call(page, 'recommend', { k: 5, rules: [{ type: 'pin', itemId: '22086', position: 1 }] });
  expect(both.items.map((r) => r.id).slice(0, 3)).toEqual(['22086', expect.any(String), pinned]);
});

test('an out-of-stock item never shows, not even pinned or as a related item', async ({ page }) => {
  await start(page, [{ type: 'pin', itemId: OUT_OF_STOCK, position: 1 }]);
  await call(page, 'track', { type: 'view', itemId: '21733' }); // a red hanging heart T-light holder
  const ids = (r: Result) => r.items.map((i) => i.id);
  expect(ids(await call(page, 'recommend', { k: 200 }))).not.toContain(OUT_OF_STOCK);
  expect(ids(await call(page, 'recommend', { k: 50, context: { category: 'Home > Candles & lights' } }))).not.toContain(OUT_OF_STOCK);
  expect(ids(await call(page, 'related', '21733', { k: 50 }))).not.toContain(OUT_OF_STOCK);
});

test('rerank() returns a permutation that moves the browsed category up', async ({ page }) => {
  await start(page);
  const candles = catalog.items.filter((i) => inCategory(i.id, 'Home > Candles & lights') && i.available).slice(0, 12).map((i) => i.id);
  for (const itemId of candles.slice(0, 4)) await call(page, 'track', { type: 'click', itemId });
  // The store's list: 30 other items first, then 8 candles it has not been shown, and ids the catalog lacks.
  const others = catalog.items.filter((i) => !inCategory(i.id, 'Home > Candles')).slice(0, 30).map((i) => i.id);
  const list = [...others.slice(0, 10), 'not-in-catalog-1', ...others.slice(10), ...candles.slice(4), 'not-in-catalog-2'];
  const mean = (order: string[]) => candles.slice(4).reduce((s, id) => s + order.indexOf(id), 0) / 8;
  const store = await call(page, 'rerank', list, { strength: 0 });
  expect(store.items.map((r) => r.id)).toEqual(list);
  const out = await call(page, 'rerank', list, { placement: 'search' });
  const order = out.items.map((r) => r.id);
  expect(out.placement).toBe('search');
  expect([...order].sort()).toEqual([...list].sort());
  expect(order[10]).toBe('not-in-catalog-1');
  expect(order.at(-1)).toBe('not-in-catalog-2');
  expect(mean(order)).toBeLessThan(mean(list) - 10);
  const tooMany = await page.evaluate(() => (window as unknown as { rec: { rerank(x: string[]): Promise<unknown> } }).rec.rerank(Array.from({ length: 1001 }, (_, i) => `${i}`)).then(() => null, (e: { code?: string; field?: string }) => [e.code, e.field]));
  expect(tooMany).toEqual(['invalid_argument', 'ids']);
});

test('related() never returns the item, and ranks its neighbours first', async ({ page }) => {
  await start(page);
  const item = '22423'; // Regency Cakestand 3 Tier
  const out = await call(page, 'related', item, { k: 12, placement: 'pdp', rules: [{ type: 'pin', itemId: item, position: 1 }] });
  expect(out.placement).toBe('pdp');
  expect(out.items).toHaveLength(12);
  expect(out.items.map((r) => r.id)).not.toContain(item);
  expect(out.items[0]!.reasons.map((r) => r.kind)).toContain('context');
});
