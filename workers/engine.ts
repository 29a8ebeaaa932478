import { parseCatalog, type Catalog, type CatalogJson } from '../src/core/catalog';
import { LocalrecError } from '../src/core/errors';
import { isDuplicate, validateEvent, type CleanEvent } from '../src/core/events';
import {
  learnFromClosedSession, parseLifecyclePopulation, parsePurchaseModel, predict,
  type LifecyclePopulation, type LifecycleStage, type Prediction, type PurchaseModel, type StageThresholds,
} from '../src/core/predict';
import { affinityAt, applyEvent, emptyProfile, fitProfileToDim, suppressInterest, type Profile } from '../src/core/profile';
import { candidateIndices, queryVector, rank, validateRequest, type SessionSignal } from '../src/core/ranking/rank';
import type {
  BackendReport, EngineApi, EngineEvent, EngineOptions, ProfileSnapshot, Progress, ReadyInfo, RecommendResult, TrackResult,
} from '../src/protocol';
import { TfScorer } from './scorer';
import { Store } from './store';

/** What the engine needs from its host: the worker gives real ones, tests give Node ones. */
export interface EngineHost {
  chooseBackend(rows: number, dim: number, forced?: BackendReport['name']): Promise<BackendReport>;
  fetch(url: string): Promise<Response>;
  /** Loads the optional sequence bundle and returns a function that scores the current session. */
  loadBundle?(url: string, catalog: Catalog): Promise<BundleRanker>;
  now?(): number;
}

export interface BundleRanker {
  items: number;
  signal(profile: Profile): SessionSignal | undefined;
}

/**
 * The engine behind the worker: owns the store, the catalog on the tfjs backend and the profile.
 * Calls made before `init` settles wait for it (the worker's own pre-ready queue).
 */
