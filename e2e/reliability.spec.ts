import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The worker failing under the SDK: a script that is missing or throws, a worker killed while
 * events stream in, a page closed right after tracking. Each runs the script-tag build (dist/lib)
 * on a blank page of the demo's origin, served by route interception, so the spec controls the
 * worker script and keeps a handle on the Worker.
 */
const SDK = '/reliability/sdk/';
const WORKER = `${SDK}localrec-worker.js`;

interface TrackResultLike { stored: boolean }
interface RecLike {
  ready(): Promise<unknown>;
  track(e: unknown): Promise<TrackResultLike>;
  recommend(r?: unknown): Promise<unknown>;
  profile(): Promise<{ storedEvents: number; events: Record<string, number> }>;
  destroy(): Promise<void>;
}
/** What the spec's page functions find on window. */
interface PageGlobals {
  localrec: { createLocalrec(o: unknown): RecLike };
  rec?: RecLike;
  spawned: Worker[];
}

/** Serves dist/lib under /reliability/sdk/ and a blank page that loads the script-tag build. */
async function serveSdk(context: BrowserContext): Promise<void> {
  await context.route('**/reliability/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (!path.startsWith(SDK)) {
      return route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>blank</title><script src="${SDK}localrec.iife.js"></script>` });
    }
    return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join('dist/lib', path.slice(SDK.length))) });
  });
}

async function openBlank(page: Page): Promise<void> {
  await page.goto('/reliability/');
  await page.waitForFunction(() => 'localrec' in window);
}

/** Starts an instance on the page as `window.rec`; the Workers it starts are kept in `window.spawned`. */
async function startRec(page: Page, dbName: string): Promise<void> {
  await page.evaluate(([db, worker]) => {
    const g = window as unknown as PageGlobals;
    g.spawned = [];
    g.rec = g.localrec.createLocalrec({
      catalog: '/catalog.json', dbName: db, backend: 'cpu',
      createWorker: () => {
        const w = new Worker(worker, { type: 'module', name: 'localrec-engine' });
        g.spawned.push(w);
        return w;
      },
    });
  }, [dbName, WORKER] as const);
}

/** `n` distinct catalog items, viewed at distinct times in the last few hours (no duplicates, no burst). */
async function viewsOf(page: Page, n: number): Promise<{ type: 'view'; itemId: string; time: number }[]> {
  const ids = await page.evaluate(async (count) => {
    const catalog = (await (await fetch('/catalog.json')).json()) as { items: { id: string }[] };
    return catalog.items.slice(0, count).map((i) => i.id);
  }, n);
  const now = Date.now();
  return ids.map((itemId, i) => ({ type: 'view' as const, itemId, time: now - (n - i) * 15_000 - ((i * 7919) % 5_000) }));
}

const dbName = (what: string) => `reliability-${what}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

test.beforeEach(async ({ context }) => serveSdk(context));

for (const [failure, respond] of [
  ['is missing (404)', { status: 404, body: 'not found' }],
  ['throws as it starts', { contentType: 'text/javascript', body: 'throw new Error("engine exploded at start");' }],
] as const) {
  test(`a worker script that ${failure}: ready(), track() and recommend() reject with worker_failed within 10 s`, async ({ page, context }) => {
    await context.route(`**${WORKER}`, (route) => route.fulfill(respond));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openBlank(page);
    const outcomes = await page.evaluate(async () => {
      const t0 = performance.now();
      const rec = (window as unknown as PageGlobals).localrec.createLocalrec({ catalog: '/catalog.json', dbName: 'reliability-broken' });
      const settle = (p: Promise<unknown>) =>
        p.then(
          () => ({ code: 'resolved', ms: performance.now() - t0, message: '' }),
          (e: { name?: string; code?: string; message?: string }) => ({ code: `${e.name}:${e.code}`, ms: performance.now() - t0, message: e.message ?? '' }),
        );
      const timeout = new Promise<{ code: string; ms: number; message: string }>((r) => setTimeout(() => r({ code: 'hang', ms: 15_000, message: '' }), 15_000));
      const calls = [rec.ready(), rec.track({ type: 'view', itemId: '85123A' }), rec.recommend({ k: 3 })];
      return Promise.all(calls.map((c) => Promise.race([settle(c), timeout])));
    });
    test.info().annotations.push({ type: 'figure', description: `worker script ${failure}: settled in ${outcomes.map((o) => Math.round(o.ms)).join(' / ')} ms` });
    for (const o of outcomes) {
      expect(o.code).toBe('LocalrecError:worker_failed');
      expect(o.ms).toBeLessThan(10_000);
      expect(o.message).toMatch(/could not start/);
    }
    // The page itself keeps running: nothing was thrown into it.
    expect(errors).toEqual([]);
  });
}

test('a worker killed mid-stream: 1,000 tracks all resolve, and the profile counts each exactly once', async ({ page }) => {
  test.setTimeout(120_000);
  await openBlank(page);
  await startRec(page, dbName('kill'));
  const events = await viewsOf(page, 1000);
  const result = await page.evaluate(async (evs) => {
    const g = window as unknown as PageGlobals;
    const rec = g.rec!;
    await rec.ready();
    let answered = 0;
    const tracks: Promise<TrackResultLike>[] = [];
    let answeredBeforeKill = -1;
    let killedAt = 0;
    // A page tracks across many tasks: 20 of 50 events, 20 ms apart; the worker is killed after the
    // 10th and the stream goes on while its death is noticed and a new worker starts.
    for (let chunk = 0; chunk < 20; chunk++) {
      for (const e of evs.slice(chunk * 50, chunk * 50 + 50)) tracks.push(rec.track(e).then((r) => (answered++, r)));
      await new Promise((r) => setTimeout(r, 20));
      if (chunk === 9) {
        answeredBeforeKill = answered;
        g.spawned[0]!.terminate();
        killedAt = performance.now();
      }
    }
    const settled = await Promise.allSettled(tracks);
    const allSettledMs = performance.now() - killedAt;
    const profile = await rec.profile();
    return {
      answeredBeforeKill, allSettledMs, workers: g.spawned.length,
      fulfilled: settled.filter((s) => s.status === 'fulfilled').length,
      stored: settled.filter((s) => s.status === 'fulfilled' && s.value.stored).length,
      rejected: settled.flatMap((s) => (s.status === 'rejected' ? [String((s.reason as Error).message)] : [])).slice(0, 3),
      storedEvents: profile.storedEvents, views: profile.events['view'],
    };
  }, events);
  test.info().annotations.push({ type: 'figure', description: `killed mid-stream: ${JSON.stringify(result)}` });
  expect(result.answeredBeforeKill).toBeLessThan(1000);
  expect(result.workers).toBe(2);
  expect(result.rejected).toEqual([]);
  expect(result.fulfilled).toBe(1000);
  expect(result.stored).toBe(1000);
  expect(result.storedEvents).toBe(1000);
  expect(result.views).toBe(1000);
});

test('200 tracks not awaited, the page closed 100 ms after the last: at least 195 are on disk when it reopens (3 trials)', async ({ context }) => {
  test.setTimeout(180_000);
  const kept: number[] = [];
  for (let trial = 0; trial < 3; trial++) {
    const db = dbName('close');
    const page = await context.newPage();
    await openBlank(page);
    await startRec(page, db);
    const events = await viewsOf(page, 200);
    await page.evaluate(async (evs) => {
      const rec = (window as unknown as PageGlobals).rec!;
      await rec.ready();
      for (const e of evs) void rec.track(e).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }, events);
    await page.close({ runBeforeUnload: true });

    const reopened = await context.newPage();
    await openBlank(reopened);
    await startRec(reopened, db);
    kept.push(await reopened.evaluate(async () => {
      const rec = (window as unknown as PageGlobals).rec!;
      await rec.ready();
      return (await rec.profile()).storedEvents;
    }));
    await reopened.close();
  }
  test.info().annotations.push({ type: 'figure', description: `200 un-awaited tracks, closed 100 ms later: ${kept.join(', ')} kept` });
  for (const n of kept) expect(n).toBeGreaterThanOrEqual(195);
});
