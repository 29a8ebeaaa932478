import type { Catalog } from '../src/core/catalog';
import { LocalrecError } from '../src/core/errors';
import { storedForm } from '../src/core/event-log';
import { isDuplicate, validateEvent, type CleanEvent } from '../src/core/events';
import { predict, type LifecycleModels, type Prediction } from '../src/core/predict';
import { parseInterest, suppressInterest } from '../src/core/profile/interests';
import { isRepeatPurchase } from '../src/core/profile/purchases';
import { readableProfile } from '../src/core/profile/readable';
import { emptyProfile, fitProfileToDim, PROFILE_SETTINGS, type Profile } from '../src/core/profile/state';
import { applyUpdate, type StageChange } from '../src/core/profile/update';
import { candidateIndices } from '../src/core/ranking/candidates';
import { queryVector } from '../src/core/ranking/query';
import { withDetails } from '../src/core/ranking/rank';
import { validateRequest, type RecommendRequest } from '../src/core/ranking/request';
import { rerank, validateRerank } from '../src/core/ranking/rerank';
import { Scratch } from '../src/core/ranking/scratch';
import { parseRules, type Rule, type RuleError } from '../src/core/ranking/rules';
import type { CatalogSequenceRanker } from '../src/core/ranking/signals/sequence';
import type {
  BackendReport, Consent, Diagnostics, EngineApi, EngineEvent, EngineOptions, ExportedData, ProfileSnapshot, Progress,
  ReadyInfo, RecommendResult, SourceResult, TrackMeta, TrackOutcome, TrackResult,
} from '../src/protocol';
import { Batcher } from './batcher';
import { loadCatalog, type FreshCatalog, type LoadedCatalog } from './catalog-loader';
import { download, type Fetcher } from './downloads';
import { loadLifecycle } from './lifecycle-loader';
import { SourceReaders } from './source-readers';
import { StorageSlot } from './storage-slot';
import { TfScorer } from './scorer';
import { BACKEND_NAMES, exactSimilarities, GPU_SWITCH_SHARE, int8Scoring, isTfjsBackend, kernelMs, rankWith, type Scoring } from './scoring';
import type { EngineStorage, NewEvent } from './storage';
import type { TabCoordination } from './tabs';
import { WriteQueue } from './write-queue';

/** An earlier backend measurement on this device, for a catalog of the same size class: its winner and when it was made. */
export interface RememberedBackend { name: BackendReport['name']; at: number }

/** What the engine needs from its host: the worker gives real ones, tests give Node ones. */
export interface EngineHost {
  /** Picks the tfjs backend for the catalog's matrix (backends.ts): measured, forced, or this device's `remembered` choice. */
  chooseBackend(matrix: Float32Array, rows: number, dim: number, forced?: BackendReport['name'], remembered?: RememberedBackend): Promise<BackendReport>;
  /**
   * Times tfjs's webgl backend on the catalog's matrix when the device has a real GPU (backends.ts),
   * in the background after start-up; where it has none, says why it did not. Absent: never measured.
   */
  measureGpu?(matrix: Float32Array, rows: number, dim: number): Promise<{ ms: number; renderer: string } | { skipped: string }>;
  fetch: Fetcher;
  /** Opens the persistent storage named `name` (IndexedDB in the worker); may reject, then the engine keeps to memory. */
  openStorage(name: string): Promise<EngineStorage>;
  /** Deletes the persistent storage named `name` without opening it (consent denied). */
  deleteStorage?(name: string): Promise<void>;
  /** Loads the optional ranking bundle, bound to the catalog. */
  loadBundle?(url: string, catalog: Catalog): Promise<CatalogSequenceRanker>;
  /** Cross-tab coordination for the database `name`, where the platform has it. */
  tabs?(name: string): TabCoordination | undefined;
  now?(): number;
  /** Waits `ms` (tests make it instant). */
  sleep?(ms: number): Promise<void>;
}

/** Tunables of writing and keeping events; the defaults are documented beside each. */
export const STORAGE_SETTINGS = {
  /** A batch of tracked events is written after this much quiet... */
  batchDelayMs: 15,
  /** ...or as soon as this many wait. */
  batchMaxEvents: 1000,
  /** Raw events older than this are aged out (the profile keeps what they taught). */
  retentionDays: 90,
  /** And no more than this many raw events are kept. */
  maxStoredEvents: 20_000,
  /** Retention runs at start and after every this many batches. */
  pruneEveryBatches: 50,
  /** Page-given event ids remembered to recognise replays (more than a facade ever has unacknowledged). */
  rememberedEventIds: 10_000,
  /** A downloaded catalog is cached once no events were written for this long after ready()... */
  catalogCacheQuietMs: 1000,
  /** ...or this long after ready() at the latest. */
  catalogCacheWaitMs: 10_000,
  /** A first catalog download that failed is retried after 1, 2, 4 … s, at most this long apart. */
  catalogRetryMaxMs: 60_000,
  /**
   * The backend measured at start is remembered per device and catalog size class (dimension and
   * order of magnitude of the item count) this long; a start after that measures again.
   */
  backendRememberMs: 7 * 86_400_000,
  /** The background GPU measurement waits for this long without a ranking call (it holds the worker while it runs). */
  gpuCheckIdleMs: 10_000,
};

