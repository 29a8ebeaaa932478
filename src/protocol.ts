/**
 * The one contract between the page and the engine worker: the API the worker exposes, the plain
 * data that crosses, and the transfer handler that keeps LocalrecError's `code` intact.
 */
import type { CatalogJson, ItemDetails } from './core/catalog';
import { LocalrecError, type LocalrecErrorCode } from './core/errors';
import type { TrackEvent } from './core/events';
import type { LifecycleStage, Prediction, StageThresholds } from './core/predict';
import type { AffinityView, ReadableProfile } from './core/profile/readable';
import type { StageChange } from './core/profile/update';
import type { Recommendation, RecommendRequest } from './core/ranking/rank';
import type { RerankOptions } from './core/ranking/rerank';
import type { AttributeMatch, ExcludeRule, FilterRule, PinRule, RuleError, RuleInput, RuleMatch, WeightRule } from './core/ranking/rules';

export type { TrackEvent, RecommendRequest, Recommendation, Prediction, LifecycleStage, StageChange, AffinityView, RerankOptions, RuleError, RuleInput, RuleMatch,
  FilterRule, ExcludeRule, WeightRule, PinRule, AttributeMatch, ItemDetails };

/** What `related(itemId, options)` takes: `recommend()`'s request without the context (the item is the context). */
export type RelatedOptions = Partial<Omit<RecommendRequest, 'context'>>;

/**
 * What scores the catalog, and what start-up measured (ms per scoring pass of every item). A switch
 * made by the background GPU check shows in each result's `backend` and in the next start's report.
 */
export interface BackendReport {
  /**
   * What scores the catalog: `int8-wasm`, localrec's own int8 WebAssembly SIMD kernel with an
   * exact float32 re-score of a shortlist (the default, chosen without measuring); `int8-js`, the
   * same arithmetic in plain JS where WebAssembly is refused (a CSP without 'wasm-unsafe-eval');
   * or a TensorFlow.js backend scoring every item in float32: forced by `backend`, or `webgl` on a
   * real GPU measured faster in the background after start-up.
   */
  name: 'int8-wasm' | 'int8-js' | 'webgl' | 'wasm' | 'cpu';
  measured: { name: string; ms: number | null; error?: string }[];
  renderer?: string;
  /**
   * Set when this device's earlier measurement for a catalog of this size was reused instead of
   * measuring again (`measured` is then empty): when it was made, ms since the epoch.
   */
  rememberedFrom?: number;
}

/** Catalog download progress, as plain data for a progress bar. */
export type Progress =
  | { status: 'download'; url: string }
  | { status: 'progress'; loaded: number; total: number | null }
  | { status: 'cached'; version: string }
  | { status: 'ready'; version: string; items: number };

/** What the worker tells the page without being asked. */
export type EngineEvent =
  | { type: 'progress'; progress: Progress }
  | ({ type: 'stage' } & StageChange)
  | ProfileChange
  | CatalogChange;

/**
 * A new catalog replaced the one the engine started from: a start answers from the catalog
 * cached on the device while the server is asked about it, and a newer version, once built, ranks
 * from then on. Strips showing results of the old one may re-rank.
 */
export interface CatalogChange { type: 'catalog'; version: string; items: number }

/**
 * The shopper's profile changed: events were learned in this tab (tracked or read from a source),
 * another tab of the store wrote, an interest was removed, or the data was forgotten.
 */
export interface ProfileChange { type: 'profile' }

export interface EngineOptions {
  /** Catalog URL (absolute, or relative to the page) or the catalog object itself. */
  catalog: string | CatalogJson;
  /** The URL relative URLs in these options are resolved against (the script-tag build passes the page's). */
  base?: string;
  /** Optional URL of the ranking bundle built by `npm run build-bundle`. */
  bundle?: string;
  /** IndexedDB database name; one per store. */
  dbName?: string;
  /** Population parameters for the lifecycle model (URL or object, as `npm run fit-lifecycle -- --out` writes). */
  lifecycle?: string | object;
  /** Session purchase-probability model (URL or object, as `npm run train-purchase-model -- --out` writes). */
  purchaseModel?: string | object;
  /** Overrides of the lifecycle stage thresholds (see DEFAULT_STAGE_THRESHOLDS). */
  stageThresholds?: Partial<StageThresholds>;
  /** Force a backend (tests and diagnostics): a tfjs one scores every item in float32; `int8-js` forces the kernel's JS loop. */
  backend?: BackendReport['name'];
  /**
   * The shopper's consent to keep what localrec learns on this device (default 'granted').
   * 'pending': learned in memory only, kept once granted; 'denied': nothing learned or kept, and
   * what was stored is deleted; recommendations are still served (popular, context).
   */
  consent?: Consent;
  /** Raw events older than this many days are aged out (default 90); the profile keeps what they taught. */
  retentionDays?: number;
  /** At most this many raw events are kept (default 20,000). */
  maxStoredEvents?: number;
  /**
   * Store-wide business rules, applied to every `recommend()` and `related()` with the call's own:
   * a list, or the URL of a JSON list (or of `{ "rules": [...] }`) the store's server publishes.
   * Read once per start; see src/core/ranking/rules.ts for the rules and their order.
   */
  rules?: string | RuleInput[];
}

