import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { parseLifecyclePopulation } from '../src/core/predict';
import { predictShopperLifecycle } from '../src/core/lifecycle/shopper';
import { openDemo, sdk } from './helpers';

const DAY = 86_400_000;

test('a new visitor is "new"', async ({ page }) => {
  await openDemo(page);
  await expect(page.locator('[data-testid="stage"]')).toHaveText('new');
  await expect(page.locator('[data-testid="p-alive"]')).toHaveAttribute('data-value', '');
});

test('a purchase history that ended months ago reads at-risk or lapsed, with the Node P(alive)', async ({ page }) => {
  await openDemo(page);
  const now = Date.now();
  const times = [now - 300 * DAY, now - 270 * DAY, now - 245 * DAY, now - 215 * DAY];
  const changes = await page.evaluate(async (ts) => {
    const rec = (window as unknown as { localrecDemo: { rec: { track(e: unknown): Promise<unknown>; onStageChange(f: (c: { from: string | null; to: string }) => void): () => void } } }).localrecDemo.rec;
    const seen: string[] = [];
    rec.onStageChange((c) => seen.push(`${c.from}->${c.to}`));
    for (const time of ts) await rec.track({ type: 'purchase', items: [{ itemId: '85123A', quantity: 2, price: 2.55 }], value: 5.1, currency: 'GBP', time });
    return seen;
  }, times);
  expect(changes.at(-1)).toMatch(/->(at-risk|lapsed)$/);
  const prediction = await sdk<{ stage: string; pAlive: number; reasons: { history: string } }>(page, 'predict');
  expect(['at-risk', 'lapsed']).toContain(prediction.stage);
  const population = parseLifecyclePopulation(JSON.parse(readFileSync('demo/data/lifecycle-params.json', 'utf8')));
  const node = predictShopperLifecycle(population, times.map((time) => ({ time, value: 5.1 })), Date.now());
  expect(prediction.pAlive).toBeCloseTo(node.pAlive!, 10);
  expect(prediction.reasons.history).toContain('4 purchases, last one 215 days ago');
  // The panel shows it once the page refreshes its view (any interaction does).
  await page.locator('[data-testid="product"]').first().click();
  await expect(page.locator('[data-testid="stage"]')).toHaveText(prediction.stage);
  await expect(page.locator('[data-testid="stage-banner"]')).toContainText(/retention offer/);
});

test('purchase probability rises as the session adds to cart', async ({ page }) => {
  await openDemo(page);
  const prob = async () => Number(await page.locator('[data-testid="purchase-probability"]').getAttribute('data-value'));
  const products = page.locator('[data-testid="product"]');
  await products.nth(0).click();
  await page.locator('#detail [data-close]').click();
  await products.nth(1).click();
  await expect.poll(async () => (await sdk<{ session: { views: number } }>(page, 'predict')).session.views).toBe(2);
  await expect.poll(prob).toBeGreaterThan(0);
  const browsing = await prob();
  await page.locator('#detail [data-add]').click();
  await expect.poll(prob).toBeGreaterThan(browsing);
  const oneInCart = await prob();
  await products.nth(2).click();
  await page.locator('#detail [data-add]').click();
  await expect.poll(prob).toBeGreaterThan(oneInCart);
  await expect(page.locator('[data-testid="reasons"]')).toContainText(/adds to cart \(raises it\)/);
});
