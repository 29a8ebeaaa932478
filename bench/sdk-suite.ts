/**
 * The benchmark's page-side suites (bench/run.ts runs them): the SDK as a store's page uses it,
 * the script-tag build from dist/lib, its real worker with sealed IndexedDB.
 */
import type { Browser, Page } from '@playwright/test';
import { KEEP_NAMES, readCatalog, workerHeap, workerOf, type BenchCatalog } from './browser';
import { syntheticEvents } from './catalogs';

type Stats = { p50: number; p95: number; p99: number; max: number; n: number };
/** What the bench page holds: the script-tag SDK's global, the instance, and the long tasks seen. */
interface BenchWindow {
  localrec: { createLocalrec(o: object): Rec };
  rec: Rec;
  started: Promise<{ info: Record<string, unknown>; ms: number }>;
  longTasks: number[];
}
interface Rec {
  ready(): Promise<Record<string, unknown>>;
  track(e: object): Promise<{ stored: boolean; durable?: boolean }>;
  recommend(r: object): Promise<{ tookMs: number; items: { id: string }[] }>;
  profile(): Promise<{ storedEvents: number }>;
  destroy(): Promise<void>;
}

/** p50 / p95 / p99 / max of a list of times, in ms to 3 decimals. */
export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN) * 1000) / 1000;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), n: s.length };
}

/** Every long task (> 50 ms) on the page's main thread, from the first script on. */
const WATCH_LONG_TASKS = () => {
  (window as unknown as BenchWindow).longTasks = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => (window as unknown as BenchWindow).longTasks.push(Math.round(e.duration)))).observe({ type: 'longtask', buffered: true });
};

/** Starts the SDK on the page; resolves with ReadyInfo and the page's own measure of ready(). */
async function start(page: Page, options: object) {
  await page.evaluate(() => (window as unknown as BenchWindow).longTasks.splice(0));
  const worker = await workerOf(page, 'localrec-worker', () => page.evaluate((o) => {
    const t0 = performance.now();
    (window as unknown as BenchWindow).rec = (window as unknown as BenchWindow).localrec.createLocalrec(o);
    (window as unknown as BenchWindow).started = (window as unknown as BenchWindow).rec.ready().then((info) => ({ info, ms: Math.round(performance.now() - t0) }));
  }, options));
  const started = await page.evaluate(() => (window as unknown as BenchWindow).started);
  const longTasks = await page.evaluate(() => (window as unknown as BenchWindow).longTasks.splice(0));
  return { worker, readyMs: started.ms, info: started.info, longTasks };
}

/** A fresh browser context on the bench page, the SDK options for `c`, and the catalog's download time (HTTP cache bypassed). */
async function sdkPage(browser: Browser, origin: string, c: BenchCatalog) {
  const context = await browser.newContext();
  await context.addInitScript(KEEP_NAMES);
  await context.addInitScript(WATCH_LONG_TASKS);
  const page = await context.newPage();
  // BENCH_CONSOLE=1 prints what the page and its workers log (to see inside a start).
  if (process.env.BENCH_CONSOLE) page.on('console', (m) => console.error(`[${c.name}] ${m.text()}`));
  const options = { catalog: c.file, dbName: 'bench', ...(c.bundle ? { bundle: c.bundle } : {}) };
  try {
    await page.goto(`${origin}/`);
    const downloadMs = await page.evaluate(async (url) => {
      const t0 = performance.now();
      await (await fetch(url, { cache: 'no-store' })).arrayBuffer();
      return Math.round(performance.now() - t0);
    }, c.file);
    return { context, page, options, downloadMs };
  } catch (e) {
    await context.close();
    throw e;
  }
}