export type Consent = 'granted' | 'denied' | 'pending';

/** Where what localrec learns is kept, and why not on disk when it is not. */
export interface StorageStatus { mode: 'indexeddb' | 'memory'; reason?: string }

/** What QA and support need to see: where data goes, what was loaded, how writes go. */
export interface Diagnostics {
  storage: StorageStatus;
  consent: Consent;
  /** The catalog ranking now; `error`: why a first catalog is not loaded yet, or why the server could not be asked about the cached one (which is kept). */
  catalog: { version: string | null; error?: string };
  batchesWritten: number;
  lastWriteMs?: number;
  /** Whether writes are coordinated with other tabs of the store (Web Locks). */
  tabsCoordinated: boolean;
  /**
   * Traffic judged automated (inhuman rates, a sweep of distinct items, metronome-regular
   * intervals) and kept out of the profile: whether the current visit is judged, how many visits
   * and events so far, and the latest judgement's reason and event time.
   */
  automated: { now: boolean; visits: number; ignoredEvents: number; last?: { reason: 'rate' | 'sweep' | 'metronome'; at: number } };
  /** What each wired source (`createLocalrec({ sources })`) has sent since the worker started; absent until one sends. */
  sources?: Partial<Record<SourceName, SourceCounts>>;
}

/** The tracking a store already has, wired live with `createLocalrec({ sources })` (src/client/sources.ts). */
export type SourceName = 'dataLayer' | 'segment' | 'shopify';

/** What came from one source: every payload is counted in `payloads`, and in `skipped` or `malformed` when that is what it was. */
export interface SourceCounts {
  /** Payloads received: dataLayer entries, Segment track calls, Shopify pixel events. */
  payloads: number;
  /** Events read from them and passed to learning, as track() would (repeats are still recognised there). */
  events: number;
  /**
   * Payloads that say nothing localrec learns from: page views, checkout steps, gtag config and
   * consent commands, GTM's own entries, `ecommerce: null`, an e-commerce event without an item id.
   */
  skipped: number;
  /**
   * Payloads that are not what the source sends (a dataLayer entry that is not an object, a
   * Segment call without a name, a Shopify event without `name`), or with an event track() would
   * refuse (its other events are still learned).
   */
  malformed: number;
}

/** Everything stored about the shopper on this device, readable: what `exportData()` returns. */
export interface ExportedData {
  format: 'localrec-export';
  exportedAt: string;
  consent: Consent;
  storage: StorageStatus;
  /** The profile as stored (embeddings as plain arrays). */
  profile: Record<string, unknown>;
  /** The same profile as profile() shows it, when the catalog is loaded. */
  readable: ReadableProfile | null;
  /** The raw event log, oldest first (search text is never kept). */
  events: (TrackEvent & { id: number; time: number })[];
}

export interface ReadyInfo {
  catalogVersion: string;
  items: number;
  hashedItems: number;
  backend: BackendReport;
  /** Catalog items the ranking bundle covers (0 without a bundle). */
  bundleItems: number;
  /** Why the bundle was not used, when one was asked for and failed. */
  bundleError?: string;
  /** Whether predict() can run (lifecycle parameters and purchase model loaded), or why not. */
  lifecycle: { ready: true } | { ready: false; reason: string };
  /** Where what is learned is kept: 'memory' while consent is pending or when storage failed (`reason` says which). */
  storage: StorageStatus;
  consent: Consent;
  /**
   * Set when the catalog download failed or was invalid and the copy cached on this device is
   * ranked instead: what went wrong and which version is in use (the page may want to alert the store).
   */
  catalogStale?: string;
  startupMs: number;
  /** Where `startupMs` went, in ms: each part of the start in the worker. */
  phases?: {
    /** Opening storage, reading the profile and the recent event ids. */
    storage: number;
    /**
     * Reading the catalog cached on the device (the server is asked about it after ready() when
     * it was confirmed within the last day), or revalidating / downloading, parsing and building
     * it; a download is cached after ready().
     */
    catalog: number;
    /**
     * Our int8 kernel: compiled, the catalog's rows quantised, one pass timed; or a tfjs backend
     * (forced, or a GPU remembered from this device's background check) started.
     */
    backend: number;
    /** Putting the catalog's matrix on the tfjs backend (0 with our kernel). */
    matrix: number;
    /** The optional files: ranking bundle, lifecycle parameters and purchase model. */
    extras: number;
  };
}

