import { expect, test, type Page } from '@playwright/test';
import { SDK_HOST, serveSdk } from './sdk-host';

/**
 * Two tabs of one store write to one database at the same time. Each tab's engine writes under a
 * Web Lock and re-reads the stored profile inside it, so neither overwrites the other.
 */
test('two tabs × 100 events: one profile counting 200, with both carts', async ({ context }) => {
  await serveSdk(context);
  const open = async () => {
    const page = await context.newPage();
    await page.goto(`${SDK_HOST}/`);
    await page.evaluate(async () => {
      const w = window as unknown as { rec: unknown; localrec: { createLocalrec(o: unknown): { ready(): Promise<unknown> } } };
      const rec = w.localrec.createLocalrec({ catalog: '/catalog.json', dbName: 'two-tabs' });
      w.rec = rec;
      await rec.ready();
    });
    return page;
  };
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
