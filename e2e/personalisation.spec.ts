import { expect, test } from '@playwright/test';
import { openDemo, recCategories, sdk } from './helpers';

test('browsing one category moves it up the recommendations, with reasons', async ({ page }) => {
  await openDemo(page);
  const target = 'Home > Candles & lights';
  const before = await recCategories(page);
  await page.getByRole('button', { name: 'Candles & lights', exact: true }).click();
  const products = page.locator('[data-testid="product"]');
  for (let i = 0; i < 4; i++) {
    await products.nth(i).click();
    await page.locator('#detail [data-close]').click();
  }
  await expect.poll(async () => (await recCategories(page)).filter((c) => c === target).length).toBeGreaterThan(before.filter((c) => c === target).length);
  const after = await recCategories(page);
  expect(after[0]).toBe(target);
  expect(after.filter((c) => c === target).length).toBeGreaterThanOrEqual(4);
  await expect(page.locator('[data-testid="rec"] .why').first()).toContainText(/Similar to|browsing|often look at/);
  await expect(page.locator('[data-testid="top-categories"]')).toContainText('Candles & lights');
});

test('the profile survives a reload and forget() wipes it', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('button', { name: 'Bags & purses', exact: true }).click();
  await page.locator('[data-testid="product"]').first().click();
  await page.locator('#detail [data-add]').click();
  await expect(page.locator('#cart-count')).toHaveText('1');
  const stored = await sdk<{ storedEvents: number; topCategories: { key: string }[] }>(page, 'profile');
  expect(stored.topCategories[0]!.key).toBe('Fashion > Bags & purses');

  await page.reload();
  await openDemo(page);
  await expect(page.locator('#cart-count')).toHaveText('1');
  const reloaded = await sdk<{ storedEvents: number; topCategories: { key: string }[] }>(page, 'profile');
  expect(reloaded.topCategories[0]!.key).toBe('Fashion > Bags & purses');
  expect(reloaded.storedEvents).toBeGreaterThanOrEqual(stored.storedEvents);

  await page.getByRole('button', { name: 'Forget me' }).click();
  await page.getByRole('button', { name: 'Erase my data' }).click();
  await expect(page.locator('#cart-count')).toHaveText('0');
  await expect(page.locator('[data-testid="top-categories"]')).toContainText('Nothing yet');
  await page.reload();
  await openDemo(page);
  const wiped = await sdk<{ storedEvents: number; topCategories: unknown[] }>(page, 'profile');
  expect(wiped.topCategories).toEqual([]);
  // Only the impressions of the grid shown since the reload.
  expect(wiped.storedEvents).toBeLessThanOrEqual(1);
});

test('a malformed event is rejected with a typed error and the page goes on working', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openDemo(page);
  const before = await sdk<{ storedEvents: number }>(page, 'profile');
  const rejected = await page.evaluate(async () => {
    const rec = (window as unknown as { localrecDemo: { rec: { track(e: unknown): Promise<unknown> } } }).localrecDemo.rec;
    try {
      await rec.track({ type: 'add_to_cart', itemId: '85123A', quantity: -2 });
      return null;
    } catch (e) {
      const err = e as { name: string; code: string; field: string; message: string };
      return { name: err.name, code: err.code, field: err.field, message: err.message };
    }
  });
  expect(rejected).toMatchObject({ name: 'LocalrecError', code: 'invalid_event', field: 'quantity' });
  const after = await sdk<{ storedEvents: number }>(page, 'profile');
  expect(after.storedEvents).toBe(before.storedEvents);
  // Still working: a valid event lands and the strip re-renders.
  await page.locator('[data-testid="product"]').first().click();
  await expect.poll(async () => (await sdk<{ storedEvents: number }>(page, 'profile')).storedEvents).toBeGreaterThan(after.storedEvents);
  expect(errors).toEqual([]);
});

test('removing an interest in the panel takes its category out of the recommendations', async ({ page }) => {
  await openDemo(page);
  const target = 'Kids > Toys & crafts';
  await page.getByRole('button', { name: 'Toys & crafts', exact: true }).click();
  for (let i = 0; i < 3; i++) {
    await page.locator('[data-testid="product"]').nth(i).click();
    await page.locator('#detail [data-close]').click();
  }
  await expect.poll(async () => (await recCategories(page)).filter((c) => c === target).length).toBeGreaterThan(2);
  await page.locator(`[data-remove="category:${target}"]`).click();
  await expect.poll(async () => (await recCategories(page)).filter((c) => c === target).length).toBe(0);
  const p = await sdk<{ suppressed: string[]; topCategories: { key: string }[] }>(page, 'profile');
  expect(p.suppressed).toContain(`category:${target}`);
  expect(p.topCategories.map((c) => c.key)).not.toContain(target);
});

test('the ranking bundle built from the store\'s baskets drives recommendations, with its reason', async ({ page }) => {
  await openDemo(page);
  const info = await sdk<{ bundleItems: number; bundleError?: string }>(page, 'ready');
  expect(info.bundleError).toBeUndefined();
  expect(info.bundleItems).toBeGreaterThan(2000);
  await sdk(page, 'track', { type: 'view', itemId: '85123A' }); // White Hanging Heart T-Light Holder
  const result = await sdk<{ items: { id: string; reasons: { kind: string; text: string; itemId?: string }[] }[] }>(page, 'recommend', { k: 10 });
  const sequence = result.items.flatMap((r) => r.reasons).filter((r) => r.kind === 'sequence');
  expect(sequence.length).toBeGreaterThan(0);
  expect(sequence[0]!.itemId).toBe('85123A');
  expect(sequence[0]!.text).toContain('White Hanging Heart T-Light Holder');
});
