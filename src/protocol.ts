/**
 * The one contract between the page and the engine worker: the API the worker exposes, the plain
 * data that crosses, and the transfer handler that keeps LocalrecError's `code` intact.
 */
import type { CatalogJson } from './core/catalog';
import { LocalrecError, type LocalrecErrorCode } from './core/errors';
import type { TrackEvent } from './core/events';
import type { LifecycleStage, Prediction, StageThresholds } from './core/predict';
import type { AffinityView, ReadableProfile } from './core/profile/readable';
import type { StageChange } from './core/profile/update';
import type { Recommendation, RecommendRequest } from './core/ranking/rank';

export type { TrackEvent, RecommendRequest, Recommendation, Prediction, LifecycleStage, StageChange, AffinityView };

/** Which TensorFlow.js backend ranks, and what the start-up measurement saw (ms per scoring pass). */
export interface BackendReport {
  name: 'webgl' | 'wasm' | 'cpu';
  measured: { name: string; ms: number | null; error?: string }[];
  renderer?: string;
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
  | ({ type: 'stage' } & StageChange);

export interface EngineOptions {
  /** Catalog URL (absolute, or relative to the page) or the catalog object itself. */
  catalog: string | CatalogJson;
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
  /** Force a backend instead of measuring (tests and diagnostics). */
  backend?: BackendReport['name'];
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
  startupMs: number;
}

export interface RecommendResult {
  items: Recommendation[];
  backend: BackendReport['name'];
  /** Time spent in the worker, ms. */
  tookMs: number;
}

/** A readable snapshot of what the SDK believes about this shopper. */
export interface ProfileSnapshot extends ReadableProfile {
  /** Lifecycle figures with reasons (as predict() gives), or null without lifecycle parameters. */
  lifecycle: Prediction | null;
}

/** `stored: false` when the event repeated the previous one within a second (a double-fired action). */
export type TrackResult = { stored: true; id: number } | { stored: false; reason: 'duplicate' };

/** What the worker exposes through comlink. Every method validates its input itself. */
export interface EngineApi {
  init(options: EngineOptions, notify?: (e: EngineEvent) => void): Promise<ReadyInfo>;
  track(event: unknown): Promise<TrackResult>;
  recommend(request: unknown): Promise<RecommendResult>;
  profile(): Promise<ProfileSnapshot>;
  predict(): Promise<Prediction>;
  removeInterest(interest: unknown): Promise<ProfileSnapshot>;
  forget(): Promise<void>;
  close(): Promise<void>;
}

interface SerializedError { message: string; code: LocalrecErrorCode | null; field?: string; name: string }

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
        ? { name: value.name, message: value.message, code: value.code, ...(value.field ? { field: value.field } : {}) }
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
