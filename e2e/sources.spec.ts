import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { SDK_HOST, serveSdk } from './sdk-host';

/**
 * Live sources (`createLocalrec({ sources })`) on store pages in Chromium, with stand-ins for the
 * store's own tracking: gtag and a GTM-like script that replaces `dataLayer.push` (loaded after
 * localrec, and before it), Segment's snippet queue taken over by an analytics.js-like library,
 * and Shopify's custom pixel (the code of docs/shopify-pixel.md, run in a sandboxed iframe). Each
 * page checks what profile() learned, what diagnostics() counted, and that the page saw no error.
 */

const PIXEL_HOST = 'https://pixels.localrec.test';
const ADS_HOST = 'https://ads.localrec.test';

/** What gtm.js does that matters here: it handles what was queued, pushes gtm.js, and puts its own push in place, calling the one it found. */
const GTM = `(function () {
  var layer = window.dataLayer = window.dataLayer || [];
  var processed = window.gtmProcessed = [];
  function handle(entry) {
    processed.push(entry);
    if (entry && typeof entry.eventCallback === 'function') entry.eventCallback();
  }
  layer.forEach(handle);
  var found = layer.push;
  layer.push = function () {
    var length = found.apply(layer, arguments);
    for (var i = 0; i < arguments.length; i++) handle(arguments[i]);
    return length;
  };
  layer.push({ event: 'gtm.js', 'gtm.start': Date.now() });
})();`;

/** Segment's snippet, cut to the methods used here: calls are queued as [method, ...args] until analytics.js loads. */
const SEGMENT_SNIPPET = `(function () {
  var analytics = window.analytics = [];
  ['track', 'page', 'on'].forEach(function (method) {
    analytics[method] = function () { analytics.push([method].concat([].slice.call(arguments))); return analytics; };
  });
})();`;

/** What analytics.js does with the queue: registers the queued listeners, then replays the queued calls, then replaces window.analytics. */
const ANALYTICS_JS = `(function () {
  var queued = window.analytics, listeners = {};
  var analytics = {
    on: function (name, fn) { (listeners[name] = listeners[name] || []).push(fn); return analytics; },
    track: function (event, properties) { (listeners.track || []).forEach(function (fn) { fn(event, properties, {}); }); return analytics; },
    page: function () { return analytics; },
  };
  queued.filter(function (c) { return c[0] === 'on'; }).forEach(function (c) { analytics.on.apply(analytics, c.slice(1)); });
  queued.filter(function (c) { return c[0] !== 'on'; }).forEach(function (c) { analytics[c[0]].apply(analytics, c.slice(1)); });
  window.analytics = analytics;
})();`;

/** The custom pixel code, exactly as docs/shopify-pixel.md gives it to merchants. */
function pixelCode(): string {
  const doc = readFileSync('docs/shopify-pixel.md', 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!code) throw new Error('docs/shopify-pixel.md has no ```js block');
  return code;
}

/**
 * The pixel's sandbox as Shopify's lax sandbox gives it: `analytics` (events arrive from the
 * top frame's stand-in publisher), `browser.localStorage` (run in the top frame, as Shopify runs
 * it), `init` with the storefront's origin. Then the merchant's pixel code.
 */
const SANDBOX = `<!doctype html><script>
  var subscribers = [];
  var analytics = { subscribe: function (name, fn) { if (name === 'all_standard_events') subscribers.push(fn); } };
  var asked = 0, pending = {};
  function ask(op, key, value) {
    return new Promise(function (resolve) { pending[++asked] = resolve; parent.postMessage({ harness: asked, op: op, key: key, value: value }, '*'); });
  }
  var browser = { localStorage: {
    getItem: function (k) { return ask('get', k); }, setItem: function (k, v) { return ask('set', k, v); }, removeItem: function (k) { return ask('remove', k); },
  } };
  var init = { context: { document: { location: { origin: ${JSON.stringify(SDK_HOST)} } } } };
  addEventListener('message', function (e) {
    if (e.source !== parent || !e.data) return;
    if (e.data.answer) { pending[e.data.answer](e.data.value); delete pending[e.data.answer]; }
    if (e.data.publish) subscribers.forEach(function (fn) { fn(e.data.publish); });
  });
</script><script>${pixelCode()}</script>`;

/**
 * The top frame's half of the Shopify stand-in: it runs the sandbox's storage calls (the first
 * one, made once the pixel has subscribed, sets `pixelStarted`) and publishes events to it.
 */
