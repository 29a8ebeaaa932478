import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { SDK_HOST, serveSdk, watchPageFailures } from './sdk-host';

/**
 * Issue 11 §4 in real Chromium: `<localrec-recommendations>` on a store page that has only the
 * script tag (data-catalog, data-rules): the script-tag SDK loads localrec-element.js because the
 * page has the tag. The demo catalog is served with its most popular item, 85123A, out of stock,
 * a product URL per item, and store-wide rules that pin a slow seller to the third place and try
 * to pin the out-of-stock item first.
 */

const OUT_OF_STOCK = '85123A';
const catalog = JSON.parse(readFileSync('demo/data/catalog.json', 'utf8')) as { items: { id: string; category: string[]; available: boolean; popularity: number; url?: string }[] };
for (const item of catalog.items) {
  item.url = `/p/${item.id}`;
  if (item.id === OUT_OF_STOCK) item.available = false;
}
// A catalog link that is not a web address is never rendered as one.
const SCRIPT_LINK = [...catalog.items].filter((i) => i.available).sort((a, b) => b.popularity - a.popularity)[1]!;
SCRIPT_LINK.url = 'javascript:alert(1)';
const PINNED = [...catalog.items].filter((i) => i.available).sort((a, b) => a.popularity - b.popularity)[0]!.id;
const rules = [{ type: 'pin', itemId: PINNED, position: 3, label: 'slow-seller' }, { type: 'pin', itemId: OUT_OF_STOCK, position: 1 }];
const candles = catalog.items.filter((i) => i.available && i.category.join(' > ') === 'Home > Candles & lights').map((i) => i.id);
const others = catalog.items.filter((i) => i.available && i.category[0] !== 'Home').slice(0, 9).map((i) => i.id);

const PAGE = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>
<script src="/sdk/localrec.iife.js" data-catalog="/catalog.json" data-backend="cpu" data-rules="/rules.json"></script>
<style>body{font:16px system-ui;margin:1rem} localrec-recommendations::part(item){border:1px solid #ccc;padding:.5rem}</style></head>
<body><main><h1>Shop</h1>
<h2>Picked for you</h2>
<localrec-recommendations id="home" placement="home" k="8" label="Picked for you">
  <template><a data-field="url" part="link"><span data-field="title"></span></a> <span data-field="price"></span> <small data-field="reason"></small></template>
  <p id="fallback">Our best sellers</p>
</localrec-recommendations>
<h2>Goes with the cake stand</h2>
<localrec-recommendations id="related" related-to="22423" k="4" placement="pdp" label="Goes with the cake stand">
  <template><span data-field="title"></span></template>
</localrec-recommendations>
<h2>Search results</h2>
<localrec-recommendations id="search" rerank strength="1" placement="search">
  <ul>${[...others, ...candles.slice(6, 12)].map((id) => `<li data-localrec-id="${id}"><a href="/p/${id}">${id}</a></li>`).join('')}</ul>
</localrec-recommendations>
</main></body></html>`;

test.beforeEach(async ({ context }) => {
  await serveSdk(context, (path) => {
    if (path === '/shop.html') return { body: PAGE, contentType: 'text/html' };
    if (path === '/catalog.json') return { body: JSON.stringify(catalog), contentType: 'application/json' };
    if (path === '/rules.json') return { body: JSON.stringify(rules), contentType: 'application/json' };
    if (path.startsWith('/p/')) return { body: '<!doctype html><title>product</title>', contentType: 'text/html' };
    return undefined;
  });
});

/** The script tag's command function, as the page has it. */
type Paged = { localrec(method: string, ...args: unknown[]): Promise<{ events: Record<string, number> }> };

/** The ids a strip shows, in order. */
const shown = (page: Page, strip: string) => page.locator(`${strip} li[part="item"]`).evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.localrecId!));

async function open(page: Page): Promise<void> {
  await page.goto(`${SDK_HOST}/shop.html`);
  await expect(page.locator('#home')).toHaveAttribute('data-state', 'ready');
}

test('renders the pinned item where the store pinned it and never an out-of-stock one, as a named list', async ({ page }) => {
  const failures = await watchPageFailures(page);
  await open(page);
  const ids = await shown(page, '#home');
  expect(ids).toHaveLength(8);
  expect(ids[2]).toBe(PINNED);
  expect(ids).not.toContain(OUT_OF_STOCK);
  // The store's template, filled: a link to the product, its title, a price in the catalog's currency, a reason.
  const third = page.locator('#home li[part="item"]').nth(2);
  await expect(third.locator('a')).toHaveAttribute('href', `/p/${PINNED}`);
  await expect(third.locator('[data-field="price"]')).toHaveText(/^£\d+\.\d\d$/);
  await expect(third.locator('[data-field="reason"]')).not.toBeEmpty();
  await expect(page.getByRole('list', { name: 'Picked for you' })).toBeVisible();
  expect(ids).toContain(SCRIPT_LINK.id);
  const scriptItem = page.locator(`#home li[data-localrec-id="${SCRIPT_LINK.id}"]`);
  await expect(scriptItem.locator('a')).not.toHaveAttribute('href', /.*/);
  // One tab stop per item: the link where there is one, else the item itself.
  await expect(scriptItem).toHaveAttribute('tabindex', '0');
  await expect(third).not.toHaveAttribute('tabindex', /.*/);
  await expect(page.locator('#fallback')).toBeHidden();
  // The product page's strip never shows the product itself.
  await expect(page.locator('#related')).toHaveAttribute('data-state', 'ready');
  const related = await shown(page, '#related');
  expect(related).toHaveLength(4);
  expect(related).not.toContain('22423');
  expect(related).not.toContain(OUT_OF_STOCK);
  expect(await failures()).toEqual([]);
  expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('updates after a tracked view, without a strip ever empty in between', async ({ page }) => {
  await open(page);
  const before = await shown(page, '#home');
  // Watch every change of the strip: it must never be caught with fewer than 8 items.
  await page.evaluate(() => {
    const list = document.querySelector('#home')!.shadowRoot!.querySelector('ul')!;
    const sizes: number[] = ((window as unknown as { sizes: number[] }).sizes = []);
    new MutationObserver(() => sizes.push(list.children.length)).observe(list, { childList: true });
  });
  for (const itemId of candles.slice(0, 3)) await page.evaluate((id) => (window as unknown as Paged).localrec('track', { type: 'view', itemId: id }), itemId);
  await expect.poll(() => shown(page, '#home')).not.toEqual(before);
  const after = await shown(page, '#home');
  expect(after[2]).toBe(PINNED);
  expect(after.filter((id) => candles.includes(id)).length).toBeGreaterThan(before.filter((id) => candles.includes(id)).length);
  expect(await page.evaluate(() => (window as unknown as { sizes: number[] }).sizes.every((n) => n === 8))).toBe(true);
  // The page's own list was re-ranked too: candles moved up, and it is still the same items.
  const search = await page.locator('#search li').evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.localrecId!));
  expect([...search].sort()).toEqual([...others, ...candles.slice(6, 12)].sort());
  expect(candles).toContain(search[0]);
});