type Phases = NonNullable<ReadyInfo['phases']>;

/** How long a replaced catalog's matrix stays on the backend after a swap, for rankings already under way. */
const RETIRE_AFTER_MS = 30_000;

/** What the catalog brings; absent until the first catalog loads. */
interface Loaded {
  catalog: Catalog;
  scoring: Scoring;
  backend: BackendReport;
  sequence: CatalogSequenceRanker | undefined;
  lifecycle: LifecycleModels | undefined;
}

interface Pending { event: CleanEvent; eventId: string | undefined }

/**
 * The engine behind the worker. It does the IO around the pure core: it loads and caches, keeps
 * the catalog resident on the tfjs backend, batches writes, persists each profile the core
 * computes, and notifies the page. Storage that fails or is not consented to leaves it learning
 * in memory; a catalog that fails on a first visit is retried while events are still recorded.
 */
export class Engine implements EngineApi {
  private options: EngineOptions | undefined;
  private loaded: Loaded | undefined;
  private readonly slot: StorageSlot;
  private consent: Consent = 'granted';
  private profileState: Profile | undefined;
  private lifecycleError = 'no lifecycle parameters or purchase model were given to createLocalrec()';
  private catalogError: string | undefined;
  private notify: ((e: EngineEvent) => void) | undefined;
  private base: Promise<void> | undefined;
  private started: Promise<ReadyInfo> | undefined;
  private closed = false;
  private lastEvent: CleanEvent | undefined;
  /** Page-given ids of recent events: a replay after a worker crash is recognised without a lookup per event. */
  private knownIds = new Map<string, number>();
  private batches = 0;
  private lastWriteMs: number | undefined;
  private readonly writes = new WriteQueue();
  private readonly sources = new SourceReaders();
  /** Typed arrays reused by every ranking (one at a time in this worker): allocating them per call cost more than ranking. */
  private readonly scratch = new Scratch();
  /** The store-wide business rules (`options.rules`), read once. */
  private storeRules: Promise<{ rules: Rule[]; errors: RuleError[] }> | undefined;
  /** Caching a downloaded catalog, after ready() (see cacheLater). */
  private caching: Promise<void> = Promise.resolve();
  /** The cache write waiting for a quiet spell; close() runs it at once. */
  private cachePending: FreshCatalog['cache'] | undefined;
  /** Scorers of replaced catalogs, disposed RETIRE_AFTER_MS after the swap or at close(). */
  private readonly retired = new Set<TfScorer>();
  /** The catalog's own rules, parsed once per catalog. */
  private readonly catalogRules = new WeakMap<Catalog, { rules: Rule[]; errors: RuleError[] }>();
  /** Whether a first catalog that failed is being retried in the background (a URL; an invalid object is not). */
  private retrying = false;
  /** Ranking calls so far: the background GPU check waits for a quiet spell. */
  private rankingCalls = 0;
  /** The background GPU check, while one is pending or running (tests wait on it). */
  backendCheck: Promise<void> | undefined;
  private readonly batcher = new Batcher<Pending, TrackResult>((items) => this.writes.run(() => this.write(items)), STORAGE_SETTINGS.batchDelayMs, STORAGE_SETTINGS.batchMaxEvents);

  constructor(private readonly host: EngineHost) {
    this.slot = new StorageSlot(host, () => this.options?.dbName ?? 'localrec', () => this.changed());
  }

  /** Tells the page that the profile changed (its `onProfileChange` listeners re-rank). */
  private changed(): void {
    this.notify?.({ type: 'profile' });
  }

  /** The host's sleep (instant in Node tests), else a timer. */
  private sleep(ms: number): Promise<void> {
    return this.host.sleep ? this.host.sleep(ms) : new Promise((r) => setTimeout(r, ms));
  }

  private now(): number {
    return this.host.now?.() ?? Date.now();
  }

  init(given: EngineOptions, notify?: (e: EngineEvent) => void): Promise<ReadyInfo> {
    const options = fromBase(given);
    this.notify = notify;
    this.options ??= options;
    this.base ??= this.openBase(options);
    this.started ??= this.start(options, notify ? (progress) => notify({ type: 'progress', progress }) : undefined);
    return this.started;
  }

  /** Storage and profile: enough to record events, with or without a catalog. */
  private async openBase(options: EngineOptions): Promise<void> {
    this.consent = options.consent ?? 'granted';
    await this.slot.useFor(this.consent);
    this.profileState = await this.profileFromStorage(undefined);
    this.knownIds = await this.slot.storage.recentEventIds(STORAGE_SETTINGS.rememberedEventIds).catch(() => new Map<string, number>());
    await this.prune();
  }