/** Cold and warm start, recommend() round trips, heap and tensors after start-up and after `soakCalls` calls. */
export async function sdkSuite(browser: Browser, origin: string, c: BenchCatalog, { calls, soakCalls }: { calls: number; soakCalls: number }) {
  const { context, page, options, downloadMs } = await sdkPage(browser, origin, c);
  try {
    const cold = await start(page, options);
    const tensors = () => cold.worker.evaluate(() => (self as unknown as { _tfengine: { memory(): { numTensors: number } } })._tfengine.memory().numTensors);
    const afterStart = { ...(await workerHeap(browser, 'localrec-worker')), tensors: await tensors() };
    const events = syntheticEvents(readCatalog(c.file), 20);
    await page.evaluate(async (evs) => { for (const e of evs) await (window as unknown as BenchWindow).rec.track(e); }, events);
    const round = await page.evaluate(async (n) => {
      const took: number[] = [];
      const trip: number[] = [];
      for (let i = 0; i < n + 5; i++) {
        const t0 = performance.now();
        const r = await (window as unknown as BenchWindow).rec.recommend({ k: 20 });
        if (i >= 5) {
          trip.push(performance.now() - t0);
          took.push(r.tookMs);
        }
      }
      return { took, trip };
    }, calls);
    const soakStart = Date.now();
    await page.evaluate(async (n) => { for (let i = 0; i < n; i++) await (window as unknown as BenchWindow).rec.recommend({ k: 20 }); }, soakCalls);
    const afterCalls = { calls: soakCalls, seconds: Math.round((Date.now() - soakStart) / 1000), ...(await workerHeap(browser, 'localrec-worker')), tensors: await tensors() };
    await page.evaluate(() => (window as unknown as BenchWindow).rec.destroy());
    // Warm: the same device (IndexedDB and HTTP cache kept), a new page view.
    await page.reload();
    const warm = await start(page, options);
    const warmCheck = await page.evaluate(async () => (await (window as unknown as BenchWindow).rec.recommend({ k: 20 })).items.length);
    await page.evaluate(() => (window as unknown as BenchWindow).rec.destroy());
    return {
      downloadMs,
      cold: { readyMs: cold.readyMs, startupMs: cold.info.startupMs, phases: cold.info.phases, backend: (cold.info.backend as { name: string }).name, longTasks: cold.longTasks },
      warm: { readyMs: warm.readyMs, startupMs: warm.info.startupMs, phases: warm.info.phases, backend: (warm.info.backend as { name: string }).name, longTasks: warm.longTasks, recommended: warmCheck },
      recommend: { workerMs: stats(round.took), roundTripMs: stats(round.trip) },
      memory: { afterStart, afterCalls },
    };
  } finally {
    await context.close();
  }
}

/**
 * Start-up alone (`--startup`): a cold start, then `warmRuns` reloads of the same device, each
 * with ready() as the page sees it and the worker's phases; `recommended` checks the warm start
 * answers. Quicker than sdkSuite when only start-up changed, and several warm starts to compare.
 */
export async function startupSuite(browser: Browser, origin: string, c: BenchCatalog, warmRuns: number) {
  const { context, page, options, downloadMs } = await sdkPage(browser, origin, c);
  const once = async () => {
    const s = await start(page, options);
    const recommended = await page.evaluate(async () => (await (window as unknown as BenchWindow).rec.recommend({ k: 20 })).items.length);
    // destroy() flushes what the start left to write, as a page closing would have time to.
    await page.evaluate(() => (window as unknown as BenchWindow).rec.destroy());
    return { readyMs: s.readyMs, startupMs: s.info.startupMs, phases: s.info.phases, ...(s.info.catalogStale ? { catalogStale: s.info.catalogStale } : {}), recommended, longTasks: s.longTasks.length };
  };
  try {
    const cold = await once();
    const warm = [];
    for (let i = 0; i < warmRuns; i++) {
      await page.reload();
      warm.push(await once());
    }
    return { downloadMs, cold, warm, warmMedianMs: [...warm.map((w) => w.readyMs)].sort((a, b) => a - b)[Math.floor(warm.length / 2)] };
  } finally {
    await context.close();
  }
}

/**
 * Ingest: `events` un-awaited track() calls on the demo catalog until every one is durable,
 * beside raw IndexedDB writing as many plain records in one transaction (the floor); then, on
 * `largeCatalog`, track()'s own cost on the main thread over 1,000 events (each call, and per
 * call over batches with their post to the worker) and the long tasks during start-up and those
 * events. `sdkPage` is the page that loads the build measured: '/' this one, '/base.html' a
 * baseline (bench/run.ts --baseline).
 */
