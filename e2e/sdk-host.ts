import type { BrowserContext, Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A store of our own for specs that drive the SDK directly: https (WebCrypto seals storage only in secure contexts). */
export const SDK_HOST = 'https://shop.localrec.test';

const TYPES: Record<string, string> = { js: 'text/javascript', wasm: 'application/wasm', json: 'application/json', html: 'text/html' };

/** A response a route answers with (`headers`, for example, to send a Content-Security-Policy or CORS headers). */
export interface Served { status?: number; body: string | Buffer; contentType?: string; headers?: Record<string, string> }

/** A file of the build or the demo's data, with its content type; undefined when there is no such file. */
export function fileResponse(file: string): Served | undefined {
  try {
    return { body: readFileSync(file), contentType: TYPES[file.split('.').pop()!] ?? 'application/octet-stream' };
  } catch {
    return undefined;
  }
}

/**
 * Serves, by route interception, a blank page that loads the script-tag build (dist/lib under
 * /sdk/) and the demo's data files at the root, the way a store would host them. `override` may
 * answer a path first (a 404 worker, a broken catalog).
 */
export async function serveSdk(context: BrowserContext, override?: (path: string) => Served | undefined): Promise<void> {
  await context.route(`${SDK_HOST}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const custom = override?.(path);
    if (custom) return route.fulfill(custom);
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>shop</title><script src="/sdk/localrec.iife.js"></script>' });
    const file = path.startsWith('/sdk/') ? join('dist/lib', path.slice(5)) : join('demo/data', path.slice(1));
    return route.fulfill(fileResponse(file) ?? { status: 404, body: 'not found' });
  });
}

/** The snippet as scripts/build-snippet.mjs writes it: the text a store pastes between <script> and </script>. */
export function builtSnippet(): string {
  return readFileSync('dist/lib/snippet.min.js', 'utf8');
}

/** An inline script and the CSP source that allows exactly it (`'sha256-…'`). */
export function inlineScript(code: string, attributes = ''): { html: string; hash: string } {
  return { html: `<script${attributes ? ` ${attributes}` : ''}>${code}</script>`, hash: `'sha256-${createHash('sha256').update(code).digest('base64')}'` };
}

/**
 * Records what a page would see go wrong: uncaught errors and unhandled promise rejections
 * (listened for in the page from its first script on) and Playwright's page errors. Call before
 * `goto`; the returned function reads what was recorded.
 */
export async function watchPageFailures(page: Page): Promise<() => Promise<string[]>> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { __failures: string[] }).__failures = []);
    addEventListener('unhandledrejection', (e) => seen.push(`unhandledrejection: ${String((e.reason as Error | undefined)?.message ?? e.reason)}`));
    addEventListener('error', (e) => seen.push(`error: ${e.message}`));
  });
  return async () => [...errors, ...(await page.evaluate(() => (window as unknown as { __failures: string[] }).__failures))];
}
