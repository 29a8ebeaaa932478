import type { Catalog } from '../src/core/catalog';
import { LocalrecError } from '../src/core/errors';
import { isDuplicate, validateEvent, type CleanEvent } from '../src/core/events';
import { predict, type LifecycleModels, type Prediction } from '../src/core/predict';
import { parseInterest, suppressInterest } from '../src/core/profile/interests';
import { readableProfile } from '../src/core/profile/readable';
import { emptyProfile, fitProfileToDim, type Profile } from '../src/core/profile/state';
import { updateProfile } from '../src/core/profile/update';
import { candidateIndices } from '../src/core/ranking/candidates';
import { queryVector } from '../src/core/ranking/query';
import { rank } from '../src/core/ranking/rank';
import { validateRequest } from '../src/core/ranking/request';
import type { CatalogSequenceRanker } from '../src/core/ranking/signals/sequence';
import type {
  BackendReport, EngineApi, EngineEvent, EngineOptions, ProfileSnapshot, Progress, ReadyInfo, RecommendResult, TrackResult,
} from '../src/protocol';
import { loadCatalog } from './catalog-loader';
import type { Fetcher } from './downloads';
import { loadLifecycle } from './lifecycle-loader';
import { TfScorer } from './scorer';
import type { EngineStorage } from './storage';
import { WriteQueue } from './write-queue';

/** What the engine needs from its host: the worker gives real ones, tests give Node ones. */
export interface EngineHost {
  chooseBackend(rows: number, dim: number, forced?: BackendReport['name']): Promise<BackendReport>;
  fetch: Fetcher;
  /** Opens the storage named `name` (IndexedDB in the worker). */
  openStorage(name: string): Promise<EngineStorage>;
  /** Loads the optional ranking bundle, bound to the catalog. */
  loadBundle?(url: string, catalog: Catalog): Promise<CatalogSequenceRanker>;
  now?(): number;
}

/** What the engine holds once started. */
interface Loaded {
  storage: EngineStorage;
  catalog: Catalog;
  scorer: TfScorer;
  backend: BackendReport;
  sequence: CatalogSequenceRanker | undefined;
  lifecycle: LifecycleModels | undefined;
}

/**
 * The engine behind the worker. It does the IO around the pure core: it loads and caches, keeps
 * the catalog resident on the tfjs backend, queues writes, persists each profile the core
 * computes, and notifies the page. Calls made before `init` settles wait for it.
 */
export class Engine implements EngineApi {
  private loaded: Loaded | undefined;
  /** Kept apart from `loaded` so close() releases it even when start-up failed after opening it. */
  private storage: EngineStorage | undefined;
  private profileState: Profile | undefined;
  private lifecycleError = 'no lifecycle parameters or purchase model were given to createLocalrec()';
  private notify: ((e: EngineEvent) => void) | undefined;
  private started: Promise<ReadyInfo> | undefined;
  private closed = false;
  private lastEvent: CleanEvent | undefined;
  private readonly writes = new WriteQueue();

  constructor(private readonly host: EngineHost) {}

  private now(): number {
    return this.host.now?.() ?? Date.now();
  }

  init(options: EngineOptions, notify?: (e: EngineEvent) => void): Promise<ReadyInfo> {
    this.notify = notify;
    this.started ??= this.start(options, notify ? (progress) => notify({ type: 'progress', progress }) : undefined);
    return this.started;
  }

  private async start(options: EngineOptions, onProgress?: (p: Progress) => void): Promise<ReadyInfo> {
    const t0 = performance.now();
    const storage = await this.host.openStorage(options.dbName ?? 'localrec');
    this.storage = storage;
    const catalog = await loadCatalog(options.catalog, storage, this.host.fetch, onProgress);
    const stored = await storage.loadProfile();
    this.profileState = stored ? fitProfileToDim(stored, catalog.dim) : emptyProfile(catalog.dim, this.now());
    const backend = await this.host.chooseBackend(catalog.items.length, catalog.dim, options.backend);
    const scorer = new TfScorer(catalog.dim);
    scorer.load(catalog.matrix, catalog.items.length);
    // The catalog alone still ranks and predicts nothing: optional files that fail are reported, not fatal.
    const [sequence, lifecycle] = await Promise.allSettled([this.sequenceFor(options, catalog), this.lifecycleFor(options)]);
    this.loaded = {
      storage, catalog, scorer, backend,
      sequence: sequence.status === 'fulfilled' ? sequence.value : undefined,
      lifecycle: lifecycle.status === 'fulfilled' ? lifecycle.value : undefined,
    };
    if (lifecycle.status === 'rejected') this.lifecycleError = message(lifecycle.reason);
    onProgress?.({ status: 'ready', version: catalog.version, items: catalog.items.length });
    return {
      catalogVersion: catalog.version, items: catalog.items.length, hashedItems: catalog.hashedItems,
      backend, bundleItems: this.loaded.sequence?.matched ?? 0, startupMs: Math.round(performance.now() - t0),
      ...(sequence.status === 'rejected' ? { bundleError: message(sequence.reason) } : {}),
      lifecycle: this.loaded.lifecycle ? { ready: true } : { ready: false, reason: this.lifecycleError },
    };
  }

