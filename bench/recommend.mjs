#!/usr/bin/env node
/**
 * recommend() latency on the built demo in Chromium: 20 browsing events, then 200 calls of
 * recommend({ k: 8 }) after alternating events. Reports the worker's own time (tookMs) and the
 * round trip seen by the page (postMessage both ways included), median and p95, as JSON.
 *
 *   npm run build && node bench/recommend.mjs
 */
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';

const port = Number(process.env.BENCH_PORT ?? 5181);
const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--mode', 'demo', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 200));
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--disable-quic', '--enable-unsafe-swiftshader'] });
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 });
  const result = await page.evaluate(async () => {
    const rec = window.localrecDemo.rec;
    const info = await rec.ready();
    const ids = (await (await fetch('catalog.json')).json()).items.filter((i) => i.available).map((i) => i.id);
    for (let i = 0; i < 20; i++) await rec.track({ type: 'view', itemId: ids[(i * 37) % ids.length] });
    const took = [];
    const roundTrip = [];
    for (let i = 0; i < 200; i++) {
      if (i % 10 === 0) await rec.track({ type: 'click', itemId: ids[(i * 53) % ids.length] });
      const t0 = performance.now();
      const r = await rec.recommend({ k: 8 });
      roundTrip.push(performance.now() - t0);
      took.push(r.tookMs);
    }
    return { info, took, roundTrip };
  });
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 100) / 100;
    return { median: q(0.5), p95: q(0.95), max: q(1) };
  };
  console.log(JSON.stringify({
    catalogItems: result.info.items, bundleItems: result.info.bundleItems, backend: result.info.backend,
    startupMs: result.info.startupMs, calls: result.took.length,
    workerMs: stats(result.took), roundTripMs: stats(result.roundTrip),
  }, null, 1));
} finally {
  await browser.close();
  server.kill();
}