test('updates after a view tracked in another tab of the store', async ({ page, context }) => {
  await open(page);
  const before = await shown(page, '#home');
  const other = await context.newPage();
  await other.goto(`${SDK_HOST}/shop.html`);
  await expect(other.locator('#home')).toHaveAttribute('data-state', 'ready');
  for (const itemId of candles.slice(0, 3)) await other.evaluate((id) => (window as unknown as Paged).localrec('track', { type: 'view', itemId: id }), itemId);
  await expect.poll(() => shown(page, '#home')).not.toEqual(before);
  expect((await shown(page, '#home')).some((id) => candles.includes(id))).toBe(true);
});

test('emits localrec-select on a click and on Enter, and tracks the click', async ({ page }) => {
  await open(page);
  await page.evaluate(() => {
    const seen: unknown[] = ((window as unknown as { selected: unknown[] }).selected = []);
    document.addEventListener('localrec-select', (e) => {
      seen.push((e as CustomEvent).detail);
      e.preventDefault(); // this page routes by itself: no navigation
    });
  });
  await expect(page.locator('#related')).toHaveAttribute('data-state', 'ready');
  // Each choice is tracked, which re-ranks the strips a moment later: an item is read as it is chosen.
  const enterOn = async (item: Locator, focus: Locator) => {
    await focus.focus();
    const id = await item.getAttribute('data-localrec-id');
    await page.keyboard.press('Enter');
    return id;
  };
  // Keyboard: Enter on an item's link; the related strip's items have no link, so the item itself is the focus stop.
  const linked = page.locator('#home li[part="item"]:not([tabindex])').first();
  const viaLink = await enterOn(linked, linked.locator('a'));
  const relatedFirst = page.locator('#related li[part="item"]').first();
  const viaItem = await enterOn(relatedFirst, relatedFirst);
  // A click on the pinned item, which stays in its place whatever the profile says.
  const pinned = page.locator('#home li[part="item"]').nth(2);
  await expect(pinned).toHaveAttribute('data-localrec-id', PINNED);
  await pinned.locator('a').click();
  const selected = await page.evaluate(() => (window as unknown as { selected: { itemId: string; position: number; placement: string; reasons: { kind: string; rule?: string }[] }[] }).selected);
  expect(selected.map((s) => [s.itemId, s.placement])).toEqual([[viaLink, 'home'], [viaItem, 'pdp'], [PINNED, 'home']]);
  expect(selected[2]!.position).toBe(3);
  expect(selected.every((s) => s.position >= 1 && s.reasons.length > 0)).toBe(true);
  expect(selected[2]!.reasons[0]).toMatchObject({ kind: 'rule', rule: 'slow-seller' });
  expect(page.url()).toBe(`${SDK_HOST}/shop.html`);
  await expect.poll(async () => (await page.evaluate(() => (window as unknown as Paged).localrec('profile'))).events.click).toBe(3);
});

