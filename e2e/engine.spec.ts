import { expect, test } from '@playwright/test';
import { openDemo, sdk } from './helpers';

test('the worker, not the main thread, ranks; it reports what scores: our int8 kernel, timed, without measuring tfjs', async ({ page }) => {
  const scripts: string[] = [];
  page.on('response', async (r) => {
    // The worker's own script is fetched on the page's behalf too; everything else runs on the main thread.
    if (r.request().resourceType() === 'script' && !/engine\.worker/.test(r.url())) scripts.push(await r.text());
  });
  await openDemo(page);
  const info = await sdk<{ backend: { name: string; measured: { name: string; ms: number | null }[] } }>(page, 'ready');
  expect(info.backend.name).toBe('int8-wasm');
  expect(info.backend.measured).toEqual([{ name: 'int8-wasm', ms: expect.any(Number) }]);
  await expect(page.locator('[data-testid="backend"]')).toHaveText(info.backend.name);

  // TensorFlow.js is not in any script the page itself runs.
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) expect(s).not.toMatch(/registerBackend|tfjs-backend/);
  const workers = page.workers().filter((w) => /engine\.worker/.test(w.url()));
  expect(workers).toHaveLength(1);
  const result = await sdk<{ items: unknown[]; backend: string }>(page, 'recommend', { k: 5 });
  expect(result.items).toHaveLength(5);
  expect(result.backend).toBe('int8-wasm');

  // Stop the worker without a word: the call made meanwhile fails with a typed error (never a hang),
  // and the facade starts a new worker that answers the next one.
  await workers[0]!.evaluate(() => (self as unknown as { close(): void }).close());
  const outcome = await page.evaluate(async () => {
    const rec = (window as unknown as { localrecDemo: { rec: { recommend(r: unknown): Promise<{ items: unknown[] }> } } }).localrecDemo.rec;
    const t0 = performance.now();
    const lost = await Promise.race([
      rec.recommend({ k: 5 }).then(() => 'answered', (e: { name: string; code: string }) => `${e.name}:${e.code}`),
      new Promise<string>((r) => setTimeout(() => r('no answer'), 15_000)),
    ]);
    const ms = performance.now() - t0;
    return { lost, ms, next: (await rec.recommend({ k: 5 })).items.length };
  });
  expect(outcome.lost).toBe('LocalrecError:worker_failed');
  expect(outcome.ms).toBeLessThan(10_000);
  expect(outcome.next).toBe(5);
  await expect.poll(() => page.workers().filter((w) => /engine\.worker/.test(w.url())).length).toBe(1);
});

test('no request leaves the page but the demo\'s own assets and catalog', async ({ page, context, baseURL }) => {
  const urls: string[] = [];
  context.on('request', (r) => urls.push(r.url()));
  await openDemo(page);
  await page.locator('[data-testid="product"]').first().click();
  await page.locator('#detail [data-add]').click();
  await page.locator('#search input').fill('lantern');
  await page.locator('#search input').press('Enter');
  await expect(page.locator('#grid-title')).toContainText('lantern');
  await sdk(page, 'recommend', { k: 10 });
  const origin = new URL(baseURL!).origin;
  const foreign = urls.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
  expect(foreign).toEqual([]);
  expect(urls.some((u) => u.endsWith('/catalog.json'))).toBe(true);
  // Nothing is sent to the store: no POST or beacon.
  expect(urls.filter((u) => /collect|track|beacon/i.test(new URL(u).pathname))).toEqual([]);
});