export class Engine implements EngineApi {
  private store: Store | undefined;
  private catalog: Catalog | undefined;
  private profileState: Profile | undefined;
  private scorer: TfScorer | undefined;
  private backend: BackendReport | undefined;
  private bundle: BundleRanker | undefined;
  private lifecycle: { population: LifecyclePopulation; model: PurchaseModel; thresholds: Partial<StageThresholds> } | undefined;
  private lifecycleError = 'no lifecycle parameters or purchase model were given to createLocalrec()';
  private notify: ((e: EngineEvent) => void) | undefined;
  private started: Promise<ReadyInfo> | undefined;
  private closed = false;
  private lastEvent: CleanEvent | undefined;
  // One write at a time, so profile updates apply in the order track() was called.
  private writes: Promise<unknown> = Promise.resolve();

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
    this.store = await Store.open(options.dbName ?? 'localrec');
    this.catalog = await this.loadCatalog(options.catalog, onProgress);
    const stored = await this.store.loadProfile();
    this.profileState = stored ? fitProfileToDim(stored, this.catalog.dim) : emptyProfile(this.catalog.dim, this.now());
    this.backend = await this.host.chooseBackend(this.catalog.items.length, this.catalog.dim, options.backend);
    this.scorer = new TfScorer(this.catalog.dim);
    this.scorer.load(this.catalog.matrix, this.catalog.items.length);
    const [bundleError] = await Promise.all([this.loadBundle(options, this.catalog), this.loadLifecycle(options)]);
    onProgress?.({ status: 'ready', version: this.catalog.version, items: this.catalog.items.length });
    return {
      catalogVersion: this.catalog.version, items: this.catalog.items.length, hashedItems: this.catalog.hashedItems,
      backend: this.backend, bundleItems: this.bundle?.items ?? 0, startupMs: Math.round(performance.now() - t0),
      ...(bundleError ? { bundleError } : {}),
      lifecycle: this.lifecycle ? { ready: true } : { ready: false, reason: this.lifecycleError },
    };
  }

  /** The catalog alone still ranks: a missing or bad bundle is reported (returned), not fatal. */
  private async loadBundle(options: EngineOptions, catalog: Catalog): Promise<string | undefined> {
    if (!options.bundle || !this.host.loadBundle) return undefined;
    try {
      this.bundle = await this.host.loadBundle(options.bundle, catalog);
      return undefined;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** Lifecycle parameters and the purchase model are optional: without them predict() says why. */
  private async loadLifecycle(options: EngineOptions): Promise<void> {
    if (options.lifecycle === undefined || options.purchaseModel === undefined) return;
    const load = async (source: string | object) => {
      if (typeof source !== 'string') return source;
      const res = await this.host.fetch(source);
      if (!res.ok) throw new LocalrecError('catalog_fetch_failed', `${source} answered HTTP ${res.status}.`);
      return res.json() as Promise<unknown>;
    };
    try {
      const [population, model] = await Promise.all([load(options.lifecycle), load(options.purchaseModel)]);
      this.lifecycle = { population: parseLifecyclePopulation(population), model: parsePurchaseModel(model), thresholds: options.stageThresholds ?? {} };
    } catch (e) {
      this.lifecycleError = e instanceof Error ? e.message : String(e);
    }
  }

  /** A fresh download wins; if it fails or is invalid, the cached catalog for this source is used. */
  private async loadCatalog(source: string | CatalogJson, onProgress?: (p: Progress) => void): Promise<Catalog> {
    if (typeof source !== 'string') return parseCatalog(source);
    const store = this.store!;
    let fresh: Catalog | undefined;
    let failure: LocalrecError | undefined;
    try {
      const json = await this.download(source, onProgress);
      fresh = parseCatalog(json);
      await store.cacheCatalog(source, json as CatalogJson);
    } catch (e) {
      failure = e instanceof LocalrecError ? e : new LocalrecError('catalog_fetch_failed', `Could not load the catalog from ${source}: ${String(e)}`);
    }
    if (fresh) return fresh;
    const cached = await store.cachedCatalog(source);
    if (!cached) throw failure!;
    onProgress?.({ status: 'cached', version: cached.version });
    return parseCatalog(cached.json);
  }

  private async download(url: string, onProgress?: (p: Progress) => void): Promise<unknown> {
    onProgress?.({ status: 'download', url });
    const res = await this.host.fetch(url);
    if (!res.ok) throw new LocalrecError('catalog_fetch_failed', `The catalog URL ${url} answered HTTP ${res.status}.`);
    const total = Number(res.headers.get('content-length')) || null;
    let text: string;
    if (res.body && onProgress) {
      const reader = res.body.getReader();
      const chunks: Uint8Array[] = [];
      let loaded = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.length;
        onProgress({ status: 'progress', loaded, total });
      }
      const all = new Uint8Array(loaded);
      let at = 0;
      for (const c of chunks) { all.set(c, at); at += c.length; }
      text = new TextDecoder().decode(all);
    } else {
      text = await res.text();
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new LocalrecError('invalid_catalog', `The catalog at ${url} is not valid JSON; the previous catalog is kept.`);
    }
  }

  private async ready(): Promise<{ store: Store; catalog: Catalog; profile: Profile; scorer: TfScorer }> {
    if (this.closed) throw new LocalrecError('destroyed', 'This localrec instance was destroyed; create a new one.');
    if (!this.started) throw new LocalrecError('not_ready', 'Call init() before using the engine.');
    await this.started;
    return { store: this.store!, catalog: this.catalog!, profile: this.profileState!, scorer: this.scorer! };
  }

  /** For readers: waits for queued writes, so a read sees every track() called before it. */
  private async settled(): Promise<{ store: Store; catalog: Catalog; profile: Profile; scorer: TfScorer }> {
    await this.ready();
    await this.writes;
    return this.ready();
  }

  async track(input: unknown): Promise<TrackResult> {
    const event = validateEvent(input, this.now());
    const run = this.writes.then(async (): Promise<TrackResult> => {
      const { store, catalog, profile } = await this.ready();
      if (isDuplicate(this.lastEvent, event)) return { stored: false, reason: 'duplicate' };
      // Update a copy and swap it in only once stored: a failed write leaves memory and disk as they were.
      const next = structuredClone(profile);
      const life = this.lifecycle;
      if (life) {
        const personal = learnFromClosedSession(next, life.population, life.model, event.time, next.personalModel);
        if (personal) next.personalModel = personal;
      }
      applyEvent(next, event, catalog);
      const change = this.stageChange(next);
      const id = await store.appendEvent(event, next);
      this.profileState = next;
      this.lastEvent = event;
      if (change) this.notify?.(change);
      return { stored: true, id };
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  async recommend(input: unknown): Promise<RecommendResult> {
    const request = validateRequest(input);
    const { catalog, profile, scorer } = await this.settled();
    const t0 = performance.now();
    const now = this.now();
    const candidates = candidateIndices(catalog, request);
    const q = queryVector(profile, catalog, now, request.context);
    const similarity = q ? await scorer.score(q, request.candidates ? candidates : undefined) : new Float32Array(candidates.length);
    const items = rank({ catalog, profile, request, now, candidates, similarity, session: this.bundle?.signal(profile) });
    return { items, backend: this.backend!.name, tookMs: Math.round((performance.now() - t0) * 100) / 100 };
  }

  /** Sets `p.stage` and returns the event to announce when the lifecycle stage moved. */
  private stageChange(p: Profile): EngineEvent | undefined {
    if (!this.lifecycle) return undefined;
    const prediction = this.prediction(p);
    const from = (p.stage ?? null) as LifecycleStage | null;
    if (from === prediction.stage) return undefined;
    p.stage = prediction.stage;
    return { type: 'stage', from, to: prediction.stage, prediction };
  }

  private prediction(p: Profile): Prediction {
    const { population, model, thresholds } = this.lifecycle!;
    return predict(p, population, model, this.now(), thresholds, p.personalModel);
  }

  async predict(): Promise<Prediction> {
    const { profile } = await this.settled();
    if (!this.lifecycle) throw new LocalrecError('not_ready', `predict() is unavailable: ${this.lifecycleError}.`);
    return this.prediction(profile);
  }

  async profile(): Promise<ProfileSnapshot> {
    const { store, catalog, profile } = await this.settled();
    return this.snapshot(profile, catalog, await store.countEvents());
  }

  private snapshot(p: Profile, catalog: Catalog, storedEvents: number): ProfileSnapshot {
    return { ...readableProfile(p, catalog, storedEvents, this.now()), lifecycle: this.lifecycle ? this.prediction(p) : null };
  }

  async removeInterest(interest: unknown): Promise<ProfileSnapshot> {
    if (typeof interest !== 'string' || !/^(category|brand):./.test(interest)) {
      throw new LocalrecError('invalid_argument', 'removeInterest() takes "category:<path>" or "brand:<name>", as listed in profile().', 'interest');
    }
    const run = this.writes.then(async () => {
      const { store, catalog } = await this.ready();
      const next = suppressInterest(structuredClone(this.profileState!), interest);
      await store.saveProfile(next);
      this.profileState = next;
      return this.snapshot(next, catalog, await store.countEvents());
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  async forget(): Promise<void> {
    const run = this.writes.then(async () => {
      const { store, catalog } = await this.ready();
      await store.clear();
      this.profileState = emptyProfile(catalog.dim, this.now());
      this.lastEvent = undefined;
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.writes;
    this.closed = true;
    this.scorer?.dispose();
    this.store?.close();
  }
}

function top(rec: Record<string, { score: number; time: number }>, now: number, n: number) {
  return Object.entries(rec)
    .map(([key, a]) => ({ key, score: Math.round(affinityAt(a, now) * 100) / 100 }))
    .filter((a) => a.score > 0)
    .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key))
    .slice(0, n);
}

/** Turns the stored profile into the readable view `profile()` returns (lifecycle figures added by the engine). */
export function readableProfile(p: Profile, catalog: Catalog, storedEvents: number, now: number): Omit<ProfileSnapshot, 'lifecycle'> {
  const title = (id: string) => {
    const i = catalog.index.get(id);
    return i === undefined ? id : catalog.items[i]!.title;
  };
  const band = top(p.priceBands, now, 1)[0];
  const lo = (b: number) => (b <= 0 ? 0 : Math.pow(2.5, b - 3));
  const cur = catalog.currency;
  const money = (v: number) => `${v.toFixed(2)} ${cur}`;
  // Leaf categories only read best ("Home > Candles"), parents are implied.
  const leaves = top(p.categories, now, 50).filter((c, _, all) => !all.some((o) => o.key.startsWith(`${c.key} > `)));
  return {
    firstSeen: p.firstSeen, lastSeen: p.lastSeen, sessions: p.sessions, events: { ...p.counts }, storedEvents,
    topCategories: leaves.slice(0, 5),
    topBrands: top(p.brands, now, 5),
    priceBand: band ? { band: Number(band.key), range: `${money(lo(Number(band.key)))} – ${money(lo(Number(band.key) + 1))}` } : null,
    recent: p.recent.slice(-10).reverse().map((r) => ({ itemId: r.itemId, title: title(r.itemId), type: r.type, time: r.time })),
    cart: Object.entries(p.cart).map(([itemId, quantity]) => ({ itemId, quantity })),
    purchases: {
      count: p.purchases.length,
      totalValue: Math.round(p.purchases.reduce((s, x) => s + x.value, 0) * 100) / 100,
      last: p.purchases.at(-1)?.time ?? null,
    },
    suppressed: [...p.suppressed],
  };
}