const SHOPIFY_HOST_SIDE = `<iframe id="pixel" sandbox="allow-scripts" src="${PIXEL_HOST}/sandbox.html"></iframe>
<script>
  addEventListener('message', function (e) {
    var d = e.data;
    if (!d || !d.harness) return;
    window.pixelStarted = true;
    var value = d.op === 'get' ? localStorage.getItem(d.key) : d.op === 'set' ? localStorage.setItem(d.key, d.value) : localStorage.removeItem(d.key);
    e.source.postMessage({ answer: d.harness, value: value === undefined ? null : value }, '*');
  });
  window.publish = function (event) { document.getElementById('pixel').contentWindow.postMessage({ publish: event }, '*'); };
</script>`;

const start = (dbName: string, sources: string) =>
  `<script>window.rec = localrec.createLocalrec({ catalog: '/catalog.json', backend: 'cpu', dbName: ${JSON.stringify(dbName)}, sources: ${sources} });</script>`;
const SDK = '<script src="/sdk/localrec.iife.js"></script>';

/** Serves the store's pages (`pages` by path), the stand-in scripts, the pixel's sandbox and an ad frame. */
async function serveStore(context: BrowserContext, pages: Record<string, string>): Promise<void> {
  const scripts: Record<string, string> = { '/gtm.js': GTM, '/analytics.js': ANALYTICS_JS };
  await serveSdk(context, (path) => {
    if (path in pages) return { contentType: 'text/html', body: `<!doctype html><title>shop</title>${pages[path]}` };
    if (path in scripts) return { contentType: 'text/javascript', body: scripts[path]! };
    return undefined;
  });
  await context.route(`${PIXEL_HOST}/**`, (route) => route.fulfill({ contentType: 'text/html', body: SANDBOX }));
  // Not a sandbox: an ordinary frame of another origin, trying to pass for the pixel.
  await context.route(`${ADS_HOST}/**`, (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><script>parent.postMessage({ localrec: 'shopify', id: 'forged', event: { name: 'product_viewed', data: { productVariant: { product: { id: '22752' } } } } }, '*');</script>`,
  }));
}

/** Records uncaught errors and unhandled rejections of the page (call before goto). */
async function watchErrors(page: Page): Promise<() => Promise<string[]>> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { seenErrors: string[] }).seenErrors = []);
    addEventListener('unhandledrejection', (e) => seen.push(`unhandledrejection: ${String((e.reason as Error | undefined)?.message ?? e.reason)}`));
  });
  return async () => [...errors, ...(await page.evaluate(() => (window as unknown as { seenErrors: string[] }).seenErrors))];
}

interface Learned { events: Record<string, number>; purchases: { count: number }; sources?: Record<string, { payloads: number; events: number; skipped: number; malformed: number }> }

/** What the page's localrec learned and counted, once every call made so far has reached it. */
/**
 * What localrec learned, once the wiring has caught up: it is a file loaded after the SDK starts,
 * so the spec waits until the payload count the worker reports has been seen and stays put.
 */
const learned = (page: Page) => page.evaluate(async () => {
  const rec = (window as unknown as { rec: { profile(): Promise<Learned>; diagnostics(): Promise<{ sources?: Learned['sources'] }> } }).rec;
  const payloads = async () => Object.values((await rec.diagnostics()).sources ?? {}).reduce((n, c) => n + (c as { payloads: number }).payloads, 0);
  for (let last = -1, i = 0; i < 50; i++) {
    const now = await payloads();
    if (now > 0 && now === last) break;
    last = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  const profile = await rec.profile();
  return { events: profile.events, purchases: profile.purchases, sources: (await rec.diagnostics()).sources };
}) as Promise<Learned>;

const dbName = (what: string) => `sources-${what}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

const GTAG_BEFORE = `<script>
  window.dataLayer = window.dataLayer || [];
  function gtag() { dataLayer.push(arguments); }
  gtag('js', new Date());
  gtag('config', 'G-TEST');
  gtag('event', 'view_item', { currency: 'GBP', value: 2.55, items: [{ item_id: '85123A', price: 2.55 }] });
</script>`;

for (const order of ['localrec, then GTM', 'GTM, then localrec'] as const) {
  test(`dataLayer, ${order}: what was pushed before and after is learned once, GTM still gets every push`, async ({ page, context }) => {
    const db = dbName('datalayer');
    const scripts = order === 'localrec, then GTM'
      ? `${SDK}${start(db, '{ dataLayer: window.dataLayer }')}<script src="/gtm.js"></script>`
      : `<script src="/gtm.js"></script>${SDK}${start(db, '{ dataLayer: window.dataLayer }')}`;
    await serveStore(context, { '/': GTAG_BEFORE + scripts });
    const errors = await watchErrors(page);
    await page.goto(`${SDK_HOST}/`);
    const pushed = await page.evaluate(() => {
      const w = window as unknown as { dataLayer: unknown[]; gtag(...a: unknown[]): void; callbackRan?: boolean };
      const line = { item_id: '85123A', price: 2.55, quantity: 2 };
      const purchase = () => ({ event: 'purchase', ecommerce: { transaction_id: 'T-1001', value: 5.1, currency: 'GBP', items: [{ ...line }] } });
      w.dataLayer.push({ ecommerce: null });
      w.dataLayer.push({ event: 'add_to_cart', ecommerce: { currency: 'GBP', value: 5.1, items: [line] }, eventCallback: () => { w.callbackRan = true; } });
      w.dataLayer.push({ ecommerce: null }, purchase());
      // A cyclic entry: the cycle is cut, the view is still read.
      const cyclic: Record<string, unknown> = { event: 'view_item', ecommerce: { items: [{ item_id: '71053' }] } };
      cyclic.self = cyclic;
      w.dataLayer.push(cyclic);
      // The thank-you page fired the order again: counted once, by its order id.
      w.dataLayer.push({ ecommerce: null }, purchase());
      const results = [w.dataLayer.push(null), w.dataLayer.push(42, 'view_item')];
      w.gtag('event', 'select_item', { items: [{ item_id: '71053' }] });
      results.push(w.dataLayer.push({ event: 'gtm.custom' }));
      return { results, length: w.dataLayer.length, processed: (window as unknown as { gtmProcessed: unknown[] }).gtmProcessed.length, callbackRan: w.callbackRan };
    });
    // Each push returned the array's new length and reached GTM, eventCallback included.
    expect(pushed).toEqual({ results: [12, 14, 16], length: 16, processed: 16, callbackRan: true });
    const got = await learned(page);
    expect(got.events).toMatchObject({ view: 2, click: 1, add_to_cart: 1, purchase: 1 });
    expect(got.purchases.count).toBe(1);
    // js, config, gtm.js, three ecommerce clears and gtm.custom say nothing; null, 42 and a bare string are not entries.
    expect(got.sources).toEqual({ dataLayer: { payloads: 16, events: 6, skipped: 7, malformed: 3 } });
    expect(await errors()).toEqual([]);
  });
}

test('Segment: calls queued in the snippet before analytics.js and localrec loaded, then live track calls', async ({ page, context }) => {
  const db = dbName('segment');
  await serveStore(context, {
    '/': `<script>${SEGMENT_SNIPPET}
      analytics.page();
      analytics.track('Product Viewed', { product_id: '85123A', price: 2.55, currency: 'GBP' });
    </script>${SDK}${start(db, '{ segment: window.analytics }')}<script src="/analytics.js"></script>`,
  });
  const errors = await watchErrors(page);
  await page.goto(`${SDK_HOST}/`);
  await page.evaluate(() => {
    const analytics = (window as unknown as { analytics: { track(...a: unknown[]): void } }).analytics;
    const order = { order_id: 'S-77', revenue: 5.1, currency: 'GBP', products: [{ product_id: '85123A', price: 2.55, quantity: 2 }] };
    analytics.track('Product Added', { product_id: '85123A', price: 2.55, quantity: 2, currency: 'GBP' });
    analytics.track('Order Completed', order);
    analytics.track('Viewed Product', { product_id: '71053' });
    analytics.track('Order Completed', { ...order });
    analytics.track('Checkout Started', { order_id: 'S-78' });
    analytics.track(42);
  });
  const got = await learned(page);
  expect(got.events).toMatchObject({ view: 2, add_to_cart: 1, purchase: 1 });
  expect(got.sources).toEqual({ segment: { payloads: 7, events: 5, skipped: 1, malformed: 1 } });
  expect(await errors()).toEqual([]);
});

test('Shopify: the custom pixel reaches localrec whichever starts first; forged and malformed messages are not learned', async ({ page, context }) => {
  const db = dbName('shopify');
  // localrec starts a while after the pixel has posted its first events.
  await serveStore(context, {
    '/': `${SHOPIFY_HOST_SIDE}${SDK}<script>
      document.getElementById('pixel').addEventListener('load', function () {
        publish({ id: 'sh-1', name: 'page_viewed', data: {} });
        publish({ id: 'sh-2', name: 'product_viewed', data: { productVariant: { price: { amount: 2.55, currencyCode: 'GBP' }, product: { id: 'gid://shopify/Product/85123A' } } } });
        setTimeout(function () {
          window.rec = localrec.createLocalrec({ catalog: '/catalog.json', backend: 'cpu', dbName: ${JSON.stringify(db)}, sources: { shopify: true } });
        }, 1500);
      });
    </script>`,
  });
  const errors = await watchErrors(page);
  await page.goto(`${SDK_HOST}/`);
  await page.waitForFunction(() => 'rec' in window);
  await expect.poll(async () => (await learned(page)).events.view, { timeout: 10_000 }).toBe(1);

  await page.evaluate(([ads]) => {
    const w = window as unknown as { publish(e: unknown): void };
    w.publish({ id: 'sh-3', name: 'product_added_to_cart', data: { cartLine: { quantity: 2, merchandise: { price: { amount: 2.55 }, product: { id: 'gid://shopify/Product/85123A' } }, cost: { totalAmount: { amount: 5.1, currencyCode: 'GBP' } } } } });
    // A frame of another origin posing as the pixel, and a sandboxed frame posting what no pixel sends.
    const forged = document.createElement('iframe');
    forged.src = `${ads}/`;
    const odd = document.createElement('iframe');
    odd.setAttribute('sandbox', 'allow-scripts');
    odd.srcdoc = `<script>parent.postMessage({ localrec: 'shopify', id: 'odd', event: { data: { productVariant: {} } } }, '*');</script>`;
    document.body.append(forged, odd);
  }, [ADS_HOST] as const);
  await expect.poll(async () => (await learned(page)).sources?.shopify?.malformed, { timeout: 10_000 }).toBe(1);
  await expect.poll(async () => (await learned(page)).events.add_to_cart, { timeout: 10_000 }).toBe(1);
  const got = await learned(page);
  // The forged view of 22752 was not taken; each pixel event was learned once, however often it was posted.
  expect(got.events).toMatchObject({ view: 1, add_to_cart: 1 });
  expect(got.sources!.shopify).toMatchObject({ skipped: expect.any(Number), malformed: 1 });
  expect(got.sources!.shopify!.skipped).toBeGreaterThanOrEqual(1);
  expect(await errors()).toEqual([]);
});

test('Shopify: an order completed on a checkout page without localrec is learned on the next storefront page, once', async ({ page, context }) => {
  const db = dbName('shopify-order');
  const order = (eventId: string) => ({
    id: eventId, name: 'checkout_completed',
    data: { checkout: {
      order: { id: 'gid://shopify/OrderIdentity/5001' }, currencyCode: 'GBP', totalPrice: { amount: 7.65, currencyCode: 'GBP' },
      email: 'shopper@example.com', shippingAddress: { address1: '1 High Street' },
      lineItems: [{ quantity: 3, variant: { price: { amount: 2.55 }, product: { id: 'gid://shopify/Product/85123A' } } }],
    } },
  });
  await serveStore(context, {
    '/thank-you': SHOPIFY_HOST_SIDE,
    '/': `${SHOPIFY_HOST_SIDE}${SDK}${start(db, '{ shopify: true }')}`,
  });
  const errors = await watchErrors(page);
  const completeOrder = async (eventId: string) => {
    await page.goto(`${SDK_HOST}/thank-you`);
    await page.waitForFunction(() => 'pixelStarted' in window);
    await page.evaluate((e) => (window as unknown as { publish(e: unknown): void }).publish(e), order(eventId));
    await page.waitForFunction((id) => (localStorage.getItem('localrec:orders') ?? '').includes(id), eventId);
  };
  await completeOrder('sh-10');
  // Only what localrec reads of the order is kept while it waits.
  const waiting = await page.evaluate(() => localStorage.getItem('localrec:orders')!);
  expect(waiting).not.toMatch(/shopper@example\.com|High Street/);

  await page.goto(`${SDK_HOST}/`);
  await expect.poll(async () => (await learned(page)).purchases.count, { timeout: 10_000 }).toBe(1);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('localrec:orders')), { timeout: 10_000 }).toBe('[]');

  // The thank-you page reloaded: the same order comes again, and is counted once.
  await completeOrder('sh-11');
  await page.goto(`${SDK_HOST}/`);
  await expect.poll(() => page.evaluate(() => localStorage.getItem('localrec:orders')), { timeout: 10_000 }).toBe('[]');
  const got = await learned(page);
  expect(got.purchases.count).toBe(1);
  expect(got.events.purchase).toBe(1);
  expect(got.sources?.shopify?.events).toBeGreaterThanOrEqual(1);
  expect(await errors()).toEqual([]);
});