  private async start(options: EngineOptions, onProgress?: (p: Progress) => void): Promise<ReadyInfo> {
    const t0 = performance.now();
    await this.base;
    const t1 = performance.now();
    if (options.backend !== undefined && !BACKEND_NAMES.includes(options.backend)) {
      const e = new LocalrecError('invalid_argument', `The \`backend\` option must be one of ${BACKEND_NAMES.join(', ')}, or left out; events are still recorded.`, 'backend');
      this.catalogError = e.message;
      throw e;
    }
    let catalog: LoadedCatalog;
    try {
      catalog = await loadCatalog(options.catalog, this.slot.storage, this.host.fetch, this.now(), onProgress);
    } catch (e) {
      this.catalogError = message(e);
      // A URL may answer later; a catalog given as an object will not change.
      this.retrying = typeof options.catalog === 'string';
      if (this.retrying) void this.retryCatalog(options, onProgress);
      const next = this.retrying ? 'localrec retries in the background and records events meanwhile' : 'localrec records events meanwhile';
      throw e instanceof LocalrecError ? new LocalrecError(e.code, `${e.message} No earlier catalog is cached on this device; ${next}.`, e.field) : e;
    }
    const phases = { storage: t1 - t0, catalog: performance.now() - t1 } as Phases;
    const info = await this.loadAround(catalog, options, onProgress, phases);
    for (const key of Object.keys(phases) as (keyof Phases)[]) phases[key] = Math.round(phases[key]);
    // What ready() need not wait for: writing a download to the cache, asking the server about the cached catalog.
    if (catalog.cache) this.cacheLater(catalog.cache);
    if (catalog.revalidate) void this.revalidate(catalog.revalidate, options);
    return { ...info, startupMs: Math.round(performance.now() - t0), phases };
  }

  /**
   * Caches a downloaded catalog after ready(), once the shopper's events have been quiet for
   * STORAGE_SETTINGS.catalogCacheQuietMs (or catalogCacheWaitMs have passed), in the write queue:
   * events first. Written at once, a catalog (megabytes at 100,000 items) held up the events
   * tracked just after ready(), and a page closed 100 ms later lost them all. close() writes a
   * pending catalog at once; a page closed before the quiet spell downloads it again next time.
   */
  private cacheLater(cache: FreshCatalog['cache']): void {
    this.cachePending = cache;
    this.caching = this.caching.then(() => this.quietSpell()).then(() => this.writePendingCatalog());
  }

  /** Writes the catalog waiting to be cached, if one still is, in the write queue (a failure only costs a download next time). */
  private async writePendingCatalog(): Promise<void> {
    const pending = this.cachePending;
    this.cachePending = undefined;
    if (pending) await this.writes.run(() => pending(this.slot.storage)).catch(() => undefined);
  }

  /** Resolves once no batch of events was written for a quiet spell (or the longest wait passed, or the engine closed). */
  private async quietSpell(): Promise<void> {
    const { catalogCacheQuietMs: quiet, catalogCacheWaitMs: wait } = STORAGE_SETTINGS;
    for (let waited = 0; waited < wait && !this.closed; waited += quiet) {
      const seen = this.batches;
      await this.sleep(quiet);
      if (this.batches === seen) return;
    }
  }

  /**
   * Asks the server about the cached catalog the engine started from. A new version is built
   * and swapped in whole (loadAround replaces `loaded` in one step; rankings meanwhile use the
   * cached one), cached, and announced to the page (`onCatalogChange`). A failure keeps the cached
   * catalog and says why in diagnostics().
   */
  private async revalidate(check: NonNullable<LoadedCatalog['revalidate']>, options: EngineOptions): Promise<void> {
    try {
      const fresh = await check();
      if (!fresh || this.closed) return;
      const before = this.loaded;
      await this.loadAround({ catalog: fresh.catalog }, options);
      if (this.closed) return;
      this.retire(before);
      this.cacheLater(fresh.cache);
      this.notify?.({ type: 'catalog', version: fresh.catalog.version, items: fresh.catalog.items.length });
    } catch (e) {
      this.catalogError = `revalidating the cached catalog failed, it is kept: ${message(e)}`;
    }
  }

  /**
   * Frees a replaced catalog's matrix on a tfjs backend. Not at once: a ranking that took the old
   * catalog just before the swap may still be on its way to scoring with it.
   */
  private retire(old: Loaded | undefined): void {
    // Our kernel's copy is garbage-collected; only a tfjs backend holds memory that needs freeing.
    if (old?.scoring.kind !== 'tfjs') return;
    const { scorer } = old.scoring;
    this.retired.add(scorer);
    setTimeout(() => {
      if (this.retired.delete(scorer)) scorer.dispose();
    }, RETIRE_AFTER_MS);
  }

  /** Everything that needs the catalog: backend, scorer, bundle, lifecycle files. */
  private async loadAround(loadedCatalog: LoadedCatalog, options: EngineOptions, onProgress?: (p: Progress) => void, phases?: Phases): Promise<Omit<ReadyInfo, 'startupMs'>> {
    const { catalog, cachedBecause } = loadedCatalog;
    let t = performance.now();
    const lap = (phase: keyof Phases) => {
      if (phases) phases[phase] = performance.now() - t;
      t = performance.now();
    };
    const { report: backend, scoring, checkGpu } = await this.backendFor(catalog, options.backend);
    lap('backend');
    if (scoring.kind === 'tfjs') scoring.scorer.load(catalog.matrix, catalog.items.length);
    lap('matrix');
    // The catalog alone still ranks: optional files that fail are reported, not fatal.
    const [sequence, lifecycle] = await Promise.allSettled([this.sequenceFor(options, catalog), this.lifecycleFor(options)]);
    lap('extras');
    this.loaded = {
      catalog, scoring, backend,
      sequence: sequence.status === 'fulfilled' ? sequence.value : undefined,
      lifecycle: lifecycle.status === 'fulfilled' ? lifecycle.value : undefined,
    };
    this.catalogError = undefined;
    if (lifecycle.status === 'rejected') this.lifecycleError = message(lifecycle.reason);
    this.profileState = fitProfileToDim(this.profileState!, catalog.dim);
    if (checkGpu) this.backendCheck = this.checkGpuWhenIdle(this.loaded, checkGpu);
    onProgress?.({ status: 'ready', version: catalog.version, items: catalog.items.length });
    return {
      catalogVersion: catalog.version, items: catalog.items.length, hashedItems: catalog.hashedItems,
      backend, bundleItems: this.loaded.sequence?.matched ?? 0,
      ...(sequence.status === 'rejected' ? { bundleError: message(sequence.reason) } : {}),
      lifecycle: this.loaded.lifecycle ? { ready: true } : { ready: false, reason: this.lifecycleError },
      storage: this.slot.status(), consent: this.consent,
      ...(cachedBecause ? { catalogStale: cachedBecause } : {}),
    };
  }

