/**
 * The script-tag build: `<script src=".../localrec.iife.js"></script>` (or the snippet of
 * docs/snippet.md, which loads it) defines `window.localrec`, the command function of
 * ./snippet/commands.ts (`localrec('init', options)`, `localrec('track', event)`, …) that also
 * carries `createLocalrec` and `LocalrecError`. It takes over the snippet's queue if there is one.
 *
 * A classic script has no `import.meta.url`, so the worker is found beside this script's own URL
 * (the lib build names it localrec-worker.js). A page may not start a worker from another
 * origin, so when this script comes from a CDN the worker is started through a same-origin
 * `blob:` module that imports it; the worker's own `import.meta.url` is then still the CDN's, so
 * its wasm files load from there. That needs CORS on the CDN and `worker-src blob: <cdn>` in a
 * CSP; without them calls reject with `worker_failed`, saying so.
 */
import { createLocalrecWith, type Localrec, type LocalrecOptions } from './client/localrec';
import { LocalrecError } from './core/errors';
import type { LocalrecCommand } from './snippet/commands';
import type { QueuedCall, SnippetStub } from './snippet/stub';

/** `window.localrec` in the script-tag build: the command function, carrying the module's exports. */
export type LocalrecGlobal = LocalrecCommand & { createLocalrec: typeof createLocalrec; LocalrecError: typeof LocalrecError };

const own = document.currentScript as HTMLScriptElement | null;
const workerUrl = new URL('localrec-worker.js', own?.src || location.href);

function startWorker(): Worker {
  const options: WorkerOptions = { type: 'module', name: 'localrec-engine' };
  if (workerUrl.origin === location.origin) return new Worker(workerUrl, options);
  // A parsed URL's origin and path hold no quote, backslash or line break (the parser encodes or
  // rewrites them) and this one has no query, so its href is a safe string literal as it is.
  // If it cannot load, the supervisor's worker_failed says what to change (CORS, worker-src blob:).
  return new Worker(URL.createObjectURL(new Blob([`import "${workerUrl.href}";`], { type: 'text/javascript' })), options);
}

/**
 * Starts localrec for this page (script-tag build).
 *
 * @example
 * const rec = localrec.createLocalrec({ catalog: '/catalog.json' });
 */
export function createLocalrec(options: LocalrecOptions): Localrec {
  // The lib build emits the wiring as localrec-sources.js beside this script (an ES module, which a classic script may import()).
  return createLocalrecWith(startWorker, { ...options, base: document.baseURI }, () => import(/* @vite-ignore */ new URL('localrec-sources.js', workerUrl).href));
}

export { LocalrecError };

const exported = { createLocalrec, LocalrecError };
const previous = (window as { localrec?: unknown }).localrec;
const stub = Array.isArray((previous as SnippetStub | undefined)?.q) ? (previous as SnippetStub) : undefined;
// The snippet's queue is taken over now (so the snippet does not fail it when this script's load
// event fires); its calls, and those made meanwhile, wait here for the command module.
const waiting: QueuedCall[] = stub ? (stub.q as QueuedCall[]) : [];
if (stub) stub.q = { push: (call: QueuedCall) => waiting.push(call) };
// The IIFE around this module then sets `window.localrec` to its exports: the stub (carrying them)
// stays until the command function of ./snippet/commands.ts, a file of its own beside this one
// (the script-tag SDK has a 4 KB gzip budget), replaces it.
queueMicrotask(() => ((window as { localrec?: unknown }).localrec = stub ? Object.assign(stub, exported) : exported));
import(/* @vite-ignore */ new URL('localrec-commands.js', workerUrl).href).then(
  (m: typeof import('./snippet/commands')) => {
    (window as { localrec?: unknown }).localrec = Object.assign(m.startCommands(createLocalrec, previous, own, LocalrecError, stub && waiting), exported);
  },
  (e: unknown) => {
    // A module from another origin needs CORS: on a CDN without it, this is where that shows first.
    const fail = (call: QueuedCall) => call[3](new LocalrecError('sdk_unavailable', `localrec-commands.js did not load (${e}): serve it from this page's origin, or a CDN with Access-Control-Allow-Origin`));
    waiting.forEach(fail);
    if (stub) stub.q = { push: fail };
  },
);