export interface RecommendResult {
  items: Recommendation[];
  backend: BackendReport['name'];
  /** Time spent in the worker, ms. */
  tookMs: number;
  /** The `placement` the call gave, for the store's own analytics. */
  placement?: string;
  /** Rules that were not applied (store-wide or the call's), each naming its field; the others were. */
  ruleErrors?: RuleError[];
}

/** A readable snapshot of what the SDK believes about this shopper. */
export interface ProfileSnapshot extends ReadableProfile {
  /** Lifecycle figures with reasons (as predict() gives), or null without lifecycle parameters. */
  lifecycle: Prediction | null;
}

/**
 * What became of a tracked event. `durable` says whether it is on disk (false while the shopper's
 * consent is pending or storage is unavailable: learned in memory only). `stored: false` when the
 * event repeated the previous one within a second (a double-fired action) or a purchase already
 * recorded, or when consent was denied (nothing is learned or kept).
 */
export type TrackResult =
  | { stored: true; id: number; durable: boolean }
  | { stored: false; reason: 'duplicate' | 'consent_denied' };

/**
 * Sent with an event so that a replay after a worker restart is recognised and not counted twice.
 * With `source`, the event is a raw payload of that source, read in the worker; the events read
 * from it get ids derived from `eventId`, so a replayed payload is recognised too.
 */
export interface TrackMeta { eventId?: string; source?: SourceName }

/** What became of a source payload: what each event read from it became (none for a page view). */
export interface SourceResult { read: TrackResult[] }

/** One call of a `trackMany` batch: the event and its meta, as `track()` takes them. */
export interface TrackCall { event: unknown; meta?: TrackMeta }

/** One outcome of a `trackMany` batch: the result, or the error `track()` would have thrown. */
export type TrackOutcome = { ok: TrackResult | SourceResult } | { error: { code: LocalrecErrorCode; message: string; field?: string } };

/** What the worker exposes through comlink. Every method validates its input itself. */
export interface EngineApi {
  init(options: EngineOptions, notify?: (e: EngineEvent) => void): Promise<ReadyInfo>;
  /**
   * Resolves once the event is learned and, storage permitting, on disk (writes are batched).
   * A source payload (`meta.source`) resolves with what each event read from it became.
   */
  track(event: unknown, meta?: TrackMeta): Promise<TrackResult | SourceResult>;
  /**
   * Many `track()` calls in one message, outcomes in the same order: the facade gathers the calls
   * a page makes in one task, since a message per event would cost more than learning it.
   */
  trackMany(calls: TrackCall[]): Promise<TrackOutcome[]>;
  /** Writes whatever waits in the batch now (the page is being hidden or closed). */
  flush(): Promise<void>;
  /** Answers at once: the facade's heartbeat. */
  ping(): Promise<'pong'>;
  /** Changes consent at once (see EngineOptions.consent). */
  setConsent(consent: unknown): Promise<Diagnostics>;
  /** Everything stored about the shopper, readable. */
  exportData(): Promise<ExportedData>;
  diagnostics(): Promise<Diagnostics>;
  recommend(request: unknown): Promise<RecommendResult>;
  related(itemId: unknown, options?: unknown): Promise<RecommendResult>;
  rerank(ids: unknown, options?: unknown): Promise<RecommendResult>;
  profile(): Promise<ProfileSnapshot>;
  predict(): Promise<Prediction>;
  removeInterest(interest: unknown): Promise<ProfileSnapshot>;
  forget(): Promise<void>;
  close(): Promise<void>;
}

interface SerializedError { message: string; code: LocalrecErrorCode | null; field?: string | undefined; name: string }

/** Comlink's transfer-handler shape, declared here so this module does not import comlink. */
interface Handler {
  canHandle(value: unknown): boolean;
  serialize(value: unknown): [unknown, unknown[]];
  deserialize(value: unknown): unknown;
}

/**
 * Wraps comlink's "throw" handler on both sides so a LocalrecError arrives as a LocalrecError
 * with its `code` and `field` (comlink's default sends only name, message and stack). Comlink's
 * own `canHandle` is kept: it recognises thrown values by a private marker.
 */
export function installErrorTransfer(handlers: Map<string, unknown>): void {
  const original = handlers.get('throw') as Handler | undefined;
  if (!original || (original as { localrec?: true }).localrec) return;
  const handler: Handler & { localrec: true } = {
    localrec: true,
    canHandle: (v) => original.canHandle(v),
    serialize(v) {
      const { value } = v as { value: unknown };
      const e: SerializedError = value instanceof LocalrecError
        ? { name: value.name, message: value.message, code: value.code, field: value.field }
        : { name: value instanceof Error ? value.name : 'Error', message: value instanceof Error ? value.message : String(value), code: null };
      return [e, []];
    },
    deserialize(v) {
      const e = v as SerializedError;
      throw e.code ? new LocalrecError(e.code, e.message, e.field) : Object.assign(new Error(e.message), { name: e.name });
    },
  };
  handlers.set('throw', handler);
}
