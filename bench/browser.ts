/** What the benchmark's suites share: the catalogs, and what they read of the browser's workers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Worker } from '@playwright/test';
import type { CatalogJson } from '../src/core/catalog';
import { decodeCompactCatalog, isCompactCatalog } from '../src/core/catalog-compact';

/** The catalogs of a run: name, file under bench/.data (or demo/data), and whether the demo bundle goes with it. */
export interface BenchCatalog { name: string; file: string; items: number; embeddings: boolean; bundle?: string }

/** Synthetic catalogs are written here (git ignores it); `/data/x` on the bench server is `bench/.data/x`, `/demo/x` is `demo/data/x`. */
export const DATA = 'bench/.data';

/** The file on disk behind a served path. */
export function localFile(served: string): string {
  return served.startsWith('/demo/') ? join('demo/data', served.slice(6)) : join(DATA, served.slice(6));
}

/** A served catalog, read from disk (JSON v1, or the compact format). */
export function readCatalog(served: string): CatalogJson {
  const bytes = readFileSync(localFile(served));
  return isCompactCatalog(bytes) ? decodeCompactCatalog(bytes) : JSON.parse(bytes.toString('utf8'));
}


/**
 * tsx (esbuild) wraps named functions in `__name(...)`, and Playwright sends the functions given
 * to `evaluate` to the browser as their source: the page and the workers need that helper too.
 */
export const KEEP_NAMES = 'self.__name = (f) => f';

/** The worker a page starts, as Playwright sees it. */
export async function workerOf(page: Page, urlPart: string, start: () => Promise<unknown>): Promise<Worker> {
  const found = page.waitForEvent('worker', { predicate: (w) => w.url().includes(urlPart), timeout: 60_000 });
  await start();
  const worker = await found;
  await worker.evaluate(KEEP_NAMES);
  return worker;
}

/** The JS heap and ArrayBuffer backing stores of a worker, after a full GC, through the browser's DevTools protocol. */
export async function workerHeap(browser: Browser, urlPart: string): Promise<{ heapMB: number; buffersMB: number } | undefined> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const target = targetInfos.find((t) => t.type === 'worker' && t.url.includes(urlPart));
    if (!target) return undefined;
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
    let id = 0;
    const waiting = new Map<number, (m: { result?: Record<string, number> }) => void>();
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      const m = JSON.parse(e.message) as { id?: number; result?: Record<string, number> };
      if (m.id !== undefined) waiting.get(m.id)?.(m);
    });
    const send = (method: string) => new Promise<{ result?: Record<string, number> }>((resolve) => {
      waiting.set(++id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) });
    });
    await send('HeapProfiler.collectGarbage');
    const usage = (await send('Runtime.getHeapUsage')).result ?? {};
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
    const mb = (b: number | undefined) => Math.round(((b ?? 0) / 1048576) * 10) / 10;
    return { heapMB: mb(usage.usedSize), buffersMB: mb(usage.backingStorageSize) };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