test('screenshots at phone and desktop size', async ({ page }, info) => {
  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    await page.setViewportSize(viewport);
    await open(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: info.outputPath(`element-${name}.png`), fullPage: true });
  }
});

test.describe('the demo storefront', () => {
  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1366, height: 900 }]] as const) {
    test(`${name}: a category page's strip shows that category's picks, and a product's "More like this" never the product`, async ({ page }, info) => {
      await page.setViewportSize(viewport);
      await page.goto('/');
      await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
      await expect(page.locator('#category-picks')).toBeHidden();
      await page.getByRole('button', { name: 'Candles & lights', exact: true }).click();
      const strip = page.locator('#category-strip');
      await expect(strip).toHaveAttribute('data-state', 'ready');
      await expect(page.getByRole('list', { name: 'Picked for you in Candles & lights' })).toBeVisible();
      const picks = await shown(page, '#category-strip');
      expect(picks).toHaveLength(4);
      const inCandles = await page.evaluate((ids) => ids.map((id) => document.querySelector(`#category-strip`)!.shadowRoot!.querySelector(`[data-localrec-id="${id}"] [part="meta"]`)!.textContent), picks);
      expect(inCandles.every((meta) => meta!.startsWith('Candles & lights'))).toBe(true);
      // Not a repeat of the grid's first row.
      const firstRow = await page.locator('[data-testid="product"]').evaluateAll((els) => els.slice(0, 4).map((el) => (el as HTMLElement).dataset.id));
      expect(picks.filter((id) => firstRow.includes(id))).toEqual([]);
      await strip.scrollIntoViewIfNeeded();
      await page.screenshot({ path: info.outputPath(`demo-category-${name}.png`) });
      // Choosing a pick opens the product; its "More like this" strip leaves the product out.
      await page.locator('#category-strip [part="open"]').first().click();
      await expect(page.locator('#detail')).toBeVisible();
      await expect(page.locator('#similar')).toHaveAttribute('data-state', 'ready');
      expect(await shown(page, '#similar')).not.toContain(picks[0]);
      expect(await shown(page, '#similar')).toHaveLength(4);
      await page.screenshot({ path: info.outputPath(`demo-product-${name}.png`) });
    });
  }

  test("a returning shopper's category strip stays in that category, whatever they browsed before", async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    // Interest elsewhere first: candles, strongly enough that they lead the shopper's own picks.
    await page.evaluate(async (ids) => {
      const { rec } = (window as unknown as { localrecDemo: { rec: { track(e: object): Promise<unknown> } } }).localrecDemo;
      for (const itemId of ids) await rec.track({ type: 'view', itemId });
    }, candles.slice(0, 6));
    await page.getByRole('button', { name: 'Bags & purses', exact: true }).click();
    await expect(page.locator('#category-strip')).toHaveAttribute('data-state', 'ready');
    await expect(page.getByRole('list', { name: 'Picked for you in Bags & purses' })).toBeVisible();
    const picks = await shown(page, '#category-strip');
    expect(picks.length).toBeGreaterThan(0);
    const metas = await page.evaluate((ids) => ids.map((id) => document.querySelector('#category-strip')!.shadowRoot!.querySelector(`[data-localrec-id="${id}"] [part="meta"]`)!.textContent), picks);
    expect(metas.filter((meta) => !meta!.startsWith('Bags & purses'))).toEqual([]);
  });
});
