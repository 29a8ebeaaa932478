import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { SDK_HOST, serveSdk } from './sdk-host';

/**
 * Two tabs of one store write to one database at the same time. Each tab's engine writes under a
 * Web Lock and re-reads the stored profile inside it, so neither overwrites the other.
 */
/** Opens a tab of the store with localrec started on the database `dbName` (as `window.rec`). */
async function openTab(context: BrowserContext, dbName: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${SDK_HOST}/`);
  await page.evaluate(async (db) => {
    const w = window as unknown as { rec: unknown; localrec: { createLocalrec(o: unknown): { ready(): Promise<unknown> } } };
    const rec = w.localrec.createLocalrec({ catalog: '/catalog.json', dbName: db });
    w.rec = rec;
    await rec.ready();
  }, dbName);
  return page;
}

/** Calls a method of the tab's localrec instance. */
const call = <T>(page: Page, name: string, arg?: unknown) => page.evaluate(async ([n, a]) => {
  const rec = (window as unknown as { rec: Record<string, (x?: unknown) => Promise<unknown>> }).rec;
  return rec[n as string]!(a);
}, [name, arg] as const) as Promise<T>;

test('two tabs × 100 events: one profile counting 200, with both carts', async ({ context }) => {
  await serveSdk(context);
  const open = () => openTab(context, 'two-tabs');
  const [a, b] = [await open(), await open()];
  const burst = (page: Page, tab: string) => page.evaluate(async (t) => {
    const rec = (window as unknown as { rec: { track(e: unknown): Promise<unknown> } }).rec;
    const ids = ['85123A', '71053', '84406B', '84029G', '84029E', '22752', '21730', '22633', '22632', '84879'];
    const calls = [];
    for (let i = 0; i < 100; i++) {
      // Every 10th event puts a line of this tab's own in the cart.
      calls.push(rec.track(i % 10 === 0 ? { type: 'add_to_cart', itemId: `${ids[i / 10]!}`, quantity: t === 'a' ? 1 : 2 } : { type: 'view', itemId: ids[i % 10]! }));
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(calls);
  }, tab);
  await Promise.all([burst(a, 'a'), burst(b, 'b')]);
  const profileOf = (page: Page) => page.evaluate(async () => (window as unknown as { rec: { profile(): Promise<{ storedEvents: number; events: Record<string, number>; cart: { itemId: string; quantity: number }[] }> } }).rec.profile());
  for (const page of [a, b]) {
    const p = await profileOf(page);
    expect(p.storedEvents).toBe(200);
    expect(p.events.view! + p.events.add_to_cart!).toBe(200);
    // Both tabs added the same ten items, one unit from a and two from b: three of each.
    expect(p.cart).toHaveLength(10);
    for (const line of p.cart) expect(line.quantity).toBe(3);
  }
});

test('forget() in one tab wipes the other tab too, which goes on storing on disk', async ({ context }) => {
  await serveSdk(context);
  const [a, b] = [await openTab(context, 'forget-tabs'), await openTab(context, 'forget-tabs')];
  for (const itemId of ['85123A', '71053', '84406B']) await call(b, 'track', { type: 'view', itemId });
  await call(a, 'track', { type: 'add_to_cart', itemId: '22752', quantity: 1 });
  expect((await call<{ storedEvents: number }>(a, 'profile')).storedEvents).toBe(4);

  await call(a, 'forget');
  // Tab b held the same shopper's profile in memory: it must not survive, nor be written back.
  const bAfter = await call<{ storedEvents: number; events: Record<string, number>; cart: unknown[] }>(b, 'profile');
  expect(bAfter).toMatchObject({ storedEvents: 0, cart: [] });
  expect(bAfter.events.view).toBe(0);
  await call(b, 'track', { type: 'view', itemId: '21730' });
  expect((await call<{ storage: { mode: string } }>(b, 'diagnostics')).storage.mode).toBe('indexeddb');

  // A third tab, opened afresh, reads from disk only what came after the forget.
  const c = await openTab(context, 'forget-tabs');
  const fresh = await call<{ storedEvents: number; events: Record<string, number>; cart: unknown[] }>(c, 'profile');
  expect(fresh).toMatchObject({ storedEvents: 1, cart: [] });
  expect(fresh.events.view).toBe(1);
});
