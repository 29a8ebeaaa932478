/**
 * The fixture app's host: a tiny static file server for its built `dist/`, which sends the
 * storefront's Content-Security-Policy as an HTTP header on every response (the page, the worker
 * script and the wasm alike, as a real host does), and collects the violation reports the
 * browser posts to /csp-report, from the page and from the worker.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

/**
 * The minimal policy localrec runs under with every backend: everything from the page's own
 * origin (the page, the worker script, the catalog and the wasm files it fetches), plus
 * 'wasm-unsafe-eval' so the worker may compile wasm. No 'unsafe-eval', no data:, no blob:.
 * worker-src falls back to script-src and connect-src to default-src; a store whose default-src
 * is not 'self' needs `worker-src 'self'` and `connect-src 'self'` (plus the catalog's origin).
 * Without 'wasm-unsafe-eval', localrec still works, on webgl or cpu.
 */
export const MINIMAL_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

export interface FixtureServer {
  url: string;
  /** Violation reports received so far (the `csp-report` bodies). */
  violations: unknown[];
  /** The paths requested so far, in order (the worker's and its wasm included). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `root` on 127.0.0.1 (a free port) under `csp`, with `report-uri /csp-report` added. */
export async function serveFixture(root: string, csp: string = MINIMAL_CSP): Promise<FixtureServer> {
  const base = resolve(root);
  const violations: unknown[] = [];
  const requests: string[] = [];
  const header = `${csp}; report-uri /csp-report`;

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    requests.push(path);
    if (req.method === 'POST' && path === '/csp-report') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      violations.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(204).end();
      return;
    }
    const file = resolve(join(base, normalize(decodeURIComponent(path === '/' ? '/index.html' : path))));
    if (!file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': header }).end(body);
    } catch {
      res.writeHead(404, { 'content-security-policy': header }).end('not found');
    }
  };

  const server = createServer((req, res) => {
    answer(req, res).catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    violations,
    requests,
    close: () => new Promise<void>((done, fail) => server.close((e) => (e ? fail(e) : done()))),
  };
}
