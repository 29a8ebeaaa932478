/**
 * The script-tag SDK's `localrec(method, ...args)`: `localrec('init', options)` starts localrec,
 * then `localrec('track', event)`, `localrec('recommend', request)` and every other method of
 * Localrec by name return that method's promise. When the snippet's stub (./stub.ts) is there,
 * its queued calls are replayed in order and later calls through it come here.
 *
 * Options come from the `init` call, over the data attributes of the snippet's script tag (or of
 * the SDK's own tag when there is no snippet): data-catalog, data-bundle, data-lifecycle,
 * data-purchase-model, data-db-name, data-consent, data-backend. With data-catalog, localrec
 * starts as soon as the SDK runs, before the queue is replayed.
 *
 * Calls are taken strictly in order, so what happens never depends on when the SDK arrived: a
 * call made while localrec is not started (before `init`, after `destroy`) rejects at once with
 * `not_ready`; a second `init`, or a method Localrec does not have, with `invalid_argument`.
 * Like the stub's, every promise returned has a handler attached, so an ignored failure is not an
 * unhandled rejection in the store's page.
 *
 * When the page has a `<localrec-recommendations>` tag (once the document is parsed), `init`
 * loads the element (localrec-element.js, beside this file) and defines it with the instance it
 * started: the script-tag SDK itself has no room for it.
 */
import type { Localrec, LocalrecOptions } from '../client/localrec';
import type { LocalrecError } from '../core/errors';
import type { ReadyInfo } from '../protocol';
import type { QueuedCall, SnippetStub } from './stub';

/**
 * The command function: `localrec('init', options)` resolves like ready(); `localrec('track',
 * event)` and every other method of Localrec by name take that method's arguments and resolve
 * with what it resolves with.
 */
export interface LocalrecCommand {
  (method: 'init', options?: Partial<LocalrecOptions>): Promise<ReadyInfo>;
  <M extends keyof Localrec>(method: M, ...args: Parameters<Localrec[M]>): Promise<Awaited<ReturnType<Localrec[M]>>>;
}

const ignore = () => undefined;

/** The tag of src/client/element.ts (not imported: this file must not carry the element). */
const ELEMENT_TAG = 'localrec-recommendations';

/** Loads and defines `<localrec-recommendations>` for `rec` if the page uses it, now or once the document is parsed. */
function defineElementIfUsed(rec: Localrec): void {
  if (typeof document === 'undefined') return;
  const load = () => {
    if (!document.querySelector(ELEMENT_TAG)) return false;
    import(/* @vite-ignore */ new URL(/* @vite-ignore */ 'localrec-element.js', import.meta.url).href).then(
      (m: typeof import('../client/element')) => m.defineRecommendationsElement(rec),
      // Without the file the tags keep their fallback content, as on a page without localrec.
      ignore,
    );
    return true;
  };
  if (!load() && document.readyState === 'loading') document.addEventListener('DOMContentLoaded', load, { once: true });
}

/**
 * Builds the command function around `create` (createLocalrec). `previous` is what
 * `window.localrec` held when the SDK ran: the snippet's stub, whose queue is taken over, or
 * anything else, which is ignored. `ownScript` is the SDK's own script element, read for data
 * attributes when there is no stub. This module is loaded by the script-tag SDK as a file of its
 * own (localrec-commands.js, keeping the SDK in its size budget), so the error class comes in as
 * `Err` rather than by import, and `queued` holds the calls the SDK kept while it loaded (the
 * stub's own queue when not given).
 */
export function startCommands(
  create: (options: LocalrecOptions) => Localrec, previous: unknown, ownScript: HTMLOrSVGScriptElement | null,
  Err: typeof LocalrecError, queued?: QueuedCall[],
): LocalrecCommand {
  const candidate = previous as SnippetStub | undefined;
  const stub = queued || Array.isArray(candidate?.q) ? candidate : undefined;
  // `data-db-name` arrives as `dbName`; `data-src` is the snippet's own.
  const data: Record<string, unknown> = { ...(stub ? stub.s : ownScript)?.dataset };
  delete data.src;
  let rec: Localrec | undefined;

  const run = ([method, args, resolve, reject]: QueuedCall): void => {
    try {
      if (method === 'init' && !rec) {
        rec = create({ ...data, ...(args[0] as object) } as unknown as LocalrecOptions);
        defineElementIfUsed(rec);
        resolve(rec.ready());
      } else if (rec && Object.hasOwn(rec, method)) {
        resolve((rec[method as keyof Localrec] as (...a: unknown[]) => unknown)(...args));
        if (method === 'destroy') rec = undefined;
      } else {
        throw new Err(rec ? 'invalid_argument' : 'not_ready', `localrec('${method}'): ${rec ? 'no such method, or already started' : 'call init first'}`);
      }
    } catch (e) {
      reject(e);
    }
  };

  const command = (method: string, ...args: unknown[]) => {
    const promise = new Promise((resolve, reject) => run([method, args, resolve, reject]));
    promise.catch(ignore);
    return promise;
  };

  if (data.catalog) void command('init');
  if (stub) {
    const waiting = queued ?? (stub.q as QueuedCall[]);
    stub.q = { push: run };
    delete stub.e;
    waiting.forEach(run);
  }
  return command as LocalrecCommand;
}
