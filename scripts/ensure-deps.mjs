#!/usr/bin/env node
/**
 * Installs what `npm start` / `npm test` need on a fresh clone, and nothing when it is there:
 * npm packages with `npm ci` (when node_modules is missing or older than package-lock.json), and
 * with --browser Debian's Chromium for the end-to-end tests (when /usr/bin/chromium is missing).
 * Plain Node only: it runs before any dependency exists.
 */
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });

const lock = 'package-lock.json';
const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log('localrec: installing npm packages (npm ci)…');
  run('npm ci --no-audit --no-fund');
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (process.argv.includes('--browser') && !existsSync(chromium)) {
  if (process.getuid?.() === 0) {
    console.log("localrec: installing Debian's chromium for the end-to-end tests…");
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
  } else {
    console.error(
      `localrec: the end-to-end tests need Chromium at ${chromium}.\n` +
        'Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary, then run `npm test` again.',
    );
    process.exit(1);
  }
}
