import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The script-tag build on a host page of its own: dist/lib served from a different path than the
 * page, the way a store would host it. Files are served by route interception from the build.
 */
test('the IIFE build works from a <script> tag', async ({ page }) => {
  const host = 'http://shop.localrec.test';
  const types: Record<string, string> = { js: 'text/javascript', wasm: 'application/wasm', json: 'application/json', html: 'text/html' };
  await page.context().route(`${host}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const file = path === '/' ? null : path.startsWith('/sdk/') ? join('dist/lib', path.slice(5)) : join('demo/data', path.slice(1));
    if (!file) {
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><script src="/sdk/localrec.iife.js"></script>' });
    }
    try {
      return route.fulfill({ body: readFileSync(file), contentType: types[file.split('.').pop()!] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
  await page.goto(`${host}/`);
  const result = await page.evaluate(async () => {
    const api = (window as unknown as { localrec: { createLocalrec(o: unknown): { ready(): Promise<{ items: number }>; track(e: unknown): Promise<unknown>; recommend(r: unknown): Promise<{ items: { id: string }[] }>; destroy(): Promise<void> } } }).localrec;
    const rec = api.createLocalrec({ catalog: '/catalog.json', dbName: 'script-tag-test' });
    const info = await rec.ready();
    await rec.track({ type: 'view', itemId: '85123A' });
    const recs = await rec.recommend({ k: 3 });
    await rec.destroy();
    return { items: info.items, recs: recs.items.length };
  });
  expect(result.items).toBeGreaterThan(2000);
  expect(result.recs).toBe(3);
});
