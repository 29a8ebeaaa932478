#!/usr/bin/env node
/**
 * The store-side bundle build at store scale: `npm run build-bundle` end to end (read, count,
 * encode, fit) on generated logs of 1M and 10M events, with DuckDB (the default engine) and with
 * the in-memory builder on the same files, then a daily incremental run over 1M new events on
 * top of the largest build's kept aggregates, refitting the weights and keeping them. Each build runs in a child process of its own,
 * which reports its own peak RSS (process.resourceUsage().maxRSS, DuckDB's native memory
 * included). Prints JSON (also written to DIR/results.json). Runs under tsx (`node --import tsx`),
 * as the npm script starts it.
 *
 *   npm run bench:build -- [--sizes 1000000,10000000] [--memory-sizes 1000000,10000000] [--daily 1000000]
 *                          [--dir /tmp/localrec-bench] [--memory-limit 1GB] [--timeout-s 900]
 *
 * The logs are generated, seeded, to look like YooChoose-100k (../shared/data/yoochoose-100k,
 * needed): session lengths drawn from its empirical distribution, item popularity from a Zipf law
 * fitted to its rank-frequency curve (over a catalog that grows as √events: 2,933 items at its
 * 70k events, about 35k at 10M, as the full YooChoose has 37k at 33M), the share of re-clicks in
 * a session and the gaps between clicks as in the sample, and next clicks that often stay near
 * the previous item (so pairs repeat, as they do in real sessions). Files go under --dir, never
 * into the repository, and are reused by later runs with the same size and seed.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { seededRandom } from '../src/core/lifecycle/classifier-metrics.ts';

const SAMPLE = '../shared/data/yoochoose-100k/train.tsv';
const SEED = 20151;
const DAY = 86400;

// Child mode: run build-bundle's main in this process (tsx loaded by --import), then report.
if (process.argv[2] === '--child') {
  const args = process.argv.slice(3);
  process.argv.splice(2, process.argv.length - 2, ...args);
  const t0 = performance.now();
  const { main } = await import('../tools/build-bundle.ts');
  await main();
  const seconds = (performance.now() - t0) / 1000;
  console.log(`BENCH ${JSON.stringify({ seconds, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}`);
  process.exit(0);
}

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,10000000' },
    'memory-sizes': { type: 'string', default: '1000000,10000000' },
    daily: { type: 'string', default: '1000000' },
    dir: { type: 'string', default: '/tmp/localrec-bench' },
    'memory-limit': { type: 'string', default: '1GB' },
    'timeout-s': { type: 'string', default: '900' },
  },
});
const sizes = opts.sizes.split(',').map(Number);
const memorySizes = opts['memory-sizes'].split(',').map(Number).filter((n) => n > 0);
const daily = Number(opts.daily);
const dir = opts.dir;
mkdirSync(dir, { recursive: true });
if (!existsSync(SAMPLE)) {
  console.error(`bench:build: ${SAMPLE} is missing; the generator draws its distributions from it (see ../shared/data/README.md).`);
  process.exit(1);
}

/** What the generator takes from YooChoose-100k. */
function sampleShape() {
  const lines = readFileSync(SAMPLE, 'utf8').trim().split('\n').slice(1);
  const sessions = new Map();
  const itemCount = new Map();
  for (const l of lines) {
    const [s, i, t] = l.split('\t');
    if (!sessions.has(s)) sessions.set(s, []);
    sessions.get(s).push([i, Number(t)]);
    itemCount.set(i, (itemCount.get(i) ?? 0) + 1);
  }
  const lengths = [];
  const gaps = [];
  let repeats = 0;
  for (const ev of sessions.values()) {
    ev.sort((a, b) => a[1] - b[1]);
    lengths.push(ev.length);
    const seen = new Set();
    ev.forEach(([i, t], k) => {
      if (seen.has(i)) repeats++;
      seen.add(i);
      if (k > 0) gaps.push(Math.min(t - ev[k - 1][1], 3600));
    });
  }
  // Zipf exponent: least squares of log(count) on log(rank) over the top half of the ranks.
  const counts = [...itemCount.values()].sort((a, b) => b - a);
  const top = counts.slice(0, Math.ceil(counts.length / 2));
  const xs = top.map((_, r) => Math.log(r + 1));
  const ys = top.map((c) => Math.log(c));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const zipf = -xs.reduce((s, x, k) => s + (x - mx) * (ys[k] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return { events: lines.length, items: counts.length, lengths, gaps, repeatShare: repeats / lines.length, zipf, meanLength: lines.length / sessions.size };
}

/**
 * Writes `events` events (whole sessions; the last one may run a few over) as session-rec TSV,
 * sessions spread evenly over `days` days from `firstDay`; ids from `prefix` keep batches apart.
 */
async function generate(file, events, { days, firstDay, prefix, seed }, shape) {
  if (existsSync(file)) return;
  const rand = seededRandom(seed);
  const items = Math.round(shape.items * Math.sqrt(events / shape.events));
  // Zipf by inverse CDF over a cumulative table of ranks; item ids are a seeded permutation of
  // 1..items so popularity does not follow id order.
  const cdf = new Float64Array(items);
  let sum = 0;
  for (let r = 0; r < items; r++) cdf[r] = sum += Math.pow(r + 1, -shape.zipf);
  const ids = Int32Array.from({ length: items }, (_, k) => k + 1);
  for (let k = items - 1; k > 0; k--) {
    const j = Math.floor(rand() * (k + 1));
    [ids[k], ids[j]] = [ids[j], ids[k]];
  }
  const drawRank = () => {
    const u = rand() * sum;
    let lo = 0;
    let hi = items - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const sessions = Math.round(events / shape.meanLength);
  const tmp = `${file}.writing`;
  const out = createWriteStream(tmp);
  out.write('SessionId\tItemId\tTime\n');
  let written = 0;
  let chunk = '';
  for (let s = 0; written < events; s++) {
    const len = shape.lengths[Math.floor(rand() * shape.lengths.length)];
    let t = (firstDay + Math.min(days - 1, Math.floor((s / sessions) * days))) * DAY + Math.floor(rand() * DAY * 0.9);
    const seen = [];
    let rank = drawRank();
    for (let k = 0; k < len; k++) {
      let item;
      if (k > 0 && rand() < shape.repeatShare) item = seen[Math.floor(rand() * seen.length)];
      else {
        // Half the next clicks stay near the previous item's rank (a related product), half are fresh draws.
        if (k > 0 && rand() < 0.5) rank = Math.min(items - 1, Math.max(0, rank + Math.round((rand() - 0.5) * 40)));
        else if (k > 0) rank = drawRank();
        item = ids[rank];
      }
      seen.push(item);
      chunk += `${prefix}${s}\t${item}\t${t}\n`;
      t += shape.gaps[Math.floor(rand() * shape.gaps.length)];
      written++;
    }
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((r) => out.end(r));
  renameSync(tmp, file);
}

/** One build-bundle run in a child process; its figures, or where and how it failed. */
function run(label, args) {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', 'bench/build.mjs', '--child', ...args], {
    encoding: 'utf8', maxBuffer: 64 << 20, timeout: Number(opts['timeout-s']) * 1000,
    // The in-memory builder gets the heap a 2 GB budget allows; DuckDB's memory is outside it.
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' },
  });
  const wall = (performance.now() - t0) / 1000;
  const line = child.stdout.split('\n').find((l) => l.startsWith('BENCH '));
  if (child.status !== 0 || !line) {
    const why = child.error?.code === 'ETIMEDOUT' ? `timed out after ${opts['timeout-s']} s` : (child.stderr || child.stdout).trim().split('\n').filter((l) => /Error|error|heap|memory|Map/.test(l)).slice(0, 3).join(' | ').slice(0, 400);
    console.error(`${label}: FAILED after ${wall.toFixed(0)} s: ${why}`);
    return { label, ok: false, wallSeconds: Math.round(wall), failure: why || `exit ${child.status} ${child.signal ?? ''}` };
  }
  const r = JSON.parse(line.slice(6));
  console.error(`${label}: ${r.seconds.toFixed(1)} s, peak RSS ${r.maxRssMB} MB`);
  return { label, ok: true, seconds: Math.round(r.seconds * 10) / 10, maxRssMB: r.maxRssMB, stdout: child.stdout.split('\n').filter((l) => l && !l.startsWith('BENCH ') && !l.startsWith('{')).slice(0, 3) };
}

const shape = sampleShape();
const label = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
const results = [];
const firstDay = 16500;
const days = 30;
for (const n of sizes) {
  const file = join(dir, `events-${label(n)}-seed${SEED}.tsv`);
  const g0 = performance.now();
  await generate(file, n, { days, firstDay, prefix: 's', seed: SEED + n }, shape);
  const mb = statSync(file).size / 1e6;
  console.error(`${file}: ${mb.toFixed(0)} MB (${((performance.now() - g0) / 1000).toFixed(0)} s to generate, or reused)`);
  const state = join(dir, `state-${label(n)}`);
  const out = join(dir, `out-${label(n)}`);
  spawnSync('rm', ['-rf', state]); // a full build: from no kept aggregates
  const duck = run(`duckdb ${label(n)}`, ['--events', file, '--out', `${out}-duckdb`, '--state', state, '--memory-limit', opts['memory-limit']]);
  results.push({ engine: 'duckdb', events: n, fileMB: Math.round(mb), ...duck, eventsPerSecond: duck.ok ? Math.round(n / duck.seconds) : null });
  if (memorySizes.includes(n)) {
    const mem = run(`memory ${label(n)}`, ['--events', file, '--out', `${out}-memory`, '--engine', 'memory']);
    results.push({ engine: 'memory', events: n, fileMB: Math.round(mb), ...mem, eventsPerSecond: mem.ok ? Math.round(n / mem.seconds) : null });
    if (duck.ok && mem.ok) {
      const same = readFileSync(join(`${out}-duckdb`, 'session-bundle.bin')).equals(readFileSync(join(`${out}-memory`, 'session-bundle.bin')));
      results.push({ compare: `duckdb vs memory ${label(n)}`, sameBytes: same, speedup: Math.round((mem.seconds / duck.seconds) * 100) / 100, rssRatio: Math.round((mem.maxRssMB / duck.maxRssMB) * 100) / 100 });
    }
  }
}
// The daily run: the next day's 1M events added to the largest build's kept aggregates.
const largest = Math.max(...sizes);
if (daily > 0) {
  const file = join(dir, `daily-${label(daily)}-after-${label(largest)}-seed${SEED}.tsv`);
  await generate(file, daily, { days: 1, firstDay: firstDay + days, prefix: 'n', seed: SEED + 7 }, shape);
  // Twice, each on a copy of the kept aggregates (the same starting point): fitting the weights
  // again on the window, and publishing the kept ones (--keep-weights, the fast daily run).
  for (const [variant, extra] of [['refit', []], ['kept weights', ['--keep-weights']]]) {
    const state = join(dir, `state-${label(largest)}`);
    const copy = `${state}-daily`;
    spawnSync('rm', ['-rf', copy]);
    spawnSync('cp', ['-r', state, copy]);
    const r = run(`daily ${label(daily)} onto ${label(largest)}, ${variant}`, ['--events', file, '--out', join(dir, 'out-daily'), '--state', copy, '--memory-limit', opts['memory-limit'], ...extra]);
    results.push({ engine: 'duckdb', incremental: variant, events: daily, keptEvents: largest, ...r, eventsPerSecond: r.ok ? Math.round(daily / r.seconds) : null });
  }
}
const report = {
  bench: 'build', seed: SEED, machine: { cpus: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, note: 'shared machine: other builds and test runs ran at the same time' },
  generator: { from: SAMPLE, zipf: Math.round(shape.zipf * 1000) / 1000, meanSessionLength: Math.round(shape.meanLength * 100) / 100, repeatShare: Math.round(shape.repeatShare * 1000) / 1000, days },
  memoryLimit: opts['memory-limit'],
  results,
};
writeFileSync(join(dir, 'results.json'), JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));
