import { transferHandlers, proxy, type Remote } from 'comlink';
import { LocalrecError } from '../core/errors';
import type { Sources } from './sources';
import { supervise } from './supervisor';
import {
  installErrorTransfer, type Consent, type Diagnostics, type EngineApi, type ExportedData, type EngineEvent, type EngineOptions, type Prediction,
  type CatalogChange, type ProfileChange, type ProfileSnapshot, type Progress, type ReadyInfo, type RecommendRequest, type RecommendResult, type RelatedOptions, type RerankOptions, type StageChange,
  type TrackEvent, type TrackResult,
} from '../protocol';

export type { Consent, Diagnostics, ExportedData, Sources, StageChange };

export interface LocalrecOptions extends EngineOptions {
  /** Called with catalog download progress (plain data, for a progress bar). */
  onProgress?: (p: Progress) => void;
  /** Start the worker yourself (for example from a URL your bundler emits). Default: the bundled worker. */
  createWorker?: () => Worker;
  /**
   * Learn from the tracking the store already sends, instead of calling track(): the GTM/gtag
   * `dataLayer` (what was pushed before localrec loaded, then every push, whether GTM loads
   * before or after localrec), Segment's `analytics` and Shopify Web Pixels. Payloads are read
   * in the worker with the rules of src/adapters and learned as track() learns (an order id seen
   * before is not counted twice); `diagnostics().sources` counts what each source sent, skipped
   * and malformed payloads included. Nothing here ever throws into the store's own tracking.
   * See docs/sources.md and, for Shopify, docs/shopify-pixel.md.
   *
   * @example
   * createLocalrec({ catalog: '/catalog.json', sources: { dataLayer: (window.dataLayer = window.dataLayer || []), segment: window.analytics } })
   */
  sources?: Sources;
}

/**
 * The object `createLocalrec()` returns. Every method returns a promise and never blocks the page.
 * When the engine worker cannot start, or keeps dying, calls reject with `worker_failed` (within
 * about 10 s, never a hang); when it dies once it is restarted and tracked events are sent again.
 */
export interface Localrec {
  /** Resolves when the catalog is loaded, the profile read and the backend chosen; rejects with `worker_failed` when the worker cannot start. */
  ready(): Promise<ReadyInfo>;
  /**
   * Records a behaviour event. `time` defaults to now. Rejects with `invalid_event` naming the bad field; nothing is stored then.
   * Resolves once the event is learned and written; if the worker dies first, the event is sent to its replacement (never counted twice).
   */
  track(event: TrackEvent): Promise<TrackResult>;
  /**
   * Ranks the catalog (or `candidates`) for this shopper, with reasons: a home or category strip
   * (`context.category` narrows and seeds). `rules` apply with the store-wide ones; `placement` is
   * given back on the result.
   */
  recommend(request?: Partial<RecommendRequest>): Promise<RecommendResult>;
  /**
   * A product page's strip: items like `itemId` and items the store's bundle says are looked at or
   * bought with it, personalised by the profile; never `itemId` itself. `k` defaults to 10.
   *
   * @example
   * const { items } = await rec.related('85123A', { k: 6, placement: 'pdp-similar' });
   */
  related(itemId: string, options?: RelatedOptions): Promise<RecommendResult>;
  /**
   * Reorders a list the store rendered (search results, a category page; up to 1,000 ids) with
   * the store's order as the prior: `strength` 0 keeps it, 1 is fully personal (default 0.5).
   * Always a permutation of `ids`; ids not in the catalog keep their places. More than 1,000 ids
   * reject with `invalid_argument`.
   *
   * @example
   * const { items } = await rec.rerank(searchResultIds, { strength: 0.3, placement: 'search' });
   */
  rerank(ids: string[], options?: RerankOptions): Promise<RecommendResult>;
  /** A readable snapshot of what the SDK believes about this shopper. */
  profile(): Promise<ProfileSnapshot>;
  /**
   * Lifecycle figures for this shopper, each with its reason: P(alive), expected purchases and
   * value, P(purchase in this session), stage. Needs `lifecycle` and `purchaseModel` options.
   */
  predict(): Promise<Prediction>;
  /** Calls `listener` whenever the lifecycle stage changes; returns a function that unsubscribes. */
  onStageChange(listener: (change: StageChange) => void): () => void;
  /**
   * Calls `listener` whenever what the ranking knows about the shopper changes: events learned in
   * this tab (tracked or read from a source), a write by another tab of the store, a removed
   * interest, `forget()`. Returns a function that unsubscribes. Changes come one per written
   * batch; a strip that re-ranks on each should debounce.
   *
   * @example
   * const stop = rec.onProfileChange(() => void refreshStrip());
   */
  onProfileChange(listener: (change: ProfileChange) => void): () => void;
  /**
   * Calls `listener` when a newer catalog replaced the one ready() started from: a start answers
   * from the catalog cached on the device while the server is asked about it (docs/integration.md
   * §7). Results shown from the old one may be re-ranked. Returns a function that unsubscribes.
   */
  onCatalogChange(listener: (change: CatalogChange) => void): () => void;
  /** Removes an interest listed in `profile()` ("category:Home > Candles", "brand:Regency"); ranking then respects it. */
  removeInterest(interest: string): Promise<ProfileSnapshot>;
  /** Wipes everything stored on this device: events, profile, caches, the database and its key. */
  forget(): Promise<void>;
  /**
   * The shopper's consent, effective at once: 'granted' stores, 'pending' learns in memory only
   * (kept once granted), 'denied' deletes what was stored and learns nothing.
   */
  setConsent(consent: Consent): Promise<Diagnostics>;
  /** Everything stored about the shopper on this device, as readable JSON. */
  exportData(): Promise<ExportedData>;
  /** Where data is kept and why, consent, catalog state, write timings. */
  diagnostics(): Promise<Diagnostics>;
  /** Stops the worker. Later calls reject with `destroyed`. */
  destroy(): Promise<void>;
}