  /**
   * What scores this catalog (scoring.ts). Our int8 kernel, at once and without measuring, unless
   * the page forces a tfjs backend or this device measured a GPU faster within
   * `backendRememberMs` (per catalog size class: dimension and order of magnitude of the items).
   * With the kernel and nothing remembered, `checkGpu` is the setting under which the background
   * GPU check (`checkGpuWhenIdle`) remembers its outcome.
   */
  private async backendFor(catalog: Catalog, forced: BackendReport['name'] | undefined): Promise<{ report: BackendReport; scoring: Scoring; checkGpu?: string }> {
    const rows = catalog.items.length;
    const key = `backend:${catalog.dim}x1e${Math.floor(Math.log10(rows))}`;
    const storage = this.slot.storage;
    let remembered: RememberedBackend | undefined;
    try {
      const saved = forced ? undefined : JSON.parse((await storage.readSetting(key)) ?? 'null') as RememberedBackend | null;
      if (saved && typeof saved.name === 'string' && this.now() - saved.at < STORAGE_SETTINGS.backendRememberMs) remembered = saved;
    } catch {
      // Unreadable: the kernel, and the check again.
    }
    if (!isTfjsBackend(forced) && !isTfjsBackend(remembered?.name)) {
      const { scoring, report } = int8Scoring(catalog, forced);
      if (remembered) return { scoring, report: { ...report, rememberedFrom: remembered.at } };
      return { scoring, report, ...(forced || !this.host.measureGpu ? {} : { checkGpu: key }) };
    }
    const report = await this.host.chooseBackend(catalog.matrix, rows, catalog.dim, forced, remembered);
    return { report, scoring: { kind: 'tfjs', scorer: new TfScorer(catalog.dim) } };
  }

  /**
   * After start-up, once no ranking call came for `gpuCheckIdleMs`: times our kernel and, on a
   * real GPU, tfjs's webgl backend on the catalog, switches to webgl when it scores in under
   * `GPU_SWITCH_SHARE` of the kernel's time, and remembers the outcome under `key`. Without a GPU
   * nothing of tfjs is started (the float32 CPU backends read four times the kernel's bytes).
   */
  private async checkGpuWhenIdle(loaded: Loaded, key: string): Promise<void> {
    for (let calls = -1; calls !== this.rankingCalls; ) {
      calls = this.rankingCalls;
      await this.sleep(STORAGE_SETTINGS.gpuCheckIdleMs);
      if (this.closed || this.loaded !== loaded) return;
    }
    const { catalog, scoring } = loaded;
    if (scoring.kind !== 'int8') return;
    const ownMs = kernelMs(scoring.scorer, 5);
    const gpu = await this.host.measureGpu!(catalog.matrix, catalog.items.length, catalog.dim).catch((e: unknown) => ({ skipped: message(e) }));
    if (this.closed || this.loaded !== loaded) return;
    const measured = [...loaded.backend.measured, 'ms' in gpu ? { name: 'webgl', ms: Math.round(gpu.ms * 1000) / 1000 } : { name: 'webgl', ms: null, error: gpu.skipped }];
    if ('ms' in gpu && gpu.ms < ownMs * GPU_SWITCH_SHARE) {
      const scorer = new TfScorer(catalog.dim);
      scorer.load(catalog.matrix, catalog.items.length);
      loaded.scoring = { kind: 'tfjs', scorer };
      loaded.backend = { name: 'webgl', measured, renderer: gpu.renderer };
    } else {
      loaded.backend = { ...loaded.backend, measured };
    }
    await this.slot.storage.writeSetting(key, JSON.stringify({ name: loaded.backend.name, at: this.now() })).catch(() => undefined);
  }

  private async retryCatalog(options: EngineOptions, onProgress?: (p: Progress) => void): Promise<void> {
    for (let wait = 1000; !this.closed && !this.loaded; wait = Math.min(wait * 2, STORAGE_SETTINGS.catalogRetryMaxMs)) {
      await this.sleep(wait);
      if (this.closed) return;
      try {
        const loaded = await loadCatalog(options.catalog, this.slot.storage, this.host.fetch, this.now(), onProgress);
        await this.loadAround(loaded, options, onProgress);
        if (loaded.cache) this.cacheLater(loaded.cache);
      } catch (e) {
        this.catalogError = message(e);
      }
    }
  }

