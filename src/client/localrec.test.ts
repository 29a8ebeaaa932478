/**
 * The page-side facade against a fake engine exposed with comlink on the far end of a Node
 * MessageChannel: what a storefront sees of errors, defaults, notifications and destroy().
 * Both ends share this process's comlink, so the facade's error transfer serves the engine too
 * (in the browser the worker installs its own).
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose, finalizer, type Endpoint } from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalrecError } from '../core/errors';
import type {
  EngineApi, EngineEvent, EngineOptions, Prediction, ReadyInfo, RecommendResult, TrackResult,
} from '../protocol';
import { createLocalrecWith, type LocalrecOptions } from './localrec';

const READY: ReadyInfo = {
  catalogVersion: 'test-1', items: 8, hashedItems: 8, backend: { name: 'cpu', measured: [] }, bundleItems: 0,
  lifecycle: { ready: true }, startupMs: 3,
};

const PREDICTION: Prediction = {
  pAlive: 0.9, expectedPurchases30d: 0.4, expectedPurchases90d: 1.1, purchaseProbability: 0.2, stage: 'active', highValue: false,
  reasons: { history: 'h', pAlive: 'a', expectedPurchases: 'e', stage: 's', highValue: 'v', purchaseProbability: 'p' },
  session: { events: 3, views: 2, addToCart: 1, cartValue: 5.9 },
};

const notUsed = (): Promise<never> => Promise.reject(new Error('not used by these tests'));

/** Records what reaches the worker side; `emit` plays the engine telling the page something. */
class FakeEngine implements EngineApi {
  readonly received = { init: [] as EngineOptions[], track: [] as unknown[], recommend: [] as unknown[] };
  closed = 0;
  released = false;
  private notify: ((e: EngineEvent) => void) | undefined;

  async init(options: EngineOptions, notify?: (e: EngineEvent) => void): Promise<ReadyInfo> {
    this.received.init.push(options);
    this.notify = notify;
    await this.emit({ type: 'progress', progress: { status: 'download', url: '/catalog.json' } });
    return READY;
  }
  async track(event: unknown): Promise<TrackResult> {
    this.received.track.push(event);
    return { stored: true, id: this.received.track.length };
  }
  async recommend(request: unknown): Promise<RecommendResult> {
    this.received.recommend.push(request);
    return { items: [], backend: 'cpu', tookMs: 1 };
  }
  profile = notUsed;
  predict = notUsed;
  removeInterest = notUsed;
  forget = notUsed;
  async close(): Promise<void> {
    this.closed++;
  }
  /** Comlink calls this when the page releases its proxy. */
  [finalizer](): void {
    this.released = true;
  }

  /** Resolves once the page has run its callback (notify is a comlink proxy on this side). */
  async emit(e: EngineEvent): Promise<void> {
    await this.notify?.(e);
  }
}

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
  vi.restoreAllMocks();
});

/** A port that stands in for the engine Worker, with the fake engine on its other end. */
function connect(engine: FakeEngine) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  // Node's ports are EventTargets at run time, but their typings only describe the EventEmitter side.
  expose(engine, port2 as unknown as Endpoint);
  const terminate = vi.fn();
  return { worker: Object.assign(port1, { terminate }) as unknown as Worker, terminate };
}

function start(engine: FakeEngine, options: Partial<LocalrecOptions> = {}) {
  const { worker, terminate } = connect(engine);
  return { rec: createLocalrecWith(() => worker, { catalog: '/catalog.json', ...options }), terminate };
}