/**
 * Ids for tracked events, so a replay after a worker restart is recognised: a random prefix per
 * page and a counter. Ids need only be unique among the events one device remembers, and a
 * randomUUID per call cost more than the rest of track() on the main thread.
 */
let prefix: number | undefined;
let sequence = 0;
const newEventId = (): string => `${(prefix ??= Math.random())}-${++sequence}`;

/**
 * The event as it is now, as a value the worker can receive; throws on one it could not. A flat
 * plain object (every event type but purchase and impression) is copied field by field, several
 * times cheaper than structuredClone; anything else is left to structuredClone, which throws on
 * what postMessage could not send (a function, a symbol) as a getter or a proxy trap that throws does.
 */
function copyEvent(event: unknown): unknown {
  if ((event as object | null | undefined)?.constructor == Object) {
    const copy: Record<string, unknown> = {};
    // Own fields only: a field a script added to Object.prototype is not the event's.
    for (const [key, value] of Object.entries(event as object)) {
      // An object or function field (Object(x) is x itself only for those), or a symbol.
      if (value === Object(value) || typeof value == 'symbol') return structuredClone(event);
      copy[key] = value;
    }
    return copy;
  }
  return structuredClone(event);
}

/**
 * Asks the engine to write its pending batch when the page may be about to go (hidden, closed,
 * put in the back-forward cache): after that, the browser may stop the worker without notice.
 * Returns the function that removes the listeners.
 */
function flushWhenLeaving(flush: () => void): () => void {
  if (typeof document === 'undefined') return () => undefined;
  const onHide = () => document.visibilityState === 'hidden' && flush();
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', onHide);
  return () => {
    removeEventListener('pagehide', flush);
    document.removeEventListener('visibilitychange', onHide);
  };
}

/** Loads the live wiring of `sources` (./sources.ts), a file of its own so pages without sources never download it. */
export type SourcesLoader = () => Promise<typeof import('./sources')>;

/**
 * Starts the engine in a Web Worker and returns the tiny page-side facade. Calls made before the
 * worker is ready are queued in order by the worker itself (each keeps its own promise). The
 * worker is supervised (./supervisor.ts): a worker that cannot start rejects every call with
 * `worker_failed`; one that dies later is restarted and sent again the tracks it had not answered.
 */