  private async sequenceFor(options: EngineOptions, catalog: Catalog): Promise<CatalogSequenceRanker | undefined> {
    return options.bundle && this.host.loadBundle ? this.host.loadBundle(options.bundle, catalog) : undefined;
  }

  private async lifecycleFor(options: EngineOptions): Promise<LifecycleModels | undefined> {
    if (options.lifecycle === undefined || options.purchaseModel === undefined) return undefined;
    return loadLifecycle(options.lifecycle, options.purchaseModel, options.stageThresholds ?? {}, this.host.fetch);
  }

  private async ready(): Promise<Loaded & { profile: Profile }> {
    if (this.closed) throw new LocalrecError('destroyed', 'This localrec instance was destroyed; create a new one.');
    if (!this.started) throw new LocalrecError('not_ready', 'Call init() before using the engine.');
    await this.started;
    return { ...this.loaded!, profile: this.profileState! };
  }

  /** For readers: waits for queued writes, so a read sees every track() called before it. */
  private async settled(): Promise<Loaded & { profile: Profile }> {
    await this.ready();
    await this.writes.settled();
    return this.ready();
  }

  async track(input: unknown): Promise<TrackResult> {
    const event = validateEvent(input, this.now());
    return this.writes.run(async (): Promise<TrackResult> => {
      const { storage, catalog, lifecycle, profile } = await this.ready();
      if (isDuplicate(this.lastEvent, event)) return { stored: false, reason: 'duplicate' };
      const { profile: next, stageChange } = updateProfile(profile, event, { catalog, lifecycle, now: this.now() });
      // Swapped in only once stored: a failed write leaves memory and disk as they were.
      const id = await storage.appendEvent(event, next);
      this.profileState = next;
      this.lastEvent = event;
      if (stageChange) this.notify?.({ type: 'stage', ...stageChange });
      return { stored: true, id };
    });
  }

  async recommend(input: unknown): Promise<RecommendResult> {
    const request = validateRequest(input);
    const { catalog, profile, scorer, sequence, backend } = await this.settled();
    const t0 = performance.now();
    const now = this.now();
    const candidates = candidateIndices(catalog, request);
    const q = queryVector(profile, catalog, now, request.context);
    const similarity = q ? await scorer.score(q, request.candidates ? candidates : undefined) : new Float32Array(candidates.length);
    const ctx = { catalog, profile, request, now, sequence: sequence?.scoresFor(profile) };
    const items = rank(ctx, candidates, similarity);
    return { items, backend: backend.name, tookMs: Math.round((performance.now() - t0) * 100) / 100 };
  }

  async predict(): Promise<Prediction> {
    const { profile, lifecycle } = await this.settled();
    if (!lifecycle) throw new LocalrecError('not_ready', `predict() is unavailable: ${this.lifecycleError}.`);
    return predict(profile, lifecycle, this.now());
  }

  async profile(): Promise<ProfileSnapshot> {
    const { storage, profile } = await this.settled();
    return this.snapshot(profile, await storage.countEvents());
  }

  private snapshot(p: Profile, storedEvents: number): ProfileSnapshot {
    const { catalog, lifecycle } = this.loaded!;
    const now = this.now();
    return { ...readableProfile(p, catalog, storedEvents, now), lifecycle: lifecycle ? predict(p, lifecycle, now) : null };
  }

  async removeInterest(input: unknown): Promise<ProfileSnapshot> {
    const interest = parseInterest(input);
    return this.writes.run(async () => {
      const { storage, profile } = await this.ready();
      const next = suppressInterest(structuredClone(profile), interest);
      await storage.saveProfile(next);
      this.profileState = next;
      return this.snapshot(next, await storage.countEvents());
    });
  }

  async forget(): Promise<void> {
    return this.writes.run(async () => {
      const { storage, catalog } = await this.ready();
      await storage.clear();
      this.profileState = emptyProfile(catalog.dim, this.now());
      this.lastEvent = undefined;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writes.settled();
    this.closed = true;
    this.loaded?.scorer.dispose();
    this.storage?.close();
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
