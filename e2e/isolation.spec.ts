import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { fileResponse, SDK_HOST, watchPageFailures } from './sdk-host';

/**
 * A store page that is cross-origin isolated (it sends COOP/COEP headers, for its own use of
 * SharedArrayBuffer, say). There tfjs-backend-wasm picks its threaded build, whose loader Vite's
 * minifier once broke (PLATFORM-NOTES.md: every wasm thread died with `ReferenceError: e is not
 * defined` and `setBackend('wasm')` never resolved). The SDK must start and rank on such a page,
 * with its own kernel and with the tfjs wasm backend a page may force.
 */
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

async function serveIsolated(page: Page): Promise<void> {
  await page.context().route(`${SDK_HOST}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') {
      return route.fulfill({ contentType: 'text/html', headers: ISOLATION, body: '<!doctype html><title>shop</title><script src="/sdk/localrec.iife.js"></script>' });
    }
    const file = fileResponse(path.startsWith('/sdk/') ? join('dist/lib', path.slice(5)) : join('demo/data', path.slice(1)));
    return route.fulfill(file ? { ...file, headers: ISOLATION } : { status: 404, body: 'not found' });
  });
}

for (const backend of [undefined, 'wasm'] as const) {
  test(`a cross-origin isolated page: the SDK starts and recommends (${backend ? `tfjs ${backend} forced` : 'default scoring'})`, async ({ page }) => {
    const failures = await watchPageFailures(page);
    await serveIsolated(page);
    await page.goto(`${SDK_HOST}/`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const out = await page.evaluate(async (forced) => {
      const { createLocalrec } = (window as unknown as { localrec: { createLocalrec: (o: object) => any } }).localrec;
      const rec = createLocalrec({ catalog: '/catalog.json', dbName: `isolated-${forced ?? 'default'}`, ...(forced ? { backend: forced } : {}) });
      // A start that hangs is the failure this spec is for: give it a bound of its own.
      const info = await Promise.race([rec.ready(), new Promise((_, reject) => setTimeout(() => reject(new Error('ready() did not settle in 30 s')), 30_000))]);
      await rec.track({ type: 'view', itemId: '85123A' });
      const recs = await rec.recommend({ k: 5 });
      await rec.destroy();
      return { backend: (info as { backend: { name: string } }).backend.name, items: recs.items.length };
    }, backend);
    expect(out.backend).toBe(backend ?? 'int8-wasm');
    expect(out.items).toBe(5);
    expect(await failures()).toEqual([]);
  });
}