export async function ingestSuite(browser: Browser, origin: string, { events, largeCatalog, sdkPage = '/' }: { events: number; largeCatalog: string; sdkPage?: string }) {
  const context = await browser.newContext();
  await context.addInitScript(KEEP_NAMES);
  await context.addInitScript(WATCH_LONG_TASKS);
  const page = await context.newPage();
  if (process.env.BENCH_CONSOLE) page.on('console', (m) => console.error(`[ingest] ${m.text()}`));
  try {
    await page.goto(`${origin}${sdkPage}`);
    const sustained = await page.evaluate(async (n) => {
      const rec = (window as unknown as BenchWindow).localrec.createLocalrec({ catalog: '/demo/catalog.json', dbName: 'bench-ingest' });
      await rec.ready();
      const ids = ((await (await fetch('/demo/catalog.json')).json()) as { items: { id: string }[] }).items.map((i) => i.id);
      const t0 = performance.now();
      const results = await Promise.all(Array.from({ length: n }, (_, i) => rec.track({ type: i % 5 === 0 ? 'click' : 'view', itemId: ids[(i * 7919) % ids.length] })));
      const sdkMs = performance.now() - t0;
      const durable = results.filter((r) => r.stored && r.durable).length;
      await rec.destroy();
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('bench-raw', 1);
        req.onupgradeneeded = () => req.result.createObjectStore('e', { autoIncrement: true });
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const t1 = performance.now();
      await new Promise((resolve, reject) => {
        const tx = db.transaction('e', 'readwrite');
        for (let i = 0; i < n; i++) tx.objectStore('e').add({ type: 'view', itemId: ids[(i * 7919) % ids.length], time: Date.now() });
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      const rawMs = performance.now() - t1;
      db.close();
      return { events: n, durable, sdkEventsPerSecond: Math.round(n / (sdkMs / 1000)), rawIndexedDbEventsPerSecond: Math.round(n / (rawMs / 1000)), sdkToRawTimeRatio: Math.round((sdkMs / rawMs) * 100) / 100 };
    }, events);
    const large = readCatalog(largeCatalog);
    const ids = large.items.filter((i) => i.available).map((i) => i.id);
    // The page's performance.now() steps 100 µs (with jitter) unless it is cross-origin isolated,
    // where it steps 5 µs: this part runs on the same page served with COOP/COEP (bench/run.ts
    // '/isolated.html'; the SDK starts there since the threaded tfjs-wasm build is off), so each
    // call is timed on its own (`timerStepUs` says what the page's timer resolved). Calls are also
    // timed in batches of BATCH, up to the end of the microtask that posts the batch to the worker
    // (so the page's share of sending counts too): the per-call mean of a batch, and its p99 / max
    // over the batches, show a slow call as a slow batch.
    if (sdkPage === '/') await page.goto(`${origin}/isolated.html`);
    const BATCH = 25;
    const mainThread = await page.evaluate(async ({ catalog, ids, BATCH }) => {
      let timerStepUs = Infinity;
      for (let i = 0, last = performance.now(); i < 200_000 && timerStepUs > 1; i++) {
        const t = performance.now();
        if (t > last) timerStepUs = Math.min(timerStepUs, (t - last) * 1000);
        last = t;
      }
      (window as unknown as BenchWindow).longTasks.splice(0);
      const rec = (window as unknown as BenchWindow).localrec.createLocalrec({ catalog, dbName: 'bench-track' });
      await rec.ready();
      const startLongTasks = (window as unknown as BenchWindow).longTasks.splice(0);
      const cost: number[] = [];
      const batches: number[] = [];
      const pending: Promise<unknown>[] = [];
      for (let b = 0; b < 1000 / BATCH; b++) {
        const tb = performance.now();
        for (let j = 0; j < BATCH; j++) {
          const i = b * BATCH + j;
          const t0 = performance.now();
          pending.push(rec.track({ type: i % 4 === 0 ? 'click' : 'view', itemId: ids[(i * 7919) % ids.length] }));
          cost.push(performance.now() - t0);
        }
        // The batch's first call queued the microtask that posts it; this await resumes after it.
        await null;
        batches.push((performance.now() - tb) / BATCH);
        await new Promise((r) => setTimeout(r, 0));
      }
      await Promise.all(pending);
      const trackLongTasks = (window as unknown as BenchWindow).longTasks.splice(0);
      await rec.destroy();
      return { cost, batches, startLongTasks, trackLongTasks, timerStepUs: Math.round(timerStepUs * 10) / 10 };
    }, { catalog: largeCatalog, ids, BATCH });
    const us = (ms: number[]) => stats(ms.map((x) => x * 1000));
    return {
      sustained,
      track: {
        catalog: largeCatalog, events: 1000, timerStepUs: mainThread.timerStepUs, batch: BATCH,
        mainThreadUs: us(mainThread.cost), perCallInBatchesUs: us(mainThread.batches),
        meanPerCallUs: Math.round((mainThread.batches.reduce((a, b) => a + b, 0) / mainThread.batches.length) * 10_000) / 10,
        longTasksDuringStart: mainThread.startLongTasks, longTasksDuring1000Events: mainThread.trackLongTasks,
      },
    };
  } finally {
    await context.close();
  }
}
