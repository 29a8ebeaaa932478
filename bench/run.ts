/**
 * `npm run bench -- [--json] [--quick] [--no-build] [--only=<part of a catalog name>] [--startup] [--ingest-only]`:
 * localrec's benchmark, one run, one browser (`--only` runs the catalogs whose name contains it,
 * and skips ingest and BENCHMARKS.md; `--startup` measures only cold and warm `ready()`, a
 * warm start three times, and writes bench/startup.json; `--ingest-only` runs ingest alone,
 * without BENCHMARKS.md).
 *
 * It builds the SDK and the benchmark worker, writes seeded synthetic catalogs (bench/catalogs.ts)
 * to bench/.data, serves them with the SDK from 127.0.0.1 (a secure context, so storage is sealed
 * as in production; ETags, so a warm start can revalidate) and drives /usr/bin/chromium:
 *
 * - per catalog, in the benchmark worker (bench/worker/bench.worker.ts): recommend() on the real
 *   Engine and the raw peers (JS loop, tfjs-cpu, -wasm, -webgl) and the memory floor on the same
 *   matrix and query, every top-k checked;
 * - per catalog, through the SDK as a page uses it: cold and warm `ready()` with their phases,
 *   recommend() round trips, long tasks, the worker's heap and tensor count after start-up and
 *   after many calls;
 * - ingest: events/s persisted and track()'s main-thread cost, beside raw IndexedDB;
 * - bundle sizes (scripts/size.mjs).
 *
 * Prints a summary (or the JSON with --json), writes bench/results.json and, on a full run,
 * BENCHMARKS.md. `--quick` is the CI smoke test: small catalogs, few calls; it fails (exit 1) only
 * on a wrong result or a size budget, never on a time.
 */
