#!/usr/bin/env node
/**
 * Size budgets, checked after `npm run build`: the main-thread facade must stay small (it runs
 * on every page view); the worker (TensorFlow.js inside) is measured and reported. Prints JSON;
 * exits 1 when a budget is exceeded.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const demoAssets = readdirSync('dist/demo/assets');
const pick = (re) => `dist/demo/assets/${demoAssets.find((f) => re.test(f))}`;
const budgets = { 'dist/lib/localrec.js': 4096, 'dist/lib/localrec.iife.js': 4096 };
const report = {
  facadeEsm: { file: 'dist/lib/localrec.js', gzipBytes: gz('dist/lib/localrec.js'), budget: budgets['dist/lib/localrec.js'] },
  facadeIife: { file: 'dist/lib/localrec.iife.js', gzipBytes: gz('dist/lib/localrec.iife.js'), budget: budgets['dist/lib/localrec.iife.js'] },
  demoWorker: { file: pick(/^engine\.worker-.*\.js$/), gzipBytes: gz(pick(/^engine\.worker-.*\.js$/)) },
  wasmSimd: { file: pick(/^tfjs-backend-wasm-simd-.*\.wasm$/), gzipBytes: gz(pick(/^tfjs-backend-wasm-simd-.*\.wasm$/)) },
  libWorkerWithInlinedWasm: { file: 'dist/lib/localrec-worker.js', gzipBytes: gz('dist/lib/localrec-worker.js') },
};
console.log(JSON.stringify(report, null, 1));
const over = Object.values(report).filter((r) => r.budget !== undefined && r.gzipBytes > r.budget);
if (over.length) {
  console.error(`size budget exceeded: ${over.map((r) => `${r.file} ${r.gzipBytes} > ${r.budget} bytes gzip`).join('; ')}`);
  process.exit(1);
}
