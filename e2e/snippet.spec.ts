import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { builtSnippet, inlineScript, SDK_HOST, serveSdk, watchPageFailures, type Served } from './sdk-host';

/**
 * The snippet a store pastes into its <head> (docs/snippet.md), as built into
 * dist/lib/snippet.min.js, on a store page of its own (https, as storage needs a secure
 * context): calls queued before the SDK loads and replayed in order, calls after it, data
 * attributes, and an SDK that cannot be had (404, blocked by the CSP, not the SDK, never
 * answering): every call rejects with `sdk_unavailable` within 10 s, and the page keeps working.
 */

interface Settled { value?: unknown; error?: { name: string; code: string; message: string }; ms: number }

/** Page code that settles each call's promise into plain data (with ms since the calls were made), in window.__results. */
const settleAll = (calls: string) => `
  window.__stub = localrec;
  window.__queued = Array.isArray(localrec.q);
  const t0 = performance.now();
  const settle = (p) => p.then((value) => ({ value, ms: performance.now() - t0 }), (e) => ({ error: { name: e.name, code: e.code, message: e.message }, ms: performance.now() - t0 }));
  window.__results = Promise.all([${calls}].map(settle));`;

const html = (head: string) => `<!doctype html><html><head><title>shop</title>${head}</head><body><p id="content">shop</p></body></html>`;

/** Serves the store with `page` at / (and `extra` paths first), the SDK under /sdk/ and the demo's data at the root. */
async function serveStore(page: Page, document: Served, extra: (path: string) => Served | undefined = () => undefined) {
  await serveSdk(page.context(), (path) => (path === '/' ? document : extra(path)));
}

const results = (page: Page) => page.evaluate(() => (window as unknown as { __results: Promise<Settled[]> }).__results);

test('calls made before the SDK loads are queued and replayed in order, each with its own result or error; later calls go straight to it', async ({ page }) => {
  const failures = await watchPageFailures(page);
  const snippet = inlineScript(builtSnippet(), 'data-src="/sdk/localrec.iife.js"');
  const calls = inlineScript(settleAll(`
    localrec('init', { catalog: '/catalog.json', dbName: 'snippet-queue' }),
    localrec('track', { type: 'view', itemId: '85123A' }),
    localrec('track', { type: 'teleport', itemId: '85123A' }),
    localrec('recommend', { k: 3 }),
    localrec('profile'),
    localrec('nonsense'),`));
  // The CSP a store needs for the snippet with the SDK on its own origin: the snippet's hash and 'self'.
  const csp = `default-src 'self'; script-src 'self' ${snippet.hash} ${calls.hash}`;
  await serveStore(page, { contentType: 'text/html', headers: { 'content-security-policy': csp }, body: html(snippet.html + calls.html) });
  // The SDK is held back until the calls are made, so they are surely queued.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.context().route(`${SDK_HOST}/sdk/localrec.iife.js`, async (route) => {
    await released;
    await route.fallback();
  });

  await page.goto(`${SDK_HOST}/`, { waitUntil: 'domcontentloaded' });
  expect(await page.evaluate(() => (window as unknown as { __queued: boolean }).__queued)).toBe(true);
  release();
  const [init, track, invalid, recommend, profile, nonsense] = await results(page);

  expect((init!.value as { items: number }).items).toBeGreaterThan(2000);
  expect(track!.value).toMatchObject({ stored: true });
  expect(invalid!.error).toMatchObject({ name: 'LocalrecError', code: 'invalid_event' });
  expect((recommend!.value as { items: unknown[] }).items).toHaveLength(3);
  // Replayed in order: the profile read after the track counts it (and only it: the invalid one was not stored).
  expect((profile!.value as { storedEvents: number }).storedEvents).toBe(1);
  expect(nonsense!.error).toMatchObject({ name: 'LocalrecError', code: 'invalid_argument' });

  const after = await page.evaluate(async () => {
    type Command = ((method: string, ...args: unknown[]) => Promise<unknown>) & { createLocalrec?: unknown; LocalrecError?: new (...a: never[]) => Error; q?: unknown };
    const w = window as unknown as { localrec: Command; __stub: Command };
    const localrec = w.localrec;
    const direct = await localrec('track', { type: 'view', itemId: '71053' });
    const throughStub = await w.__stub('track', { type: 'add_to_cart', itemId: '71053', quantity: 1, price: 3.39 });
    const stored = ((await localrec('profile')) as { storedEvents: number }).storedEvents;
    const invalid = await localrec('track', { type: 'teleport' }).catch((e: unknown) => e);
    const out = {
      direct, throughStub, stored,
      replaced: localrec !== w.__stub && !Array.isArray(w.__stub.q),
      createLocalrec: typeof localrec.createLocalrec,
      typedError: invalid instanceof localrec.LocalrecError!,
    };
    await localrec('destroy');
    return out;
  });
  expect(after).toEqual({
    direct: expect.objectContaining({ stored: true }),
    throughStub: expect.objectContaining({ stored: true }),
    stored: 3,
    replaced: true,
    createLocalrec: 'function',
    typedError: true,
  });
  expect(await failures()).toEqual([]);
});

