#!/usr/bin/env node
/** `npm start`: builds the demo storefront and serves it on http://127.0.0.1:5173 (PORT overrides). */
import { execSync, spawn } from 'node:child_process';

const port = process.env.PORT ?? '5173';
execSync('npx vite build --mode demo', { stdio: 'inherit' });
console.log(`localrec demo: http://127.0.0.1:${port}/`);
const server = spawn('npx', ['vite', 'preview', '--mode', 'demo', '--host', '127.0.0.1', '--port', port, '--strictPort'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
