/**
 * Live wiring of the tracking a store already has (`createLocalrec({ sources })`): the GTM/gtag
 * `dataLayer`, Segment's `analytics` and Shopify Web Pixels. This side only listens and copies:
 * each payload is copied to plain data and handed to `send`, and the worker reads it with the
 * adapters (src/adapters) and the same validation as track(). The readers stay off the page
 * because the facade is loaded on every page view and has a 4 KB gzip budget.
 *
 * Everything here runs inside the store's own tracking calls, so nothing may throw into them:
 * a push still reaches the original push (or GTM's) and returns its value.
 */
import type { SourceName } from '../protocol';

/** What `createLocalrec({ sources })` takes. Each source is optional; see docs/sources.md. */
export interface Sources {
  /**
   * The page's `window.dataLayer` (Google Tag Manager, gtag.js). Entries pushed before localrec
   * loaded are read first, then every later push, whichever of localrec and GTM loads first.
   * Create it if the page has none yet: `dataLayer: (window.dataLayer = window.dataLayer || [])`.
   */
  dataLayer?: unknown[];
  /**
   * Segment's `window.analytics` (analytics.js, or the snippet's queue before it loads): localrec
   * listens with `analytics.on('track', …)`.
   */
  segment?: { on(event: 'track', listener: (event: unknown, properties: unknown) => void): unknown } | undefined;
  /**
   * Shopify Web Pixels: `true` receives the standard events that the custom pixel of
   * docs/shopify-pixel.md posts from its sandbox to this page (`{ localrec: 'shopify', id, event }`
   * from an opaque-origin sandbox or this page's own origin; anything else is ignored).
   */
  shopify?: boolean;
}

/** The key of the Shopify custom pixel's messages: it posts `{ localrec: 'shopify', id, event }` and is answered `{ localrec: id }`. */
export const PIXEL_MESSAGE_KEY = 'localrec';

/**
 * How many objects and arrays one payload copy may hold. A Shopify checkout of 20 lines has about
 * 200 and a GA4 purchase of 50 items about 60; the bound is what keeps a cycle, or a big object
 * pushed by mistake, from costing the page more than a millisecond or two (and it bounds depth,
 * so the copy cannot run out of stack either).
 */
const MAX_OBJECTS = 1000;

/**
 * A copy of `value` that postMessage can carry, made the way JSON makes it: functions (GTM's
 * `eventCallback`) and symbols dropped, dates as strings. Each object is replaced by a shallow copy
 * before JSON walks into it, so JSON never meets the same object twice on its path and a cycle is
 * cut by MAX_OBJECTS instead of throwing; DOM nodes (GTM's `gtm.element`) are left out. An
 * `Arguments` object (gtag's push), which postMessage refuses, becomes `{ "0": …, "1": …, "2": … }`,
 * the form the dataLayer reader takes as a gtag call like an array. What JSON cannot write (a
 * getter or proxy that throws, a bigint) makes the copy undefined, which the worker counts as a
 * malformed payload. Never throws.
 */
export function plainCopy(value: unknown): unknown {
  let left = MAX_OBJECTS;
  const cut = (_key: string, v: unknown): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (--left < 0 || 'nodeType' in v) return undefined;
    // An array is cut to as many elements, so `new Array(1e9)` costs no more than a short one.
    return Array.isArray(v) ? v.slice(0, MAX_OBJECTS) : { ...v };
  };
  try {
    return JSON.parse(JSON.stringify(value, cut));
  } catch {
    return undefined;
  }
}

/** How often the dataLayer is checked for entries that arrived without a push through our wrapper. */
export const POLL_MS = 1000;

/**
 * Follows a dataLayer. Entries are read from the array itself, by index, after every push and
 * every POLL_MS, so an entry is read once however many wrappers its push went through.
 *
 * GTM (and gtag.js) replace `dataLayer.push` when they load, with a function that calls the push
 * they found. Our wrapper must outlive that in both load orders, so `push` becomes an accessor:
 * whatever is assigned to it later (GTM's function) is kept and wrapped in turn, and a GTM that
 * loaded first is wrapped at once. A replacement that bypasses the setter (`defineProperty`, a
 * frozen array) or an entry written without `push` is still read by the poll within POLL_MS;
 * polling alone would delay every event by up to that much, the accessor alone would miss those.
 *
 * The returned stop ends the poll but leaves the accessor in place: a GTM that loaded after us
 * holds our wrapper and calls it whatever `push` becomes, so it could not be taken out anyway.
 * Stopped, it passes every push through and reads nothing (listenToSources' `listening`).
 */
function followDataLayer(layer: unknown[], send: (payload: unknown) => void): () => void {
  let read = 0;
  const drain = () => {
    try {
      if (read > layer.length) read = layer.length;
      while (read < layer.length) send(layer[read++]);
    } catch {
      // Never into the page's push.
    }
  };
  const wrap = (push: (...items: unknown[]) => unknown) =>
    function (this: unknown, ...items: unknown[]): unknown {
      // What changed since the last push first: entries written without push are read in their
      // place, and a layer emptied since (`dataLayer.length = 0`) is then read from its new end.
      drain();
      try {
        return push.apply(this, items);
      } finally {
        drain();
      }
    };
  let current = wrap(layer.push);
  try {
    Object.defineProperty(layer, 'push', {
      configurable: true,
      get: () => current,
      set: (push: (...items: unknown[]) => unknown) => {
        current = wrap(push);
      },
    });
  } catch {
    // Frozen or non-extensible: the poll reads it.
  }
  const timer = setInterval(drain, POLL_MS);
  drain();
  return () => clearInterval(timer);
}

/**
 * Starts listening to `sources`; `send` gets each payload as plain data with its source's name:
 * a dataLayer entry; `[event, properties]` of a Segment track call; the Shopify pixel's whole
 * message `{ localrec: 'shopify', id, event }` (the worker reads its id, so an event the pixel
 * posted twice counts once). Returns the function that stops listening. Never throws; `send` must
 * not either (it runs inside the store's tracking calls).
 */
export function listenToSources(sources: Sources, send: (source: SourceName, payload: unknown) => void): () => void {
  // Segment has no way to unsubscribe, and GTM keeps calling the push it found: both outlive stop.
  let listening = true;
  const emit = (source: SourceName) => (payload: unknown) => listening && send(source, plainCopy(payload));
  const { dataLayer, segment, shopify } = sources;
  const fromSegment = emit('segment');
  const fromShopify = emit('shopify');
  // A custom pixel's sandbox has an opaque origin ("null"); a message from any other origin is not
  // from it. The answer `{ localrec: id }` tells the pixel to stop posting that event again: it
  // may have started before localrec, or on a checkout page where localrec does not run.
  const receive = ({ data, origin, source }: MessageEvent) => {
    if (data?.[PIXEL_MESSAGE_KEY] === 'shopify' && (origin === 'null' || origin === location.origin)) {
      fromShopify(data);
      (source as Window | null)?.postMessage({ [PIXEL_MESSAGE_KEY]: data.id }, '*');
    }
  };
  let stopLayer = () => {};
  const starts = [
    () => dataLayer && (stopLayer = followDataLayer(dataLayer, emit('dataLayer'))),
    () => segment?.on('track', (event, properties) => fromSegment([event, properties])),
    () => shopify && addEventListener('message', receive),
  ];
  for (const start of starts) {
    try {
      start();
    } catch {
      // A source object that throws when touched (an `on` that is not a function) is left alone.
    }
  }
  return () => {
    listening = false;
    stopLayer();
    if (shopify) removeEventListener('message', receive);
  };
}
