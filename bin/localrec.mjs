#!/usr/bin/env node
/**
 * The `localrec` command of the installed package (`npx localrec --help`). The tools themselves
 * are compiled into dist/cli by `npm run build`; this file only starts them, and says so plainly
 * when a checkout has not been built yet.
 */
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/localrec.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('localrec: dist/cli/localrec.js is missing; in a checkout of localrec, run `npm run build` first.');
  process.exit(1);
}
await import(cli.href);
