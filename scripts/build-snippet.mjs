#!/usr/bin/env node
/**
 * Builds the snippet a store pastes into its <head> (docs/snippet.md) from its readable source,
 * src/snippet/snippet.ts: bundled, lowered to ES2015 (so an old browser still gets the stub, and
 * with it the typed `sdk_unavailable` failure rather than a syntax error) and minified into
 * dist/lib/snippet.min.js, the text that goes between <script> and </script>. Run it after the
 * lib and script builds (the lib build empties dist/lib).
 *
 * Prints JSON: its size raw and gzipped against the 1 KB budget, the SDK URL baked in as the
 * default (used when the tag has no data-src) and the CSP hash source that allows exactly this
 * text. Exits 1 when the budget is exceeded.
 *
 * Usage: node scripts/build-snippet.mjs [--src <default SDK URL>]   (default /localrec/localrec.iife.js)
 */
import { build } from 'vite';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const BUDGET = 1024;
const OUT = 'dist/lib/snippet.min.js';
const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { src: { type: 'string', default: '/localrec/localrec.iife.js' } } });

const result = await build({
  configFile: false,
  root,
  logLevel: 'silent',
  define: { __LOCALREC_SDK_URL__: JSON.stringify(values.src) },
  build: {
    write: false,
    target: 'es2015',
    minify: true,
    modulePreload: false,
    rolldownOptions: {
      input: resolve(root, 'src/snippet/snippet.ts'),
      output: { format: 'iife', minify: true, entryFileNames: 'snippet.min.js' },
    },
  },
});
const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
const chunk = outputs.find((o) => o.type === 'chunk' && o.isEntry);
if (!chunk) throw new Error('the snippet build produced no entry chunk');
const code = chunk.code.trim();

mkdirSync(resolve(root, 'dist/lib'), { recursive: true });
writeFileSync(resolve(root, OUT), code);
const report = {
  file: OUT,
  bytes: Buffer.byteLength(code),
  gzipBytes: gzipSync(code, { level: 9 }).length,
  budget: BUDGET,
  defaultSdkUrl: values.src,
  cspHash: `'sha256-${createHash('sha256').update(code).digest('base64')}'`,
};
console.log(JSON.stringify(report, null, 1));
if (report.gzipBytes > BUDGET) {
  console.error(`snippet size budget exceeded: ${report.gzipBytes} > ${BUDGET} bytes gzip`);
  process.exit(1);
}