test('data attributes on the snippet configure and start localrec; an init call then is refused', async ({ page }) => {
  const failures = await watchPageFailures(page);
  const snippet = inlineScript(builtSnippet(), 'nonce="shop" data-src="/sdk/localrec.iife.js" data-catalog="/catalog.json" data-db-name="snippet-data" data-backend="cpu"');
  // Scripts allowed by nonce only: the snippet hands its nonce to the SDK's tag (the worker needs worker-src).
  await serveStore(page, { contentType: 'text/html', headers: { 'content-security-policy': "script-src 'nonce-shop'; worker-src 'self'" }, body: html(snippet.html) });
  await page.goto(`${SDK_HOST}/`);
  const out = await page.evaluate(async () => {
    const localrec = (window as unknown as { localrec: (method: string, ...args: unknown[]) => Promise<unknown> }).localrec;
    const ready = (await localrec('ready')) as { items: number; backend: { name: string } };
    const init = await localrec('init', { catalog: '/catalog.json' }).catch((e: { code: string }) => e.code);
    await localrec('track', { type: 'view', itemId: '85123A' });
    const databases = (await indexedDB.databases()).map((d) => d.name);
    await localrec('destroy');
    return { items: ready.items, backend: ready.backend.name, init, databases };
  });
  expect(out.items).toBeGreaterThan(2000);
  expect(out.backend).toBe('cpu');
  expect(out.init).toBe('invalid_argument');
  expect(out.databases).toContain('snippet-data');
  expect(await failures()).toEqual([]);
});

/** Calls a page makes at once, some awaited (recorded) and some ignored (fire and forget). */
const FAILING_CALLS = `
  localrec('track', { type: 'view', itemId: '85123A' }),
  localrec('init', { catalog: '/catalog.json' }),
  localrec('recommend', { k: 3 }),`;
const IGNORED_CALLS = `localrec('track', { type: 'view', itemId: '71053' }); localrec('recommend');`;

const unavailable: { name: string; src: string; csp?: string; serve?: (path: string) => Served | undefined; hang?: boolean }[] = [
  { name: 'the SDK URL answers 404', src: '/sdk/missing.iife.js' },
  // The snippet and the page's own script are allowed by their hashes, the SDK's URL is not.
  { name: 'the CSP blocks the SDK', src: '/sdk/localrec.iife.js', csp: 'script-src HASHES' },
  { name: 'the URL loads a script that is not the SDK', src: '/sdk/other.js', serve: (p) => (p === '/sdk/other.js' ? { contentType: 'text/javascript', body: 'window.other = 1;' } : undefined) },
  { name: 'the SDK URL never answers', src: '/sdk/hanging.js', hang: true },
];

for (const c of unavailable) {
  test(`${c.name}: every queued and later call rejects with sdk_unavailable within 10 s, and the page keeps working`, async ({ page }) => {
    const failures = await watchPageFailures(page);
    const snippet = inlineScript(builtSnippet(), `data-src="${c.src}"`);
    const calls = inlineScript(`${settleAll(FAILING_CALLS)} ${IGNORED_CALLS}`);
    const headers = c.csp ? { 'content-security-policy': c.csp.replace('HASHES', `${snippet.hash} ${calls.hash}`) } : undefined;
    await serveStore(page, { contentType: 'text/html', ...(headers && { headers }), body: html(snippet.html + calls.html) }, c.serve);
    if (c.hang) await page.context().route(`${SDK_HOST}${c.src}`, () => undefined);

    await page.goto(`${SDK_HOST}/`, { waitUntil: 'domcontentloaded' });
    const settled = await results(page);
    for (const s of settled) {
      expect(s.error).toMatchObject({ name: 'LocalrecError', code: 'sdk_unavailable' });
      expect(s.error!.message).toContain(c.src);
    }
    const ms = Math.max(...settled.map((s) => s.ms));
    console.log(JSON.stringify({ case: c.name, rejectedAfterMs: Math.round(ms) }));
    expect(ms).toBeLessThan(10_500);
    if (c.hang) expect(ms).toBeGreaterThan(9_000);

    const later = await page.evaluate(async () => {
      const localrec = (window as unknown as { localrec: (method: string, ...args: unknown[]) => Promise<unknown> }).localrec;
      const code = await localrec('profile').then(() => 'resolved', (e: { code: string }) => e.code);
      document.querySelector('#content')!.textContent = 'still working';
      await new Promise((r) => setTimeout(r, 100));
      return { code, content: document.querySelector('#content')!.textContent };
    });
    expect(later).toEqual({ code: 'sdk_unavailable', content: 'still working' });
    // The ignored calls rejected too, and nobody saw it.
    expect(await failures()).toEqual([]);
  });
}

test('the snippet is at most 1 KB gzip, and docs/snippet.md shows the one that is built', () => {
  const snippet = builtSnippet();
  const gzipBytes = gzipSync(snippet, { level: 9 }).length;
  console.log(JSON.stringify({ snippetBytes: Buffer.byteLength(snippet), snippetGzipBytes: gzipBytes }));
  expect(gzipBytes).toBeLessThanOrEqual(1024);
  expect(readFileSync('docs/snippet.md', 'utf8')).toContain(snippet);
});
