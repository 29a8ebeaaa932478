import { transferHandlers, wrap, proxy, releaseProxy, type Remote } from 'comlink';
import { LocalrecError } from '../core/errors';
import {
  installErrorTransfer, type EngineApi, type EngineEvent, type EngineOptions, type Prediction,
  type ProfileSnapshot, type Progress, type ReadyInfo, type RecommendRequest, type RecommendResult, type StageChange, type TrackEvent, type TrackResult,
} from '../protocol';

export type { StageChange };


export interface LocalrecOptions extends EngineOptions {
  /** Called with catalog download progress (plain data, for a progress bar). */
  onProgress?: (p: Progress) => void;
  /** Start the worker yourself (for example from a URL your bundler emits). Default: the bundled worker. */
  createWorker?: () => Worker;
}

/** The object `createLocalrec()` returns. Every method returns a promise and never blocks the page. */
export interface Localrec {
  /** Resolves when the catalog is loaded, the profile read and the backend chosen. */
  ready(): Promise<ReadyInfo>;
  /** Records a behaviour event. `time` defaults to now. Rejects with `invalid_event` naming the bad field; nothing is stored then. */
  track(event: TrackEvent): Promise<TrackResult>;
  /** Ranks the catalog (or `candidates`) for this shopper, with reasons. */
  recommend(request?: Partial<RecommendRequest>): Promise<RecommendResult>;
  /** A readable snapshot of what the SDK believes about this shopper. */
  profile(): Promise<ProfileSnapshot>;
  /**
   * Lifecycle figures for this shopper, each with its reason: P(alive), expected purchases and
   * value, P(purchase in this session), stage. Needs `lifecycle` and `purchaseModel` options.
   */
  predict(): Promise<Prediction>;
  /** Calls `listener` whenever the lifecycle stage changes; returns a function that unsubscribes. */
  onStageChange(listener: (change: StageChange) => void): () => void;
  /** Removes an interest listed in `profile()` ("category:Home > Candles", "brand:Regency"); ranking then respects it. */
  removeInterest(interest: string): Promise<ProfileSnapshot>;
  /** Wipes everything stored on this device (events, profile, caches). */
  forget(): Promise<void>;
  /** Stops the worker. Later calls reject with `destroyed`. */
  destroy(): Promise<void>;
}

/**
 * Starts the engine in a Web Worker and returns the tiny page-side facade. Calls made before the
 * worker is ready are queued in order by the worker itself (each keeps its own promise).
 */
export function createLocalrecWith(defaultWorker: () => Worker, options: LocalrecOptions): Localrec {
  installErrorTransfer(transferHandlers);
  const { onProgress, createWorker, ...engineOptions } = options;
  const worker = (createWorker ?? defaultWorker)();
  const engine: Remote<EngineApi> = wrap<EngineApi>(worker);
  let destroyed = false;
  const alive = () => {
    if (destroyed) throw new LocalrecError('destroyed', 'This localrec instance was destroyed; call createLocalrec() again.');
  };
  const stageListeners = new Set<(change: StageChange) => void>();
  const notify = (e: EngineEvent) => {
    if (e.type === 'progress') onProgress?.(e.progress);
    else for (const listener of stageListeners) listener({ from: e.from, to: e.to, prediction: e.prediction });
  };
  const started = engine.init(engineOptions, proxy(notify));
  // Nobody may call ready(): keep an early failure from surfacing as an unhandled rejection.
  started.catch(() => undefined);

  return {
    ready: () => started,
    async track(event) {
      alive();
      // The page knows when the event happened; stamp it here, not after the hop to the worker.
      const stamped = typeof event === 'object' && event !== null && event.time === undefined ? { ...event, time: Date.now() } : event;
      return engine.track(stamped);
    },
    async recommend(request = {}) {
      alive();
      return engine.recommend({ k: 10, ...request });
    },
    async profile() {
      alive();
      return engine.profile();
    },
    async predict() {
      alive();
      return engine.predict();
    },
    onStageChange(listener) {
      stageListeners.add(listener);
      return () => stageListeners.delete(listener);
    },
    async removeInterest(interest) {
      alive();
      return engine.removeInterest(interest);
    },
    async forget() {
      alive();
      return engine.forget();
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      stageListeners.clear();
      try {
        await engine.close();
      } finally {
        engine[releaseProxy]();
        worker.terminate();
      }
    },
  };
}
