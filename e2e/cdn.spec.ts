import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { builtSnippet, fileResponse, inlineScript, SDK_HOST, serveSdk, watchPageFailures } from './sdk-host';

/**
 * The script-tag SDK served from a CDN, another origin than the store's page: its worker is
 * started through a same-origin blob: module that imports it, and the worker's wasm files load
 * from the CDN beside it. Without CORS on the CDN, or with a CSP that does not allow blob:
 * workers, calls reject with a typed `worker_failed` within 10 s that says what to change.
 *
 * Playwright adds CORS headers to a fulfilled cross-origin response that has none, so "a CDN
 * without CORS" is a CDN whose Access-Control-Allow-Origin names another site: the browser
 * refuses both the same way.
 */
const CDN = 'https://cdn.localrec.test';
const SDK_URL = `${CDN}/localrec/localrec.iife.js`;

interface Store {
  /** Paths the CDN served, in order. */
  cdn: string[];
  /** Paths the store's own origin served, in order. */
  shop: string[];
}

/** Serves the store at SDK_HOST (the page with the snippet, under `csp`, and the demo's data) and the SDK at CDN with `cors`. */
async function serveStoreAndCdn(page: Page, csp: string, cors: string): Promise<Store> {
  const store: Store = { cdn: [], shop: [] };
  const snippet = inlineScript(builtSnippet(), `data-src="${SDK_URL}"`);
  await serveSdk(page.context(), (path) => {
    store.shop.push(path);
    if (path !== '/') return undefined;
    const headers = { 'content-security-policy': csp.replace('SNIPPET', snippet.hash) };
    return { contentType: 'text/html', headers, body: `<!doctype html><title>shop</title>${snippet.html}` };
  });
  await page.context().route(`${CDN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    store.cdn.push(path);
    const file = path.startsWith('/localrec/') ? fileResponse(join('dist/lib', path.slice('/localrec/'.length))) : undefined;
    return route.fulfill({ ...(file ?? { status: 404, body: 'not found' }), headers: { 'access-control-allow-origin': cors } });
  });
  return store;
}

/** The CSP measured to work: the snippet's hash, the CDN for scripts, worker imports and wasm downloads, blob: for the bootstrap worker. */
const WORKING_CSP = `default-src 'self'; script-src SNIPPET ${CDN} 'wasm-unsafe-eval'; worker-src blob: ${CDN}; connect-src 'self' ${CDN}`;

test('from a CDN with CORS: the worker starts through blob:, compiles its wasm kernel, and recommends', async ({ page }) => {
  const failures = await watchPageFailures(page);
  const violations: string[] = [];
  page.on('console', (m) => m.text().includes('Content Security Policy') && violations.push(m.text()));
  const store = await serveStoreAndCdn(page, WORKING_CSP, '*');
  await page.goto(`${SDK_HOST}/`);
  const out = await page.evaluate(async () => {
    const localrec = (window as unknown as { localrec: (method: string, ...args: unknown[]) => Promise<unknown> }).localrec;
    const ready = (await localrec('init', { catalog: '/catalog.json', dbName: 'cdn' })) as { items: number; backend: { measured: { name: string; ms: number | null; error?: string }[] } };
    await localrec('track', { type: 'view', itemId: '85123A' });
    const recs = (await localrec('recommend', { k: 3 })) as { items: { id: string }[] };
    await localrec('destroy');
    return { items: ready.items, wasm: ready.backend.measured.find((m) => m.name === 'int8-wasm'), recs: recs.items.length };
  });
  expect(out.items).toBeGreaterThan(2000);
  expect(out.recs).toBe(3);
  // Our wasm kernel ran: it is inside the worker, which came from the CDN; tfjs's .wasm files are
  // not fetched at all (tfjs starts only when a page forces it or a GPU wins).
  expect(out.wasm?.error).toBeUndefined();
  expect(out.wasm?.ms).toEqual(expect.any(Number));
  expect(store.cdn).toContain('/localrec/localrec-worker.js');
  expect(store.cdn.some((p) => p.endsWith('.wasm'))).toBe(false);
  // The catalog URL is the page's: '/catalog.json' on the store, not on the CDN.
  expect(store.shop).toContain('/catalog.json');
  expect(violations).toEqual([]);
  expect(await failures()).toEqual([]);
});

// Without CORS, the first module the SDK imports from the CDN (its commands, before the worker)
// fails: sdk_unavailable. With CORS but no blob: worker, the worker fails: worker_failed.
const refused: { name: string; csp: string; cors: string; code: string; says: string }[] = [
  { name: 'a CDN without CORS', csp: WORKING_CSP, cors: 'https://elsewhere.localrec.test', code: 'sdk_unavailable', says: 'Access-Control-Allow-Origin' },
  { name: 'a CSP without worker-src blob:', csp: WORKING_CSP.replace('worker-src blob: ', 'worker-src '), cors: '*', code: 'worker_failed', says: 'worker-src blob:' },
];

for (const c of refused) {
  test(`from ${c.name}: calls reject with a typed ${c.code} within 10 s that says what to change`, async ({ page }) => {
    const failures = await watchPageFailures(page);
    await serveStoreAndCdn(page, c.csp, c.cors);
    await page.goto(`${SDK_HOST}/`);
    const out = await page.evaluate(async () => {
      const localrec = (window as unknown as { localrec: (method: string, ...args: unknown[]) => Promise<unknown> }).localrec;
      const t0 = performance.now();
      const failure = (p: Promise<unknown>) => p.then(() => null, (e: { name: string; code: string; message: string }) => ({ name: e.name, code: e.code, message: e.message }));
      const init = await failure(localrec('init', { catalog: '/catalog.json', dbName: 'cdn-refused' }));
      const ms = performance.now() - t0;
      const track = await failure(localrec('track', { type: 'view', itemId: '85123A' }));
      // Fire and forget: must not surface as an unhandled rejection.
      void localrec('recommend', { k: 3 });
      await new Promise((r) => setTimeout(r, 100));
      return { init, track, ms };
    });
    console.log(JSON.stringify({ case: c.name, rejectedAfterMs: Math.round(out.ms), message: out.init?.message }));
    expect(out.init).toMatchObject({ name: 'LocalrecError', code: c.code });
    expect(out.init!.message).toContain('Access-Control-Allow-Origin');
    expect(out.init!.message).toContain(c.says);
    expect(out.init!.message).toContain("from this page's origin");
    expect(out.track).toMatchObject({ name: 'LocalrecError', code: c.code });
    expect(out.ms).toBeLessThan(10_000);
    expect(await failures()).toEqual([]);
  });
}
