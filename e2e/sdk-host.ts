import type { BrowserContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A store of our own for specs that drive the SDK directly: https (WebCrypto seals storage only in secure contexts). */
export const SDK_HOST = 'https://shop.localrec.test';

const TYPES: Record<string, string> = { js: 'text/javascript', wasm: 'application/wasm', json: 'application/json', html: 'text/html' };

/**
 * Serves, by route interception, a blank page that loads the script-tag build (dist/lib under
 * /sdk/) and the demo's data files at the root, the way a store would host them. `override` may
 * answer a path first (a 404 worker, a broken catalog).
 */
export async function serveSdk(context: BrowserContext, override?: (path: string) => { status?: number; body: string | Buffer; contentType?: string } | undefined): Promise<void> {
  await context.route(`${SDK_HOST}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    const custom = override?.(path);
    if (custom) return route.fulfill(custom);
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>shop</title><script src="/sdk/localrec.iife.js"></script>' });
    const file = path.startsWith('/sdk/') ? join('dist/lib', path.slice(5)) : join('demo/data', path.slice(1));
    try {
      return route.fulfill({ body: readFileSync(file), contentType: TYPES[file.split('.').pop()!] ?? 'application/octet-stream' });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
}