describe('createLocalrecWith (page-side facade)', () => {
  it('delivers a LocalrecError thrown in the engine as a LocalrecError with its code and field', async () => {
    const engine = new (class extends FakeEngine {
      override async track(): Promise<TrackResult> {
        throw new LocalrecError('invalid_event', 'track(): `itemId` must be a non-empty string.', 'itemId');
      }
    })();
    const { rec } = start(engine);
    const error = await rec.track({ type: 'view', itemId: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalrecError);
    expect(error).toMatchObject({ code: 'invalid_event', field: 'itemId', message: 'track(): `itemId` must be a non-empty string.' });
  });

  it('starts the worker the page supplies and sends the engine only its options', async () => {
    const engine = new FakeEngine();
    const { worker } = connect(engine);
    const bundled = vi.fn((): Worker => {
      throw new Error('the bundled worker must not start when createWorker is given');
    });
    const rec = createLocalrecWith(bundled, { catalog: '/catalog.json', dbName: 'shop-1', createWorker: () => worker, onProgress: () => undefined });
    await expect(rec.ready()).resolves.toEqual(READY);
    expect(bundled).not.toHaveBeenCalled();
    expect(engine.received.init).toEqual([{ catalog: '/catalog.json', dbName: 'shop-1' }]);
  });

  it('stamps time on a tracked event that has none and keeps a time the page gave', async () => {
    const engine = new FakeEngine();
    const { rec } = start(engine);
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    await rec.track({ type: 'view', itemId: '85123A' });
    await rec.track({ type: 'add_to_cart', itemId: '85123A', quantity: 1, time: 1_600_000_000_000 });
    expect(engine.received.track).toEqual([
      { type: 'view', itemId: '85123A', time: 1_700_000_000_000 },
      { type: 'add_to_cart', itemId: '85123A', quantity: 1, time: 1_600_000_000_000 },
    ]);
  });

  it('asks for 10 items unless told otherwise and passes the rest of the request on', async () => {
    const engine = new FakeEngine();
    const { rec } = start(engine);
    await rec.recommend();
    await rec.recommend({ exclude: ['c1'], context: { itemId: 'k1' } });
    await rec.recommend({ k: 3, candidates: ['c2', 'k2'] });
    expect(engine.received.recommend).toEqual([
      { k: 10 },
      { k: 10, exclude: ['c1'], context: { itemId: 'k1' } },
      { k: 3, candidates: ['c2', 'k2'] },
    ]);
  });

  it('passes progress to onProgress and stage moves to stage listeners until they unsubscribe', async () => {
    const engine = new FakeEngine();
    const onProgress = vi.fn();
    const { rec } = start(engine, { onProgress });
    const first = vi.fn();
    const second = vi.fn();
    const unsubscribe = rec.onStageChange(first);
    rec.onStageChange(second);
    await rec.ready();
    await engine.emit({ type: 'progress', progress: { status: 'ready', version: 'test-1', items: 8 } });
    await engine.emit({ type: 'stage', from: null, to: 'new', prediction: PREDICTION });
    unsubscribe();
    await engine.emit({ type: 'stage', from: 'new', to: 'active', prediction: PREDICTION });

    expect(onProgress.mock.calls).toEqual([
      [{ status: 'download', url: '/catalog.json' }],
      [{ status: 'ready', version: 'test-1', items: 8 }],
    ]);
    expect(first.mock.calls).toEqual([[{ from: null, to: 'new', prediction: PREDICTION }]]);
    expect(second.mock.calls).toEqual([
      [{ from: null, to: 'new', prediction: PREDICTION }],
      [{ from: 'new', to: 'active', prediction: PREDICTION }],
    ]);
  });

  it('after destroy() closes the engine once, releases it, stops the worker and rejects every call with destroyed', async () => {
    const engine = new FakeEngine();
    const { rec, terminate } = start(engine);
    await rec.ready();
    await rec.destroy();
    await rec.destroy();
    expect(engine.closed).toBe(1);
    expect(terminate).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(engine.released).toBe(true));

    const calls = await Promise.allSettled([
      rec.track({ type: 'view', itemId: '85123A' }), rec.recommend(), rec.profile(), rec.predict(),
      rec.removeInterest('brand:Regency'), rec.forget(),
    ]);
    const codes = calls.map((c) => (c.status === 'rejected' && c.reason instanceof LocalrecError ? c.reason.code : c.status));
    expect(codes).toEqual(['destroyed', 'destroyed', 'destroyed', 'destroyed', 'destroyed', 'destroyed']);
  });

  it('keeps an engine that fails to start from raising an unhandled rejection; ready() reports the failure', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const engine = new (class extends FakeEngine {
        override async init(): Promise<ReadyInfo> {
          throw new LocalrecError('catalog_fetch_failed', 'Could not download /catalog.json (HTTP 404).');
        }
      })();
      const { rec } = start(engine);
      // Replies come back in order, so once a later call has its answer the failed init has reached
      // the page; one more turn of the event loop lets Node report a rejection nobody handled.
      await rec.recommend();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      const error = await rec.ready().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LocalrecError);
      expect(error).toMatchObject({ code: 'catalog_fetch_failed', message: 'Could not download /catalog.json (HTTP 404).' });
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