  private async sequenceFor(options: EngineOptions, catalog: Catalog): Promise<CatalogSequenceRanker | undefined> {
    return options.bundle && this.host.loadBundle ? this.host.loadBundle(options.bundle, catalog) : undefined;
  }

  private async lifecycleFor(options: EngineOptions): Promise<LifecycleModels | undefined> {
    if (options.lifecycle === undefined || options.purchaseModel === undefined) return undefined;
    return loadLifecycle(options.lifecycle, options.purchaseModel, options.stageThresholds ?? {}, this.host.fetch);
  }

  /** The stored profile, checked or rebuilt (see StorageSlot.readProfile). */
  private profileFromStorage(fallback: Profile | undefined): Promise<Profile> {
    const dim = this.loaded?.catalog.dim ?? fallback?.dim ?? this.profileState?.dim ?? 64;
    return this.slot.readProfile(dim, fallback, this.updateContext());
  }

  private updateContext() {
    return { catalog: this.loaded?.catalog, lifecycle: this.loaded?.lifecycle, now: this.now() };
  }

  private async prune(): Promise<void> {
    const S = STORAGE_SETTINGS;
    const before = this.now() - (this.options?.retentionDays ?? S.retentionDays) * 86_400_000;
    await this.slot.storage.prune(before, this.options?.maxStoredEvents ?? S.maxStoredEvents).catch(() => 0);
  }

  private alive(): void {
    if (this.closed) throw new LocalrecError('destroyed', 'This localrec instance was destroyed; create a new one.');
    if (!this.base) throw new LocalrecError('not_ready', 'Call init() before using the engine.');
  }

  /**
   * Catches up with another tab's `forget()`: it deleted the database (closing this tab's
   * connection) and said so. What this tab holds goes too, or its next write would store it again;
   * the database is opened afresh, so this tab keeps writing to disk.
   */
  private async followOtherTabs(): Promise<void> {
    const reopened = await this.slot.reopenIfClosed(this.consent);
    const deleted = reopened && this.slot.storage.mode === 'indexeddb' && (await this.slot.storage.loadProfile().catch(() => null)) === undefined;
    if (!deleted && !this.slot.otherTabForgot) return;
    this.slot.otherTabForgot = false;
    this.profileState = emptyProfile(this.profileState!.dim, this.now());
    this.lastEvent = undefined;
    this.knownIds.clear();
  }

  /** The profile, once storage is open (the catalog may still be loading). */
  private async profileNow(): Promise<Profile> {
    this.alive();
    await this.base;
    // Tracks that arrived before this read are learned first, awaited or not (a source's never are).
    await this.flush();
    await this.followOtherTabs();
    if (this.slot.otherTabWrote) {
      this.slot.otherTabWrote = false;
      this.profileState = await this.profileFromStorage(this.profileState);
    }
    return this.profileState!;
  }

  /** The catalog and what comes with it; `not_ready` while a first catalog is still being fetched. */
  private async withCatalog(): Promise<Loaded> {
    this.alive();
    await this.started?.catch(() => undefined);
    if (!this.loaded) throw new LocalrecError('not_ready', `The catalog is not loaded yet (${this.catalogError ?? 'loading'})${this.retrying ? '; localrec keeps retrying' : ''}.`);
    return this.loaded;
  }

  track(input: unknown, meta?: TrackMeta & { source?: undefined }): Promise<TrackResult>;
  track(input: unknown, meta?: TrackMeta): Promise<TrackResult | SourceResult>;
  async track(input: unknown, meta?: TrackMeta): Promise<TrackResult | SourceResult> {
    this.alive();
    if (meta?.source !== undefined) {
      const read = this.sources.read(meta.source, input, this.now());
      await this.base;
      return this.learnSource(read, eventIdOf(meta));
    }
    const event = validateEvent(input, this.now());
    await this.base;
    return this.batcher.add({ event, eventId: eventIdOf(meta) });
  }

  /**
   * The events read from a raw payload of a wired source (src/client/sources.ts, read by
   * ./source-readers.ts), learned as track() learns. Its i-th event gets the id `${id}#${i}`, the
   * id being the payload's own (the Shopify pixel's) or else the page's, so a payload sent again
   * (after a worker restart, or by the pixel) is recognised, as a replayed track() is.
   */
  private async learnSource({ events, id }: ReturnType<SourceReaders['read']>, eventId: string | undefined): Promise<SourceResult> {
    const base = id ?? eventId;
    return { read: await Promise.all(events.map((event, i) => this.batcher.add({ event, eventId: base === undefined ? undefined : `${base}#${i}` }))) };
  }