export function createLocalrecWith(defaultWorker: () => Worker, options: LocalrecOptions, loadSources?: SourcesLoader): Localrec {
  installErrorTransfer(transferHandlers);
  const { onProgress, createWorker, sources, ...engineOptions } = options;
  // Stage and profile listeners, each called with the engine's event of its type.
  const listeners = new Set<(e: EngineEvent) => void>();
  const notify = proxy((e: EngineEvent) => (e.type === 'progress' ? onProgress?.(e.progress) : listeners.forEach((listener) => listener(e))));
  const listen = (type: EngineEvent['type']) => (listener: (e: never) => void) => {
    const filtered = (e: EngineEvent) => e.type === type && listener(e as never);
    listeners.add(filtered);
    return () => listeners.delete(filtered);
  };
  const engine = supervise(createWorker ?? defaultWorker, (e) => e.init(engineOptions, notify));
  const stopFlushing = flushWhenLeaving(engine.flush);
  let destroyed = false;
  const alive = () => {
    if (destroyed) throw new LocalrecError('destroyed', 'This localrec was destroyed: create another.');
  };
  const call = async <T>(send: (e: Remote<EngineApi>) => Promise<T>): Promise<T> => (alive(), engine.call(send));
  // Live sources. Entries pushed while the wiring loads are read when it starts (it reads what is
  // there first); Segment keeps no history, so it is listened to now and what it says meanwhile
  // waits here. Payloads are sent as tracks, so each gets the same id and replay-after-restart as
  // track(); their results are not the page's business.
  const early: [unknown, unknown][] = [];
  let onSegment: (event: unknown, properties: unknown) => void = (event, properties) => early.push([event, properties]);
  try {
    sources?.segment?.on('track', (event, properties) => onSegment(event, properties));
  } catch {
    // An `on` that is not a function: not Segment's.
  }
  const stopSources = sources && loadSources?.().then(
    ({ listenToSources }) => destroyed ? undefined : listenToSources({
      ...sources,
      segment: sources.segment && { on: (_, listener) => (onSegment = listener, early.forEach(([e, p]) => listener(e, p))) },
    }, (source, event) => {
      engine.track({ event, meta: { eventId: newEventId(), source } }).catch(() => undefined);
    }),
    () => undefined,
  );

  const facade: Omit<Localrec, (typeof FORWARDED)[number]> = {
    async ready() {
      alive();
      return engine.ready;
    },
    async track(event) {
      alive();
      // Copied here, so a value the worker could not receive (a function, a proxy, a getter that
      // throws) is the page's typed error, not a DataCloneError from postMessage.
      let copy: unknown;
      try {
        copy = copyEvent(event);
      } catch (e) {
        throw new LocalrecError('invalid_event', `The event could not be copied (${String(e)}); not stored.`, 'event');
      }
      // The page knows when the event happened; stamp it here, not after the hop to the worker.
      if (copy instanceof Object && (copy as { time?: unknown }).time === undefined) (copy as { time: number }).time = Date.now();
      return engine.track({ event: copy, meta: { eventId: newEventId() } });
    },
    onStageChange: listen('stage'),
    onProfileChange: listen('profile'),
    onCatalogChange: listen('catalog'),
    async setConsent(consent) {
      const out = await call((e) => e.setConsent(consent));
      // A restarted worker starts with the shopper's latest choice.
      engineOptions.consent = consent;
      return out;
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      listeners.clear();
      stopFlushing();
      void stopSources?.then((stop) => stop?.());
      await engine.close();
    },
  };
  // The engine's own methods are forwarded as they are (one forwarder: the script tag's 4 KB budget).
  for (const name of FORWARDED) {
    (facade as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => call((e) => (e[name] as (...a: unknown[]) => Promise<unknown>)(...args));
  }
  return facade as Localrec;
}

/** The facade methods that only forward to the engine, their arguments unchanged (the worker validates and defaults them). */
const FORWARDED = ['recommend', 'related', 'rerank', 'profile', 'predict', 'removeInterest', 'forget', 'exportData', 'diagnostics'] as const satisfies readonly (keyof Localrec & keyof EngineApi)[];
