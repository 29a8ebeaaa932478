import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { writeFileSync } from 'node:fs';

/**
 * The demo's other integration styles, beside the SDK-calls page (demo-storefront.spec.ts):
 * ga4.html, which only pushes GA4 e-commerce events to `window.dataLayer` that localrec reads, and
 * snippet.html, which only has the pasted snippet and its `localrec('…')` commands. On each, at a
 * phone and a desktop size, a shopper opens products, adds them to the cart and buys; the profile
 * counts those actions, learned the page's own way. Every state is checked for horizontal
 * overflow and axe-core violations and saved as a screenshot; no page error, and no request
 * leaves the page's origin.
 */
const SIZES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, touch: true },
  { name: 'desktop', viewport: { width: 1366, height: 900 }, touch: false },
] as const;

const PAGES = [
  { name: 'ga4', path: '/ga4.html', link: 'GA4 dataLayer only' },
  { name: 'snippet', path: '/snippet.html', link: 'snippet only' },
] as const;

interface Profile { storedEvents: number; events: Record<string, number>; cart: unknown[]; purchases: { count: number } }

/** Records, from before the first request, what a page must never do: throw, log an error, or ask another origin for anything. */
function watch(page: Page, info: TestInfo): { failures: string[]; foreign: string[]; urls: string[] } {
  const origin = new URL(info.project.use.baseURL!).origin;
  const failures: string[] = [];
  const foreign: string[] = [];
  const urls: string[] = [];
  page.on('pageerror', (e) => failures.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') failures.push(`console.error: ${m.text()}`); });
  page.context().on('request', (r) => {
    const url = new URL(r.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    urls.push(url.pathname);
    if (url.origin !== origin) foreign.push(r.url());
  });
  return { failures, foreign, urls };
}

async function axeClean(page: Page, info: TestInfo, state: string): Promise<number> {
  const result = await new AxeBuilder({ page }).analyze();
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
  writeFileSync(info.outputPath(`axe-${state.replace(/\W+/g, '-')}.json`), JSON.stringify({ state, violations: found.length, rulesPassed: result.passes.length, found }, null, 1));
  expect(found, `axe violations in state "${state}"`).toEqual([]);
  return found.length;
}

async function fits(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
  expect(scroll, 'page wider than the screen').toBeLessThanOrEqual(width);
}

async function shot(page: Page, info: TestInfo, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage });
}

async function press(target: Locator, touch: boolean): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  if (touch) await target.tap();
  else await target.click();
}

/** The profile as the page itself can read it: through `localrec('profile')` on the snippet page, the SDK instance on the GA4 page. */
async function profileOf(page: Page, name: string): Promise<Profile> {
  return page.evaluate(async (viaCommands) => {
    const w = window as unknown as { localrec: (m: string) => Promise<Profile>; localrecDemo: { rec: { profile(): Promise<Profile> } } };
    return viaCommands ? w.localrec('profile') : w.localrecDemo.rec.profile();
  }, name === 'snippet');
}

async function open(page: Page, path: string, info: TestInfo): Promise<void> {
  const t0 = Date.now();
  await page.goto(path);
  await expect(page.locator('body[data-products="shown"]')).toBeAttached({ timeout: 45_000 });
  const products = Date.now() - t0;
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 45_000 });
  info.annotations.push({ type: 'timing', description: `${path}: products ${products} ms, picks ${Date.now() - t0} ms after navigation` });
}