  /**
   * The facade's tracks of one page task, in one message: each call gets its own outcome, as if
   * it had been a track() of its own. Storage is waited for once per message and every call is
   * then checked and queued at once, in order; one wait (and one async call) per event cost the
   * worker more than learning the event did in a burst of thousands.
   */
  async trackMany(calls: unknown): Promise<TrackOutcome[]> {
    if (!Array.isArray(calls)) throw new LocalrecError('invalid_argument', 'trackMany() takes an array of { event, meta }.', 'calls');
    try {
      this.alive();
      await this.base;
    } catch (e) {
      return calls.map(() => outcomeOf(e));
    }
    const now = this.now();
    return Promise.all(calls.map((call: unknown): TrackOutcome | Promise<TrackOutcome> => {
      try {
        const { event, meta } = (typeof call === 'object' && call !== null ? call : {}) as { event?: unknown; meta?: TrackMeta };
        const learned = meta?.source !== undefined
          ? this.learnSource(this.sources.read(meta.source, event, now), eventIdOf(meta))
          : this.batcher.add({ event: validateEvent(event, now), eventId: eventIdOf(meta) });
        return learned.then((ok): TrackOutcome => ({ ok }), outcomeOf);
      } catch (e) {
        return outcomeOf(e);
      }
    }));
  }

  /** Learns a batch of events and writes them, with the profile they produce, in one transaction. */
  private async write(batch: Pending[]): Promise<TrackResult[]> {
    if (this.consent === 'denied') return batch.map(() => ({ stored: false, reason: 'consent_denied' }));
    const t0 = performance.now();
    const run = async () => {
      const storage = this.slot.storage;
      // Inside the lock, the stored profile is the truth: another tab may have written since.
      await this.followOtherTabs();
      const base = this.slot.tabs ? await this.profileFromStorage(this.profileState) : this.profileState!;
      const draft = structuredClone(base);
      const known = this.knownIds;
      const inBatch = new Map<string, number>();
      const ctx = this.updateContext();
      const results: (TrackResult | number)[] = [];
      const toStore: NewEvent[] = [];
      const stages: StageChange[] = [];
      let last = this.lastEvent;
      for (const { event, eventId } of batch) {
        const replayed = eventId === undefined ? undefined : known.get(eventId);
        const sameBatch = eventId === undefined ? undefined : inBatch.get(eventId);
        if (replayed !== undefined) {
          results.push({ stored: true, id: replayed, durable: storage.mode === 'indexeddb' });
        } else if (sameBatch !== undefined) {
          results.push(sameBatch);
        } else if (isDuplicate(last, event) || isRepeatPurchase(draft, event)) {
          results.push({ stored: false, reason: 'duplicate' });
        } else {
          const change = applyUpdate(draft, event, ctx);
          if (change) stages.push(change);
          if (eventId !== undefined) inBatch.set(eventId, toStore.length);
          results.push(toStore.length);
          toStore.push(eventId === undefined ? { event: storedForm(event) } : { event: storedForm(event), eventId });
          last = event;
        }
      }
      const ids = await this.persist(toStore, draft);
      this.remember(toStore, ids);
      this.profileState = draft;
      this.lastEvent = last;
      if (toStore.length) {
        this.slot.tabs?.announce();
        this.changed();
      }
      for (const s of stages) this.notify?.({ type: 'stage', ...s });
      const durable = this.slot.storage.mode === 'indexeddb';
      return results.map((r): TrackResult => (typeof r === 'number' ? { stored: true, id: ids[r]!, durable } : r));
    };
    const out = await (this.slot.tabs ? this.slot.tabs.withLock(run) : run());
    this.lastWriteMs = Math.round((performance.now() - t0) * 100) / 100;
    if (++this.batches % STORAGE_SETTINGS.pruneEveryBatches === 0) await this.prune();
    return out;
  }

  private remember(stored: NewEvent[], ids: number[]): void {
    stored.forEach((e, i) => { if (e.eventId !== undefined) this.knownIds.set(e.eventId, ids[i]!); });
    let excess = this.knownIds.size - STORAGE_SETTINGS.rememberedEventIds;
    for (const id of this.knownIds.keys()) {
      if (excess-- <= 0) break;
      this.knownIds.delete(id);
    }
  }

  /** Writes; when the disk refuses (quota, a broken database), keeps learning in memory instead. */
  private async persist(events: NewEvent[], profile: Profile): Promise<number[]> {
    try {
      return await this.slot.storage.appendEvents(events, profile);
    } catch (e) {
      if (this.slot.storage.mode === 'memory') throw e;
      this.slot.toMemory(`writes failed, learning in memory only: ${message(e)}`);
      return this.slot.storage.appendEvents(events, profile);
    }
  }

  async flush(): Promise<void> {
    await this.batcher.flush();
    await this.writes.settled();
  }

  async ping(): Promise<'pong'> {
    return 'pong';
  }

  async recommend(input: unknown): Promise<RecommendResult> {
    return this.ranked(validateRequest(input));
  }

  /** "More like this" for a product page: the context item's neighbours and what the bundle says goes with it; never the item. */
  async related(itemId: unknown, options?: unknown): Promise<RecommendResult> {
    if (typeof itemId !== 'string' || !itemId) throw new LocalrecError('invalid_argument', 'related(): `itemId` must be an item id.', 'itemId');
    const request = validateRequest(options);
    return this.ranked({ ...request, context: { ...request.context, itemId } }, itemId);
  }

