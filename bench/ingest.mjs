#!/usr/bin/env node
/**
 * Sustained ingest through the whole path in Chromium: un-awaited track() calls from the page,
 * through the facade and the worker's batched, sealed IndexedDB writes, until every promise has
 * resolved durable. For scale, the same run times raw IndexedDB on the page writing the same
 * number of plain records in one transaction (the floor a batched design can approach).
 * Prints JSON. Uses the script-tag build (dist/lib) on a page of its own.
 *
 *   npm run build && node bench/ingest.mjs [events=20000] [runs=3]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const events = Number(process.argv[2] ?? 20_000);
const runs = Number(process.argv[3] ?? 3);
const host = 'https://bench.localrec.test'; // https: WebCrypto, which seals storage, needs a secure context
const types = { js: 'text/javascript', wasm: 'application/wasm', json: 'application/json' };

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--disable-quic', '--enable-unsafe-swiftshader'] });
try {
  const context = await browser.newContext();
  await context.route(`${host}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><script src="/sdk/localrec.iife.js"></script>' });
    const file = path.startsWith('/sdk/') ? join('dist/lib', path.slice(5)) : join('demo/data', path.slice(1));
    try {
      return route.fulfill({ body: readFileSync(file), contentType: types[file.split('.').pop()] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
  const page = await context.newPage();
  await page.goto(`${host}/`);
  const out = [];
  for (let run = 0; run < runs; run++) {
    out.push(await page.evaluate(async ({ n, run }) => {
      const rec = window.localrec.createLocalrec({ catalog: '/catalog.json', dbName: `bench-ingest-${run}` });
      await rec.ready();
      const ids = (await (await fetch('/catalog.json')).json()).items.map((i) => i.id);
      const t0 = performance.now();
      const results = await Promise.all(Array.from({ length: n }, (_, i) => rec.track({ type: i % 5 === 0 ? 'click' : 'view', itemId: ids[(i * 7919) % ids.length] })));
      const sdkMs = performance.now() - t0;
      const durable = results.filter((r) => r.stored && r.durable).length;
      const stored = (await rec.profile()).storedEvents;
      await rec.destroy();
      // The floor: plain records, one transaction, no profile, no worker hop.
      const db = await new Promise((resolve, reject) => {
        const req = indexedDB.open(`bench-raw-${run}`, 1);
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
      return { sdkMs, rawMs, durable, stored };
    }, { n: events, run }));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const sdkMs = median(out.map((r) => r.sdkMs));
  const rawMs = median(out.map((r) => r.rawMs));
  console.log(JSON.stringify({
    events, runs,
    sdkEventsPerSecond: Math.round(events / (sdkMs / 1000)),
    rawIndexedDbEventsPerSecond: Math.round(events / (rawMs / 1000)),
    sdkToRawTimeRatio: Math.round((sdkMs / rawMs) * 100) / 100,
    perRun: out.map((r) => ({ sdkMs: Math.round(r.sdkMs), rawMs: Math.round(r.rawMs), durable: r.durable, storedEvents: r.stored })),
  }, null, 1));
} finally {
  await browser.close();
}
