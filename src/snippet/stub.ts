/**
 * The snippet a store pastes into its `<head>` (docs/snippet.md): it defines `localrec(method,
 * ...args)` at once and loads the script-tag SDK (localrec.iife.js) asynchronously. Until the SDK
 * has loaded, each call is queued with its own promise; the SDK then takes the queue over and
 * replays it in order (src/snippet/commands.ts) and answers later calls itself.
 *
 * If the SDK cannot be had (its URL fails: 404, blocked by the CSP or an extension; or it loads
 * but does not take the queue over within SDK_WAIT_MS), every queued and later call rejects with
 * an error named 'LocalrecError' whose code is 'sdk_unavailable'. The class itself is in the SDK
 * that did not load, so the error is a plain Error carrying that name and code.
 *
 * Every promise handed out has a handler attached here, so a call whose promise the page ignores
 * never becomes an unhandled rejection in the store's page; a caller that awaits it still sees
 * the rejection.
 *
 * This is built (scripts/build-snippet.mjs) into the minified form that is pasted; it must stay
 * well under 1 KB gzip, so it uses nothing but the DOM and Promise.
 */

/** How long the snippet waits for the SDK to take over its queue before failing every call. */
export const SDK_WAIT_MS = 10_000;

/** A call waiting for the SDK: the method, its arguments and its promise's settle functions. */
export type QueuedCall = [method: string, args: unknown[], resolve: (value: unknown) => void, reject: (reason: unknown) => void];

/**
 * `window.localrec` as the snippet defines it. The SDK recognises it by its array `q`, replays
 * that and replaces `q` with its own dispatcher, so calls made through a reference the page kept
 * to this function still reach the SDK.
 */
export interface SnippetStub {
  (method: string, ...args: unknown[]): Promise<unknown>;
  /** The calls waiting for the SDK (an array), or, once the SDK took over, its dispatcher. */
  q: QueuedCall[] | { push(call: QueuedCall): unknown };
  /** Set once the SDK is known to be unavailable: every call rejects with it. */
  e?: Error;
  /** The snippet's own script element, whose data attributes configure localrec. */
  s: HTMLOrSVGScriptElement | null;
}

const ignore = () => undefined;

/**
 * Defines `w.localrec` (unless something already did: a second snippet, or the SDK itself) and
 * starts loading the SDK from the snippet's `data-src`, else from `defaultSrc`.
 */
export function installStub(w: Window, d: Document, defaultSrc: string): void {
  const global = w as unknown as { localrec?: unknown };
  if (global.localrec) return;
  const script = d.currentScript;

  const stub = function (method: string, ...args: unknown[]) {
    let settle!: [QueuedCall[2], QueuedCall[3]];
    const promise = new Promise((resolve, reject) => (settle = [resolve, reject]));
    // Handled here: a fire-and-forget call that fails must not surface in the store's page.
    promise.catch(ignore);
    if (stub.e) settle[1](stub.e);
    else stub.q.push([method, args, ...settle]);
    return promise;
  } as SnippetStub;
  stub.q = [];
  stub.s = script;
  global.localrec = stub;

  const src = script?.dataset.src || defaultSrc;
  // Called when the script element loads or fails and when the wait is over: it fails the calls
  // unless the SDK has taken the queue over by then (it does so while its script runs, before
  // the element's load event).
  const fail = () => {
    const queued = stub.q;
    if (!Array.isArray(queued)) return;
    const error = new Error(`localrec: the SDK at ${src} did not load or start (not found, blocked by the Content-Security-Policy or an extension); this call was not run.`);
    stub.e = Object.assign(error, { name: 'LocalrecError', code: 'sdk_unavailable' });
    stub.q = [];
    for (const call of queued) call[3](error);
  };

  const sdk = d.createElement('script');
  sdk.async = true;
  sdk.src = src;
  // A page whose CSP allows scripts by nonce gave the snippet one; the SDK's tag carries it on.
  if (script?.nonce) sdk.nonce = script.nonce;
  sdk.onload = sdk.onerror = fail;
  setTimeout(fail, SDK_WAIT_MS);
  d.head.appendChild(sdk);
}