  private async ranked(request: RecommendRequest, related?: string): Promise<RecommendResult> {
    const { catalog, scoring, sequence, backend } = await this.withCatalog();
    this.rankingCalls++;
    const profile = await this.rankingProfile(catalog);
    const { rules, errors } = await this.rulesFor(catalog, request.rules);
    const t0 = performance.now();
    const now = this.now();
    const candidates = candidateIndices(catalog, request);
    const q = queryVector(profile, catalog, now, request.context);
    // The bundle reads the shown item as the session's latest look: what goes with it comes up.
    const session = related ? { ...profile, session: { ...profile.session, events: [...profile.session.events, { type: 'view' as const, itemId: related, time: now }] } } : profile;
    const ctx = { catalog, profile, request, now, sequence: sequence?.scoresFor(session), rules, scratch: this.scratch };
    const items = await rankWith(scoring, ctx, candidates, q, !request.candidates);
    return { items: request.details ? withDetails(catalog, items) : items, ...this.took(backend, t0, request.placement), ...(errors.length ? { ruleErrors: errors } : {}) };
  }

  async rerank(ids: unknown, options?: unknown): Promise<RecommendResult> {
    const { ids: list, strength, placement, details, rules: own } = validateRerank(ids, options);
    const { catalog, scoring, sequence, backend } = await this.withCatalog();
    this.rankingCalls++;
    const profile = await this.rankingProfile(catalog);
    const { rules, errors } = await this.rulesFor(catalog, own);
    const t0 = performance.now();
    const now = this.now();
    const request = { k: Math.max(1, list.length), candidates: list };
    const candidates = candidateIndices(catalog, request);
    const q = queryVector(profile, catalog, now);
    const similarity = await exactSimilarities(scoring, catalog, candidates, q);
    const items = rerank({ catalog, profile, request, now, sequence: sequence?.scoresFor(profile), rules, scratch: this.scratch }, list, strength, candidates, similarity);
    return { items: details ? withDetails(catalog, items) : items, ...this.took(backend, t0, placement), ...(errors.length ? { ruleErrors: errors } : {}) };
  }

  private rankingProfile(catalog: Catalog): Promise<Profile> {
    return this.consent === 'denied' ? Promise.resolve(emptyProfile(catalog.dim, this.now())) : this.profileNow();
  }

  private took(backend: BackendReport, t0: number, placement: string | undefined) {
    return { backend: backend.name, tookMs: Math.round((performance.now() - t0) * 100) / 100, ...(placement === undefined ? {} : { placement }) };
  }

  /**
   * The rules of one call, in the order they apply: the catalog's own (published with it), the
   * store-wide option's, then the call's; with an error for each invalid one.
   */
  private async rulesFor(catalog: Catalog, own: unknown): Promise<{ rules: Rule[]; errors: RuleError[] }> {
    let published = this.catalogRules.get(catalog);
    if (!published) this.catalogRules.set(catalog, (published = parseRules(catalog.rules, 'catalog rules')));
    const lists = [published, await this.loadStoreRules(), parseRules(own)];
    return { rules: lists.flatMap((l) => l.rules), errors: lists.flatMap((l) => l.errors) };
  }

  /** The store-wide rules: a list, or a URL of a JSON list (or of `{ rules: [...] }`); one that cannot be read is reported with each result. */
  private loadStoreRules(): Promise<{ rules: Rule[]; errors: RuleError[] }> {
    const given = this.options?.rules;
    return (this.storeRules ??= (typeof given === 'string' ? download(this.host.fetch, given, 'store rules', 'download_failed').then((r) => r.json() as Promise<unknown>) : Promise.resolve(given)).then(
      (json) => parseRules(Array.isArray(json) || json === undefined ? json : (json as { rules?: unknown }).rules ?? json, 'store rules'),
      (e: unknown) => ({ rules: [], errors: [{ code: 'invalid_rule' as const, rule: -1, label: 'store rules', field: 'rules', message: message(e) }] }),
    ));
  }

  async predict(): Promise<Prediction> {
    const profile = await this.profileNow();
    const { lifecycle } = await this.withCatalog();
    if (!lifecycle) throw new LocalrecError('not_ready', `predict() is unavailable: ${this.lifecycleError}.`);
    return predict(profile, lifecycle, this.now());
  }

  async profile(): Promise<ProfileSnapshot> {
    const profile = await this.profileNow();
    const { catalog } = await this.withCatalog();
    return this.snapshot(profile, catalog, await this.slot.storage.countEvents().catch(() => 0));
  }

  private snapshot(p: Profile, catalog: Catalog, storedEvents: number): ProfileSnapshot {
    const lifecycle = this.loaded?.lifecycle;
    const now = this.now();
    return { ...readableProfile(p, catalog, storedEvents, now), lifecycle: lifecycle ? predict(p, lifecycle, now) : null };
  }

  async removeInterest(input: unknown): Promise<ProfileSnapshot> {
    const interest = parseInterest(input);
    await this.profileNow();
    const { catalog } = await this.withCatalog();
    return this.writes.run(async () => {
      const next = suppressInterest(structuredClone(this.profileState!), interest);
      await this.persist([], next);
      this.profileState = next;
      this.slot.tabs?.announce();
      this.changed();
      return this.snapshot(next, catalog, await this.slot.storage.countEvents().catch(() => 0));
    });
  }