import { execFileSync, execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';
import { chromium, type Browser } from '@playwright/test';
import { DATA, KEEP_NAMES, localFile, readCatalog, workerOf, type BenchCatalog } from './browser';
import { encodeCompactCatalog } from '../src/core/catalog-compact';
import { syntheticCatalog, syntheticEvents } from './catalogs';
import { sdkSuite, ingestSuite, startupSuite } from './sdk-suite';
import { writeReport } from './report';
import { watModules } from '../scripts/vite-wat.mjs';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
/** `--ingest-only`: the ingest suite alone (on the largest catalog), to iterate on the write path. */
const ingestOnly = args.has('--ingest-only');
/**
 * `--baseline=<dir>`: another build's dist/lib (say, main's), served under /base/; its ingest is
 * measured in the same run, alternating with this build's, so the two compare under one load.
 */
const baseline = process.argv.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
const port = Number(process.env.BENCH_PORT ?? 5192);
const origin = `http://127.0.0.1:${port}`;

function catalogs(): BenchCatalog[] {
  const sizes = quick ? [1000, 10_000] : [1000, 10_000, 100_000];
  const out: BenchCatalog[] = [{ name: 'demo', file: '/demo/catalog.json', items: 0, embeddings: false, bundle: '/demo/session-bundle.bin' }];
  mkdirSync(DATA, { recursive: true });
  for (const items of sizes) {
    for (const embeddings of quick ? [items === 1000] : [false, true]) {
      const name = `synthetic-${items / 1000}k${embeddings ? '-emb' : ''}`;
      const path = join(DATA, `${name}.json`);
      if (!existsSync(path)) writeFileSync(path, JSON.stringify(syntheticCatalog({ items, embeddings })));
      out.push({ name, file: `/data/${name}.json`, items, embeddings });
      // The same catalog in the compact format (int8 embeddings), where the download is what it saves.
      if (embeddings && items >= 10_000) {
        const compact = join(DATA, `${name}.lrc`);
        if (!existsSync(compact)) writeFileSync(compact, encodeCompactCatalog(syntheticCatalog({ items, embeddings })));
        out.push({ name: `${name}-compact`, file: `/data/${name}.lrc`, items, embeddings });
      }
    }
  }
  return only === undefined ? out : out.filter((c) => c.name.includes(only));
}

/** The benchmark worker, built from bench/worker/bench.worker.ts into dist/bench. */
async function buildBenchWorker(): Promise<void> {
  await build({
    configFile: false, logLevel: 'warn', base: './', plugins: [watModules()],
    build: {
      outDir: 'dist/bench', emptyOutDir: true, target: 'es2022', minify: true,
      lib: { entry: 'bench/worker/bench.worker.ts', formats: ['es'], fileName: () => 'bench-worker.js' },
    },
  });
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.bin': 'application/octet-stream', '.html': 'text/html' };
const etags = new Map<string, { mtime: number; etag: string }>();
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** A static server with strong ETags (If-None-Match answers 304), as a store's CDN would serve the catalog. */
function serve(): Promise<Server> {
  const roots: Record<string, string> = { sdk: 'dist/lib', bench: 'dist/bench', data: DATA, demo: 'demo/data', ...(baseline ? { base: baseline } : {}) };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/' || url.pathname === '/sdk.html' || url.pathname === '/base.html' || url.pathname === '/isolated.html') {
      const sdk = url.pathname === '/base.html' ? 'base' : 'sdk';
      // '/isolated.html' is cross-origin isolated, so its performance.now() steps 5 µs, not 100 (track()'s cost).
      const isolation = url.pathname === '/isolated.html' ? ISOLATION : {};
      res.writeHead(200, { 'content-type': 'text/html', ...isolation }).end(`<!doctype html><title>bench</title><script src="/${sdk}/localrec.iife.js"></script>`);
      return;
    }
    const [, root, ...rest] = url.pathname.split('/');
    const file = roots[root ?? ''] && normalize(join(roots[root!]!, ...rest));
    if (!file || !file.startsWith(roots[root!]!) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    const mtime = statSync(file).mtimeMs;
    let tag = etags.get(file);
    if (!tag || tag.mtime !== mtime) etags.set(file, (tag = { mtime, etag: `"${createHash('sha1').update(readFileSync(file)).digest('hex')}"` }));
    // COEP on every file too: a worker started by the isolated page must be isolated as well (harmless elsewhere).
    const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', etag: tag.etag, 'cache-control': 'no-cache', ...ISOLATION };
    if (req.headers['if-none-match'] === tag.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, headers).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

/** The peers and the Engine in the benchmark worker, on one catalog. */
async function workerSuite(browser: Browser, c: BenchCatalog, calls: number) {
  const context = await browser.newContext();
  await context.addInitScript(KEEP_NAMES);
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/`);
    const worker = await workerOf(page, 'bench-worker', () => page.evaluate(() => { (window as unknown as { w: Worker }).w = new Worker('/bench/bench-worker.js', { type: 'module' }); }));
    await worker.evaluate(() => new Promise<void>((r) => { const wait = () => ('bench' in self ? r() : setTimeout(wait, 20)); wait(); }));
    const json = readCatalog(c.file);
    const setup = { catalog: c.file, events: syntheticEvents(json, 20), now: Date.UTC(2026, 10, 1, 12), k: 20 };
    type Bench = Record<string, (...a: unknown[]) => Promise<unknown>>;
    const call = (name: string, ...a: unknown[]) => worker.evaluate(([n, a]) => (self as unknown as { bench: Bench }).bench[n as string]!(...(a as unknown[])), [name, a] as const);
    const loaded = (await call('load', setup)) as { ready: { items: number; backend: unknown }; readyMs: number };
    const recommend = await call('recommend', calls);
    const peers = await call('peers', calls);
    const stages = await call('stages', calls);
    await call('close');
    return { items: loaded.ready.items, backend: loaded.ready.backend, recommend, stages, ...(peers as object) };
  } finally {
    await context.close();
  }
}

function machine(browserVersion: string) {
  const cpu = cpus();
  return {
    cpu: `${cpu[0]?.model ?? 'unknown'} × ${cpu.length}`, memoryGB: Math.round(totalmem() / 2 ** 30), os: `${osType()} ${release()}`,
    node: process.version, chromium: browserVersion, gpu: 'none (WebGL is SwiftShader, software)', note: 'shared machine: compare figures within one run',
  };
}

/** The size budgets (scripts/size.mjs): its JSON and whether every budget holds. */
function sizes(): { report: unknown; ok: boolean } {
  try {
    return { report: JSON.parse(execFileSync(process.execPath, ['scripts/size.mjs'], { encoding: 'utf8' })), ok: true };
  } catch (e) {
    const out = (e as { stdout?: string }).stdout ?? '';
    return { report: out ? JSON.parse(out) : String(e), ok: false };
  }
}

async function main() {
  const t0 = Date.now();
  if (!args.has('--no-build')) execSync('npm run build', { stdio: ['ignore', 'ignore', 'inherit'] });
  await buildBenchWorker();
  const list = catalogs();
  const server = await serve();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--disable-quic', '--enable-unsafe-swiftshader'] });
  const calls = quick ? 50 : 100;
  const results: Record<string, unknown> = {};
  const failures: string[] = [];
  try {
    if (args.has('--startup')) {
      for (const c of list) results[c.name] = await startupSuite(browser, origin, c, 3).catch((e: unknown) => ({ error: String(e instanceof Error ? e.message : e).split('\n')[0] }));
      const out = { when: new Date().toISOString(), seconds: Math.round((Date.now() - t0) / 1000), machine: machine(browser.version()), startup: results };
      writeFileSync('bench/startup.json', `${JSON.stringify(out, null, 1)}\n`);
      console.log(JSON.stringify(out, null, 1));
      return;
    }
    for (const c of ingestOnly ? [] : list) {
      const log = (what: string) => !args.has('--json') && console.error(`${c.name}: ${what}`);
      log('worker: engine and peers');
      let inWorker: Awaited<ReturnType<typeof workerSuite>>;
      try {
        inWorker = await workerSuite(browser, c, calls);
      } catch (e) {
        // A worker that stopped answering (its supervisor gives it 6 s, which a long synchronous
        // parse can exceed on a loaded machine) is a time, not a wrong result: noted, and the run goes on.
        results[c.name] = { error: String(e instanceof Error ? e.message : e).split('\n')[0] };
        continue;
      }
      log('sdk: ready, round trips, memory');
      const soakCalls = quick ? 200 : c.items >= 100_000 && c.embeddings && !c.name.endsWith('-compact') ? 10_000 : c.items >= 10_000 ? 2000 : 500;
      const sdk = await sdkSuite(browser, origin, c, { calls, soakCalls }).catch((e: unknown) => ({ error: String(e instanceof Error ? e.message : e).split('\n')[0] }));
      results[c.name] = { catalog: { items: inWorker.items, embeddings: c.embeddings, jsonBytes: statSync(localFile(c.file)).size }, worker: inWorker, sdk };
      const rec = inWorker.recommend as { sameAsReference: boolean };
      if (!rec.sameAsReference) failures.push(`${c.name}: recommend() differs from the reference ranking`);
      for (const p of (inWorker as unknown as { peers: { name: string; sameTopK?: boolean; error?: string }[] }).peers) {
        if (p.sameTopK === false) failures.push(`${c.name}: ${p.name} returned a different top-k`);
      }
    }
    if (only === undefined) console.error('ingest');
    const ingestRun = (sdkPage: string) => ingestSuite(browser, origin, { events: quick ? 2000 : 20_000, largeCatalog: list.at(-1)!.file, sdkPage });
    const ingest = only === undefined || ingestOnly ? await ingestRun('/') : undefined;
    // Baseline, this build, baseline, this build: each twice, in turns.
    const ingestVsBaseline = ingest && baseline ? [await ingestRun('/base.html'), ingest, await ingestRun('/base.html'), await ingestRun('/')] : undefined;
    const size = sizes();
    if (!size.ok) failures.push('a size budget is exceeded (scripts/size.mjs)');
    const out = { quick, when: new Date().toISOString(), seconds: Math.round((Date.now() - t0) / 1000), machine: machine(browser.version()), catalogs: results, ingest, ...(ingestVsBaseline ? { ingestVsBaseline: { baseline, runs: ingestVsBaseline.map((r, i) => ({ build: i % 2 ? 'this' : 'baseline', ...r })) } } : {}), sizes: size.report, failures };
    writeFileSync('bench/results.json', `${JSON.stringify(out, null, 1)}\n`);
    if (!quick && only === undefined && !ingestOnly) writeReport('BENCHMARKS.md', out);
    console.log(args.has('--json') ? JSON.stringify(out, null, 1) : `bench/results.json written${quick || only !== undefined || ingestOnly ? '' : ', BENCHMARKS.md regenerated'} (${out.seconds} s); ${failures.length ? `FAILED: ${failures.join('; ')}` : 'all results checked'}`);
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length) process.exit(1);
}

await main();
