#!/usr/bin/env node
/**
 * `npm start`: builds the demo storefront and serves it on http://127.0.0.1:5173 (PORT overrides).
 * The snippet page (snippet.html) loads the script-tag SDK, which the demo build publishes from
 * dist/lib: when that or the snippet is missing, they are built first.
 */
import { execSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const port = process.env.PORT ?? '5173';
const sdk = ['localrec.iife.js', 'localrec-commands.js', 'localrec-sources.js', 'localrec-element.js', 'localrec-worker.js', 'snippet.min.js'];
const haveSdk = sdk.every((f) => existsSync(`dist/lib/${f}`)) && existsSync('dist/lib/assets') && readdirSync('dist/lib/assets').some((f) => f.endsWith('.wasm'));
if (!haveSdk) {
  for (const step of ['npx vite build --mode lib', 'npx vite build --mode script', 'npx vite build --mode commands', 'npx vite build --mode element', 'node scripts/build-snippet.mjs']) {
    execSync(step, { stdio: 'inherit' });
  }
}
execSync('npx vite build --mode demo', { stdio: 'inherit' });
console.log(`localrec demo: http://127.0.0.1:${port}/ (also /ga4.html and /snippet.html)`);
const server = spawn('npx', ['vite', 'preview', '--mode', 'demo', '--host', '127.0.0.1', '--port', port, '--strictPort'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
