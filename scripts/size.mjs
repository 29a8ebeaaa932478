#!/usr/bin/env node
/**
 * Size budgets, checked after `npm run build`: the main-thread facade must stay small (it runs
 * on every page view) and the library's engine worker must not grow back (it carried the wasm
 * inlined as base64 once: 752 KB gzip). The demo worker and every .wasm file the library ships
 * beside its worker are measured and reported. Prints JSON; exits 1 when a budget is exceeded.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const measure = (file, budget) => ({ file, gzipBytes: gz(file), ...(budget === undefined ? {} : { budget }) });
const demoAssets = readdirSync('dist/demo/assets');
const pick = (re) => `dist/demo/assets/${demoAssets.find((f) => re.test(f))}`;
const libWasm = readdirSync('dist/lib/assets')
  .filter((f) => f.endsWith('.wasm'))
  .sort()
  .map((f) => `dist/lib/assets/${f}`)
  .map((file) => ({ file, rawBytes: readFileSync(file).length, gzipBytes: gz(file) }));

const report = {
  facadeEsm: measure('dist/lib/localrec.js', 4096),
  facadeIife: measure('dist/lib/localrec.iife.js', 4096),
  // Loaded on demand beside the facade: the live wiring of `sources`, the script tag's localrec('…') commands,
  // and <localrec-recommendations>, which the commands load only on a page that has the tag.
  sourcesChunk: measure('dist/lib/localrec-sources.js'),
  commandsChunk: measure('dist/lib/localrec-commands.js'),
  elementChunk: measure('dist/lib/localrec-element.js', 3072),
  libWorker: measure('dist/lib/localrec-worker.js', 260 * 1024),
  libWasm,
  demoWorker: measure(pick(/^engine\.worker-.*\.js$/)),
  wasmSimd: measure(pick(/^tfjs-backend-wasm-simd-.*\.wasm$/)),
};
console.log(JSON.stringify(report, null, 1));

const over = [];
if (libWasm.length === 0) over.push('dist/lib/assets has no .wasm file: the library worker would have no wasm backend');
for (const r of Object.values(report)) {
  if (r.budget !== undefined && r.gzipBytes > r.budget) over.push(`${r.file} ${r.gzipBytes} > ${r.budget} bytes gzip`);
}
if (over.length) {
  console.error(`size budget exceeded: ${over.join('; ')}`);
  process.exit(1);
}
