import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawnSync, type ExecFileSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveFixture, type FixtureServer } from './fixture-app/server';

/**
 * The package as an integrator gets it: `npm pack` of the built repository (run `npm run build`
 * first, as `npm test` does), installed from the tarball into e2e/fixture-app, built by that
 * app's own Vite, and served under a strict CSP sent as an HTTP header (fixture-app/server.ts).
 * Also checks the installed package from Node: its file list and dependencies, `localrec/adapters`,
 * `npx localrec`, and its type declarations. npm's cache for these installs lives in the OS temp
 * directory, removed afterwards.
 */
const repo = fileURLToPath(new URL('..', import.meta.url));
const app = join(repo, 'e2e/fixture-app');
const installed = join(app, 'node_modules/localrec');

let temp: string;
let server: FixtureServer;
let exec: ExecFileSyncOptions;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  if (!existsSync(join(repo, 'dist/cli/localrec.js')) || !existsSync(join(repo, 'dist/lib/localrec.js'))) {
    throw new Error('dist/ is incomplete: run `npm run build` before this spec');
  }
  temp = mkdtempSync(join(tmpdir(), 'localrec-fixture-'));
  exec = { cwd: app, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, npm_config_cache: join(temp, 'npm-cache'), npm_config_update_notifier: 'false' } };
  const timed = <T>(what: string, run: () => T): T => {
    const t0 = Date.now();
    const out = run();
    console.log(`fixture app: ${what} in ${Date.now() - t0} ms`);
    return out;
  };

  const [packed] = JSON.parse(timed('npm pack', () => execFileSync('npm', ['pack', '--json', '--pack-destination', temp], { ...exec, cwd: repo }) as string)) as { filename: string; size: number; unpackedSize: number }[];
  console.log(`fixture app: ${packed!.filename} ${packed!.size} B packed, ${packed!.unpackedSize} B unpacked`);
  rmSync(join(app, 'node_modules'), { recursive: true, force: true });
  rmSync(join(app, 'dist'), { recursive: true, force: true });
  timed('npm install of the tarball', () => execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', join(temp, packed!.filename)], exec));
  timed('vite build', () => execFileSync(process.execPath, [join(repo, 'node_modules/vite/bin/vite.js'), 'build'], exec));
  server = await serveFixture(join(app, 'dist'));
});

test.afterAll(async () => {
  await server?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

test('the installed package holds the built files only, and needs no other package', () => {
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  expect(pkg.dependencies ?? {}).toEqual({});
  const files = readdirSync(installed, { recursive: true, encoding: 'utf8' });
  expect(files.filter((f) => /\.(ts|mts|tsx)$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  expect(files.filter((f) => /^(src|tools|workers|demo|e2e)\b/.test(f))).toEqual([]);
  // The worker loads its wasm as files beside it, never from a data: URL a CSP's connect-src would block.
  expect(readFileSync(join(installed, 'dist/lib/localrec-worker.js'), 'utf8')).not.toContain('data:application/wasm');
});

interface Outcome {
  items: number;
  backend: { name: string; measured: { name: string; ms: number | null; error?: string }[] };
  tracked: unknown[];
  recommended: string[];
}

/**
 * Opens the fixture app from `host` and waits for its outcome (#result). Violations are collected
 * both ways: on the page (`securitypolicyviolation`) and, for the worker's, which the page never
 * sees, by the browser's reports to the server. Console errors of the page and the worker too.
 */
async function openApp(page: Page, host: FixtureServer): Promise<{ outcome: Outcome; pageViolations: string[]; errors: string[] }> {
  const errors: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && errors.push(`page: ${m.text()} (${m.location().url})`)));
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => void (m.type() === 'error' && errors.push(`worker: ${m.text()} (${m.location().url})`))));
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { cspViolations: string[] }).cspViolations = []);
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.goto(`${host.url}/`);
  const result = page.locator('#result');
  await expect(result).not.toHaveAttribute('data-state', 'loading', { timeout: 45_000 });
  expect(await result.getAttribute('data-state'), (await result.textContent()) ?? '').toBe('done');
  const outcome = JSON.parse((await result.textContent())!) as Outcome;
  const pageViolations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  return { outcome, pageViolations, errors };
}

const wasmOf = (outcome: Outcome) => outcome.backend.measured.find((m) => m.name === 'int8-wasm');

test('in a Vite app under the minimal CSP, it recommends with our wasm kernel and violates nothing', async ({ page }) => {
  const { outcome, pageViolations, errors } = await openApp(page, server);
  expect(outcome.items).toBe(50);
  expect(outcome.tracked).toEqual([{ type: 'view', itemId: '85123A' }]);
  expect(outcome.recommended).toHaveLength(5);
  await expect(page.locator('#recs li')).toHaveCount(5);
  // <localrec-recommendations> from `localrec/element`, bundled by the app: drawn, styled without inline CSS.
  await expect(page.getByRole('list', { name: 'Picked for you' }).getByRole('listitem')).toHaveCount(3);
  expect(outcome.backend.name).toBe('int8-wasm');
  expect(wasmOf(outcome), JSON.stringify(outcome.backend)).toEqual({ name: 'int8-wasm', ms: expect.any(Number) });
  // The kernel is inside the worker: no .wasm file to serve (tfjs's start only when forced or on a GPU).
  expect(server.requests.filter((path) => path.endsWith('.wasm'))).toEqual([]);
  expect(pageViolations).toEqual([]);
  expect(server.violations).toEqual([]);
  expect(errors).toEqual([]);
});

test("without 'wasm-unsafe-eval' it still recommends, without wasm, and the worker's violation is reported", async ({ page }) => {
  const strict = await serveFixture(join(app, 'dist'), "default-src 'self'; script-src 'self'");
  try {
    const { outcome } = await openApp(page, strict);
    expect(outcome.recommended).toHaveLength(5);
    // Our kernel's JS loop ranks, and the report says why WebAssembly did not.
    expect(outcome.backend.name).toBe('int8-js');
    expect(wasmOf(outcome)).toEqual({ name: 'int8-wasm', ms: null, error: expect.stringMatching(/WebAssembly|wasm|Compil/i) });
    // The report is what shows the first test's empty list means something.
    await expect.poll(() => JSON.stringify(strict.violations)).toContain('wasm-eval');
  } finally {
    await strict.close();
  }
});

test('from Node: localrec/adapters imports without a DOM, `npx localrec` answers, the types check', () => {
  const script = "const { readDataLayer } = await import('localrec/adapters'); console.log(JSON.stringify(readDataLayer([{ event: 'add_to_cart', ecommerce: { items: [{ item_id: 'A1', quantity: 2, price: 3 }] } }])));";
  const events = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], exec) as string) as { type: string }[];
  expect(events.map((e) => e.type)).toEqual(['add_to_cart']);

  const help = spawnSync('npx', ['--no', '--', 'localrec', '--help'], exec);
  expect(help.status, help.stderr as string).toBe(0);
  expect(help.stdout).toContain('build-bundle');
  const unknown = spawnSync('npx', ['--no', '--', 'localrec', 'no-such-command'], exec);
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain('unknown command "no-such-command"');

  // main.mts (npm entry, localrec/adapters) and global-check.mts (window.localrec) against the installed declarations.
  const tsc = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(app, 'tsconfig.json')], exec);
  expect(tsc.status, `${tsc.stdout as string}${tsc.stderr as string}`).toBe(0);
});
