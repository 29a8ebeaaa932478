import { expect, test } from '@playwright/test';
import { openDemo, sdk } from './helpers';

interface Automated { now: boolean; visits: number; ignoredEvents: number; last?: { reason: string } }

/**
 * A real automated browser (this Playwright script) walking the demo storefront product after
 * product, as a crawler would: its visit is judged automated and kept out of the profile, and
 * diagnostics() says so. The person-paced part before it is learned.
 */
test('a crawler walking the storefront is kept out of the profile and reported in diagnostics', async ({ page }) => {
  test.setTimeout(120_000);
  await openDemo(page);
  const products = page.locator('[data-testid="product"]');
  const open = async (i: number) => {
    await products.nth(i).click();
    await page.locator('#detail [data-close]').click();
  };
  // A person: three products, a few seconds apart.
  for (const i of [0, 1, 2]) {
    await open(i);
    await page.waitForTimeout(2_500);
  }
  const person = await sdk<{ events: { view: number; click: number } }>(page, 'profile');
  expect(person.events.view).toBe(3);
  expect((await sdk<{ automated: Automated }>(page, 'diagnostics')).automated).toMatchObject({ now: false, visits: 0 });

  // The crawler: forty more products as fast as the page allows.
  const started = Date.now();
  for (let i = 3; i < 43; i++) await open(i % (await products.count()));
  const pace = (Date.now() - started) / 40;
  await expect.poll(async () => (await sdk<{ automated: Automated }>(page, 'diagnostics')).automated.now).toBe(true);
  const { automated } = await sdk<{ automated: Automated }>(page, 'diagnostics');
  const after = await sdk<{ events: { view: number }; storedEvents: number }>(page, 'profile');
  console.log(JSON.stringify({ crawl: { msPerProduct: Math.round(pace), automated, viewsLearned: after.events.view } }));
  expect(automated.visits).toBe(1);
  expect(automated.ignoredEvents).toBeGreaterThan(40);
  // At most the suspect threshold's worth of the crawl (10 moments) reached the profile.
  expect(after.events.view - person.events.view).toBeLessThan(10);
});