for (const target of PAGES) {
  test(`${target.name}: at 360 px nothing is wider than the screen`, async ({ page }, info) => {
    const seen = watch(page, info);
    await page.setViewportSize({ width: 360, height: 740 });
    await open(page, target.path, info);
    await fits(page);
    await shot(page, info, `${target.name}-home-360`);
    await page.locator('[data-testid="product"]').first().click();
    await expect(page.locator('#detail #similar .card').first()).toBeVisible();
    await fits(page);
    await shot(page, info, `${target.name}-product-360`);
    expect(seen.failures).toEqual([]);
    expect(seen.foreign).toEqual([]);
  });

  for (const size of SIZES) {
    test.describe(`${target.name} ${size.name} ${size.viewport.width}×${size.viewport.height}`, () => {
      test.use({ viewport: size.viewport, hasTouch: size.touch, isMobile: size.touch });
      test.describe.configure({ timeout: 150_000 });

      test('a shopper opens products, adds them to the cart and buys; localrec learns it the page\'s own way', async ({ page }, info) => {
        const seen = watch(page, info);
        const touch = size.touch;
        await open(page, target.path, info);
        const nav = page.getByRole('navigation', { name: 'Integration styles' });
        await expect(nav.getByRole('link', { name: target.link })).toHaveAttribute('aria-current', 'page');
        await expect(nav.getByRole('link')).toHaveCount(3);
        await fits(page);
        await shot(page, info, `${target.name}-home`);
        await shot(page, info, `${target.name}-home-full`, true);
        await axeClean(page, info, `${target.name} home`);
        const before = await profileOf(page, target.name);

        const detail = page.locator('#detail');
        await press(page.locator('[data-testid="product"]').first(), touch);
        await expect(detail.locator('#similar .card').first()).toBeVisible();
        await fits(page);
        await shot(page, info, `${target.name}-product`);
        await axeClean(page, info, `${target.name} product dialog`);
        await press(detail.getByRole('button', { name: 'Add to cart' }), touch);
        await expect(detail).toBeHidden();
        await expect(page.locator('#cart-count')).toHaveText('1');

        const pick = page.locator('[data-testid="rec"]').first();
        await press(pick, touch);
        await expect(detail.locator('#similar .card').first()).toBeVisible();
        await press(detail.getByRole('button', { name: 'Add to cart' }), touch);
        await expect(page.locator('#cart-count')).toHaveText('2');

        await press(page.locator('#cart-button'), touch);
        const cart = page.locator('#cart');
        await expect(cart.locator('.cart-lines li')).toHaveCount(2);
        await shot(page, info, `${target.name}-cart`);
        await axeClean(page, info, `${target.name} cart dialog`);
        await press(cart.getByRole('button', { name: 'Buy now' }), touch);
        await expect(cart).toBeHidden();
        await expect(page.locator('#orders')).toHaveText(/1 order/);
        await expect(page.locator('#cart-count')).toHaveText('0');

        // The profile counts the two product opens, the two adds and the order.
        const after = await profileOf(page, target.name);
        expect(after.events.view! - (before.events.view ?? 0)).toBe(2);
        expect(after.events.click! - (before.events.click ?? 0)).toBe(2);
        expect(after.events.add_to_cart! - (before.events.add_to_cart ?? 0)).toBe(2);
        expect(after.purchases.count - before.purchases.count).toBe(1);
        expect(after.cart).toHaveLength(0);
        await page.locator('#panel').scrollIntoViewIfNeeded();
        await expect(page.locator('[data-testid="top-categories"] .chip').first()).toBeVisible();
        await expect(page.locator('#recent')).toContainText('Bought');
        await page.locator('#panel').screenshot({ path: info.outputPath(`${target.name}-panel.png`) });

        if (target.name === 'ga4') {
          // Learned through the dataLayer: the page made no track() call; localrec read the pushes.
          const layer = await page.evaluate(() => (window as unknown as { dataLayer: Record<string, unknown>[] }).dataLayer);
          const events = layer.map((e) => e.event).filter(Boolean);
          for (const name of ['view_item_list', 'select_item', 'view_item', 'add_to_cart', 'purchase']) expect(events).toContain(name);
          layer.forEach((entry, i) => {
            if (entry.event && entry.ecommerce) expect(layer[i - 1], `the push before ${String(entry.event)} clears ecommerce`).toEqual({ ecommerce: null });
          });
          const purchase = layer.find((e) => e.event === 'purchase')!.ecommerce as { transaction_id: string; items: unknown[] };
          expect(purchase.transaction_id).toMatch(/^HR-/);
          expect(purchase.items).toHaveLength(2);
          const sources = await page.evaluate(async () => (await (window as unknown as { localrecDemo: { rec: { diagnostics(): Promise<{ sources?: { dataLayer?: { events: number; payloads: number } } }> } } }).localrecDemo.rec.diagnostics()).sources);
          expect(sources?.dataLayer?.events).toBeGreaterThan(0);
          expect(sources?.dataLayer?.payloads).toBe(layer.length);
          await expect(page.locator('#diag-events')).toContainText('No track() calls yet.');
        } else {
          // Only the snippet: the SDK came from ./sdk/ (its worker too), and the page's own bundle started none.
          expect(seen.urls).toContain('/sdk/localrec.iife.js');
          expect(seen.urls).toContain('/sdk/localrec-commands.js');
          expect(seen.urls).toContain('/sdk/localrec-worker.js');
          expect(seen.urls.filter((u) => u.startsWith('/assets/') && /worker|src-/.test(u))).toEqual([]);
          expect(await page.evaluate(() => typeof (window as unknown as { localrec: { createLocalrec?: unknown } }).localrec.createLocalrec)).toBe('function');
        }

        await press(page.locator('#diagnostics-button'), touch);
        const drawer = page.locator('#diagnostics');
        await expect(drawer).toBeVisible();
        if (target.name === 'ga4') {
          await expect(drawer.locator('#diag-datalayer')).toContainText('purchase');
          await expect(drawer.locator('#diag-dl-read')).toContainText(/events learned/);
        } else {
          await expect(drawer.locator('#diag-events')).toContainText('purchase');
        }
        await shot(page, info, `${target.name}-diagnostics`);
        if (target.name === 'ga4') await drawer.locator('#diag-more').screenshot({ path: info.outputPath('ga4-datalayer-log.png') });
        await axeClean(page, info, `${target.name} diagnostics drawer`);
        await page.keyboard.press('Escape');
        await expect(drawer).toBeHidden();

        // The keyboard alone: a card opens with Enter, Escape closes it, and focus returns to the card.
        if (!touch) {
          const second = page.locator('#grid .card .open').nth(1);
          await second.focus();
          await page.keyboard.press('Enter');
          await expect(detail).toBeVisible();
          await page.keyboard.press('Escape');
          await expect(detail).toBeHidden();
          await expect(second).toBeFocused();
        }
        await fits(page);
        expect(seen.failures).toEqual([]);
        expect(seen.foreign).toEqual([]);
      });
    });
  }
}

test('the three pages link to each other', async ({ page }, info) => {
  await open(page, '/', info);
  const nav = page.getByRole('navigation', { name: 'Integration styles' });
  await expect(nav.getByRole('link', { name: 'SDK calls' })).toHaveAttribute('aria-current', 'page');
  await nav.getByRole('link', { name: 'GA4 dataLayer only' }).click();
  await expect(page).toHaveURL(/\/ga4\.html$/);
  await page.getByRole('navigation', { name: 'Integration styles' }).getByRole('link', { name: 'snippet only' }).click();
  await expect(page).toHaveURL(/\/snippet\.html$/);
  await page.getByRole('navigation', { name: 'Integration styles' }).getByRole('link', { name: 'SDK calls' }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
});