  async setConsent(input: unknown): Promise<Diagnostics> {
    if (input !== 'granted' && input !== 'denied' && input !== 'pending') {
      throw new LocalrecError('invalid_argument', 'setConsent() takes "granted", "denied" or "pending".', 'consent');
    }
    await this.profileNow();
    await this.batcher.flush();
    return this.writes.run(async () => {
      const from = this.consent;
      if (from === input) return this.diagnosticsNow();
      const memory = this.slot.storage.mode === 'memory' ? await this.slot.storage.readEvents() : [];
      this.consent = input;
      // Our own connection closed first, so deleting the database is not held up by it.
      if (input === 'denied') this.slot.storage.close();
      await this.slot.useFor(input);
      if (input === 'denied') {
        this.profileState = emptyProfile(this.profileState!.dim, this.now());
        this.lastEvent = undefined;
        this.knownIds.clear();
        this.changed();
      } else if (input === 'granted' && from === 'pending' && this.slot.storage.mode === 'indexeddb') {
        // What was learned while consent was pending is kept now that it may be.
        await this.persist(memory.map(({ event, eventId }) => (eventId === undefined ? { event } : { event, eventId })), this.profileState!);
      }
      return this.diagnosticsNow();
    });
  }

  async exportData(): Promise<ExportedData> {
    const profile = await this.profileNow();
    const events = await this.slot.storage.readEvents();
    const readable = this.loaded ? readableProfile(profile, this.loaded.catalog, events.length, this.now()) : null;
    return {
      format: 'localrec-export', exportedAt: new Date(this.now()).toISOString(), consent: this.consent, storage: this.slot.status(),
      profile: JSON.parse(JSON.stringify(profile, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v))) as Record<string, unknown>,
      readable, events: events.map((e) => ({ id: e.id, ...e.event })),
    };
  }

  async forget(): Promise<void> {
    await this.profileNow();
    await this.batcher.flush();
    return this.writes.run(async () => {
      // The database goes with its key and every cache; a fresh one (and key) is opened for what
      // comes next. Under the tabs' lock, so no other tab writes its copy back in between.
      const tabs = this.slot.tabs;
      const wipe = async () => {
        await this.slot.storage.destroy();
        await this.slot.useFor(this.consent);
      };
      await (tabs ? tabs.withLock(wipe) : wipe());
      this.profileState = emptyProfile(this.loaded?.catalog.dim ?? this.profileState!.dim, this.now());
      this.lastEvent = undefined;
      this.knownIds.clear();
      this.slot.tabs?.announce('forgot');
      this.changed();
    });
  }

  async diagnostics(): Promise<Diagnostics> {
    this.alive();
    await this.base;
    return this.diagnosticsNow();
  }

  private diagnosticsNow(): Diagnostics {
    const out: Diagnostics = {
      storage: this.slot.status(), consent: this.consent, batchesWritten: this.batches,
      catalog: { version: this.loaded?.catalog.version ?? null, ...(this.catalogError ? { error: this.catalogError } : {}) },
      tabsCoordinated: this.slot.tabs !== undefined,
      automated: automatedView(this.profileState, this.now()),
    };
    if (this.lastWriteMs !== undefined) out.lastWriteMs = this.lastWriteMs;
    const sources = this.sources.snapshot();
    if (sources) out.sources = sources;
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.batcher.flush().catch(() => undefined);
    await this.writes.settled();
    // A catalog still waiting for its quiet spell is written now: closing is no reason to download it again.
    await this.writePendingCatalog();
    this.closed = true;
    if (this.loaded?.scoring.kind === 'tfjs') this.loaded.scoring.scorer.dispose();
    for (const scorer of this.retired) scorer.dispose();
    this.retired.clear();
    this.slot.close();
  }
}

/**
 * The options with their URLs made absolute against `base` (the page's URL, which the script-tag
 * facade passes): relative URLs are the page's, as documented, not the worker's (a blob: worker,
 * started for a CDN, could not resolve them at all). Strings that are not URLs are left for the
 * download to report.
 */
function fromBase(options: EngineOptions): EngineOptions {
  if (typeof options?.base !== 'string') return options;
  const out: Record<string, unknown> = { ...options };
  for (const key of ['catalog', 'bundle', 'lifecycle', 'purchaseModel', 'rules'] as const) {
    try {
      if (typeof out[key] === 'string') out[key] = new URL(out[key] as string, options.base).href;
    } catch {
      // Not a URL.
    }
  }
  return out as unknown as EngineOptions;
}

/** What the profile says about automated traffic, for diagnostics(). */
function automatedView(p: Profile | undefined, now: number): Diagnostics['automated'] {
  const t = p?.automated;
  const w = p?.botWatch;
  return { now: w?.judged !== undefined && now - w.last <= PROFILE_SETTINGS.sessionGapMs, visits: t?.visits ?? 0, ignoredEvents: t?.ignored ?? 0, ...(t?.last ? { last: { ...t.last } } : {}) };
}

/** The page-given id of a tracked event, when it is one the engine keeps (a string of at most 128 characters). */
function eventIdOf(meta: TrackMeta | undefined): string | undefined {
  return typeof meta?.eventId === 'string' && meta.eventId.length <= 128 ? meta.eventId : undefined;
}

/** A failed call of trackMany(), as the page's facade turns it back into its LocalrecError. */
function outcomeOf(e: unknown): TrackOutcome {
  const err = e instanceof LocalrecError ? e : new LocalrecError('invalid_event', message(e));
  return { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
