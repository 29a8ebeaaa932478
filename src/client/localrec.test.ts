/**
 * The page-side facade against a fake engine exposed with comlink on the far end of a Node
 * MessageChannel: what a storefront sees of errors, defaults, notifications and destroy().
 * Both ends share this process's comlink, so the facade's error transfer serves the engine too
 * (in the browser the worker installs its own).
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { expose, finalizer, type Endpoint } from 'comlink';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalrecError } from '../core/errors';
import type {
  EngineApi, EngineEvent, EngineOptions, Prediction, ReadyInfo, RecommendResult, TrackCall, TrackMeta, TrackOutcome, TrackResult,
} from '../protocol';
import { createLocalrecWith, type LocalrecOptions } from './localrec';

const loadSources = () => import('./sources');
import { MAX_RESTARTS, TICK_MS } from './supervisor';

const READY: ReadyInfo = {
  catalogVersion: 'test-1', items: 8, hashedItems: 8, backend: { name: 'cpu', measured: [] }, bundleItems: 0,
  lifecycle: { ready: true }, storage: { mode: 'indexeddb' }, consent: 'granted', startupMs: 3,
};

const PREDICTION: Prediction = {
  pAlive: 0.9, expectedPurchases30d: 0.4, expectedPurchases90d: 1.1, purchaseProbability: 0.2, stage: 'active', highValue: false,
  reasons: { history: 'h', pAlive: 'a', expectedPurchases: 'e', stage: 's', highValue: 'v', purchaseProbability: 'p' },
  session: { events: 3, views: 2, addToCart: 1, cartValue: 5.9 },
};

const notUsed = (): Promise<never> => Promise.reject(new Error('not used by these tests'));

/** Records what reaches the worker side; `emit` plays the engine telling the page something. */
class FakeEngine implements EngineApi {
  readonly received = {
    init: [] as EngineOptions[], track: [] as unknown[], meta: [] as (TrackMeta | undefined)[], batches: [] as number[], recommend: [] as unknown[],
    related: [] as unknown[][], rerank: [] as unknown[][],
  };
  closed = 0;
  flushed = 0;
  released = false;
  /** Tracks after this many are taken in but never answered, as by a worker about to die. */
  answeredTracks = Infinity;
  private notify: ((e: EngineEvent) => void) | undefined;

  async init(options: EngineOptions, notify?: (e: EngineEvent) => void): Promise<ReadyInfo> {
    this.received.init.push(options);
    this.notify = notify;
    await this.emit({ type: 'progress', progress: { status: 'download', url: '/catalog.json' } });
    return READY;
  }
  async track(event: unknown, meta?: TrackMeta): Promise<TrackResult> {
    this.received.track.push(event);
    this.received.meta.push(meta);
    if (this.received.track.length > this.answeredTracks) return new Promise(() => undefined);
    return { stored: true, id: this.received.track.length, durable: true };
  }
  async recommend(request: unknown): Promise<RecommendResult> {
    this.received.recommend.push(request);
    return { items: [], backend: 'cpu', tookMs: 1 };
  }
  async related(itemId: unknown, options?: unknown): Promise<RecommendResult> {
    this.received.related.push([itemId, options]);
    return { items: [], backend: 'cpu', tookMs: 1, placement: 'pdp' };
  }
  async rerank(ids: unknown, options?: unknown): Promise<RecommendResult> {
    this.received.rerank.push([ids, options]);
    return { items: [], backend: 'cpu', tookMs: 1 };
  }
  /** As the engine does it: each call settles on its own, the batch answers once all have. */
  async trackMany(calls: TrackCall[]): Promise<TrackOutcome[]> {
    this.received.batches.push(calls.length);
    return Promise.all(calls.map((c) => this.track(c.event, c.meta).then(
      (ok): TrackOutcome => ({ ok }),
      (e: LocalrecError): TrackOutcome => ({ error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } }),
    )));
  }
  async flush(): Promise<void> {
    this.flushed++;
  }
  async ping(): Promise<'pong'> {
    return 'pong';
  }
  profile = notUsed;
  predict = notUsed;
  setConsent = notUsed;
  exportData = notUsed;
  diagnostics = notUsed;
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
beforeEach(() => {
  // Only the heartbeat's clock is faked: messages still cross the channel in real time.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
  for (const port of ports.splice(0)) port.close();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

/**
 * A port that stands in for the engine Worker, with the fake engine on its other end. `kill()`
 * silences it as terminate() or a crash would (no event at all); `raise()` dispatches a Worker event.
 */
function connect(engine: FakeEngine) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  // Node's ports are EventTargets at run time, but their typings only describe the EventEmitter side.
  expose(engine, port2 as unknown as Endpoint);
  const terminate = vi.fn();
  return {
    worker: Object.assign(port1, { terminate }) as unknown as Worker,
    terminate,
    kill: () => port2.close(),
    raise: (type: 'error' | 'messageerror') => (port1 as unknown as EventTarget).dispatchEvent(new Event(type)),
  };
}

function start(engine: FakeEngine, options: Partial<LocalrecOptions> = {}) {
  const { worker, terminate } = connect(engine);
  return { rec: createLocalrecWith(() => worker, { catalog: '/catalog.json', ...options }, loadSources), terminate };
}

/** A createWorker that starts a fresh fake engine each time, keeping each one's handles. */
function workerFactory(make: (n: number) => FakeEngine = () => new FakeEngine()) {
  const started: ReturnType<typeof connect>[] = [];
  const engines: FakeEngine[] = [];
  const createWorker = () => {
    const engine = make(engines.length);
    engines.push(engine);
    const handles = connect(engine);
    started.push(handles);
    return handles.worker;
  };
  return { createWorker, started, engines };
}

/** Lets messages in flight arrive (they travel on real time). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Advances the heartbeat one period at a time, letting pings and answers cross between periods. */
async function heartbeats(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += TICK_MS) {
    await vi.advanceTimersByTimeAsync(TICK_MS);
    await settle();
  }
}

const codeOf = (outcome: PromiseSettledResult<unknown>) =>
  outcome.status === 'rejected' && outcome.reason instanceof LocalrecError ? outcome.reason.code : outcome.status;

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

  it('sends the tracks of one task as one message, before a read made after them', async () => {
    const engine = new (class extends FakeEngine {
      readonly order: string[] = [];
      override async track(event: unknown, meta?: TrackMeta): Promise<TrackResult> {
        this.order.push('track');
        return super.track(event, meta);
      }
      override async recommend(request: unknown): Promise<RecommendResult> {
        this.order.push('recommend');
        return super.recommend(request);
      }
    })();
    const { rec } = start(engine);
    const tracked = [rec.track({ type: 'view', itemId: 'a' }), rec.track({ type: 'click', itemId: 'b' })];
    await rec.recommend();
    await Promise.all([...tracked, rec.track({ type: 'view', itemId: 'c' })]);
    expect(engine.order).toEqual(['track', 'track', 'recommend', 'track']);
    expect(engine.received.batches).toEqual([2, 1]);
  });

  it('keeps an event that cannot be sent from failing the others of its task', async () => {
    const engine = new FakeEngine();
    const { rec } = start(engine);
    const outcomes = await Promise.allSettled([
      rec.track({ type: 'view', itemId: 'a' }),
      rec.track({ type: 'view', itemId: 'b', extra: () => 1 } as never),
      rec.track({ type: 'view', itemId: 'c' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes.map(codeOf)[1]).toBe('invalid_event');
    expect(engine.received.track.map((e) => (e as { itemId: string }).itemId)).toEqual(['a', 'c']);
  });

  it('turns an event that cannot be read or sent (a getter or a proxy trap that throws, a symbol) into invalid_event', async () => {
    const engine = new FakeEngine();
    const { rec } = start(engine);
    const throwing = Object.defineProperty({ type: 'view' }, 'itemId', { enumerable: true, get() { throw new Error('boom'); } });
    const trapped = new Proxy({ type: 'view', itemId: 'a' }, { ownKeys() { throw new Error('trap'); } });
    const nestedTrap = { type: 'purchase', items: new Proxy([], { ownKeys() { throw new Error('trap'); } }) };
    const symbol = { type: 'view', itemId: Symbol('a') };
    const outcomes = await Promise.allSettled([throwing, trapped, nestedTrap, symbol].map((e) => rec.track(e as never)));
    expect(outcomes.map(codeOf)).toEqual(['invalid_event', 'invalid_event', 'invalid_event', 'invalid_event']);
    expect(engine.received.track).toEqual([]);
  });

  it('sends the event as it was when track() was called, nested fields included; a proxy that reads fine is read', async () => {
    const engine = new FakeEngine();
    const { rec } = start(engine);
    const flat = { type: 'view', itemId: 'a', time: 1, note: undefined, on: true, gone: null };
    const order = { type: 'purchase', items: [{ itemId: 'b', quantity: 1 }], time: 2 };
    const tracked = [rec.track(flat as never), rec.track(order as never), rec.track(new Proxy({ type: 'view', itemId: 'c', time: 3 }, {}) as never)];
    // Changed in the same task, before the batch leaves: the worker must not see these.
    flat.itemId = 'changed';
    order.items[0]!.quantity = 9;
    order.items.push({ itemId: 'x', quantity: 1 });
    await Promise.all(tracked);
    expect(engine.received.track).toEqual([
      { type: 'view', itemId: 'a', time: 1, note: undefined, on: true, gone: null },
      { type: 'purchase', items: [{ itemId: 'b', quantity: 1 }], time: 2 },
      { type: 'view', itemId: 'c', time: 3 },
    ]);
  });

  it('sends only the fields of the event itself, not one a script added to Object.prototype', async () => {
    const engine = new FakeEngine();
    const { rec } = start(engine);
    Object.defineProperty(Object.prototype, 'quantity', { value: 5, enumerable: true, configurable: true, writable: true });
    try {
      await rec.track({ type: 'add_to_cart', itemId: 'a', time: 1 });
    } finally {
      delete (Object.prototype as { quantity?: number }).quantity;
    }
    expect(Object.keys(engine.received.track[0] as object)).toEqual(['type', 'itemId', 'time']);
  });

  it('gives every tracked event its own id, short enough for the engine to keep', async () => {
    const engine = new FakeEngine();
    const { rec } = start(engine);
    await Promise.all(Array.from({ length: 300 }, (_, i) => rec.track({ type: 'view', itemId: `i${i}` })));
    const ids = engine.received.meta.map((m) => m?.eventId ?? '');
    expect(new Set(ids).size).toBe(300);
    expect(ids.every((id) => id.length > 0 && id.length <= 128)).toBe(true);
  });

  it('passes requests on as they are (the worker defaults k to 10: validateRequest)', async () => {
    const engine = new FakeEngine();
    const { rec } = start(engine);
    await rec.recommend();
    await rec.recommend({ exclude: ['c1'], context: { itemId: 'k1' } });
    await rec.recommend({ k: 3, candidates: ['c2', 'k2'] });
    expect(engine.received.recommend).toEqual([
      undefined,
      { exclude: ['c1'], context: { itemId: 'k1' } },
      { k: 3, candidates: ['c2', 'k2'] },
    ]);
  });

  it('forwards related() and rerank() with their arguments', async () => {
    const engine = new FakeEngine();
    const { rec } = start(engine);
    expect((await rec.related('k1', { k: 4, placement: 'pdp' })).placement).toBe('pdp');
    await rec.rerank(['c1', 'x'], { strength: 0.2 });
    await rec.rerank(['c2']);
    expect(engine.received.related).toEqual([['k1', { k: 4, placement: 'pdp' }]]);
    expect(engine.received.rerank).toEqual([[['c1', 'x'], { strength: 0.2 }], [['c2'], undefined]]);
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
    expect(first.mock.calls).toEqual([[{ type: 'stage', from: null, to: 'new', prediction: PREDICTION }]]);
    expect(second.mock.calls).toEqual([
      [{ type: 'stage', from: null, to: 'new', prediction: PREDICTION }],
      [{ type: 'stage', from: 'new', to: 'active', prediction: PREDICTION }],
    ]);
  });

  it('passes profile changes to profile listeners only, until they unsubscribe', async () => {
    const engine = new FakeEngine();
    const { rec } = start(engine);
    const onProfile = vi.fn();
    const onStage = vi.fn();
    const unsubscribe = rec.onProfileChange(onProfile);
    rec.onStageChange(onStage);
    await rec.ready();
    await engine.emit({ type: 'profile' });
    await engine.emit({ type: 'stage', from: null, to: 'new', prediction: PREDICTION });
    unsubscribe();
    await engine.emit({ type: 'profile' });
    expect(onProfile.mock.calls).toEqual([[{ type: 'profile' }]]);
    expect(onStage).toHaveBeenCalledTimes(1);
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
      rec.removeInterest('brand:Regency'), rec.forget(), rec.ready(),
    ]);
    expect(calls.map(codeOf)).toEqual(['destroyed', 'destroyed', 'destroyed', 'destroyed', 'destroyed', 'destroyed', 'destroyed']);
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

describe('worker supervision', () => {
  it('rejects ready(), track() and recommend() with worker_failed when the worker cannot load its script, and does not restart it', async () => {
    const { createWorker, started } = workerFactory();
    const rec = createLocalrecWith(createWorker, { catalog: '/catalog.json' });
    // A 404 or a CSP refusal: the Worker fires a plain `error` event before anything answers.
    started[0]!.kill();
    started[0]!.raise('error');
    const calls = await Promise.allSettled([rec.ready(), rec.track({ type: 'view', itemId: 'a' }), rec.recommend()]);
    expect(calls.map(codeOf)).toEqual(['worker_failed', 'worker_failed', 'worker_failed']);
    expect((calls[0] as PromiseRejectedResult).reason.message).toMatch(/could not start \(its script did not load\).*worker-src/);
    expect(started).toHaveLength(1);
    expect(started[0]!.terminate).toHaveBeenCalled();
  });

  it('turns a Worker constructor that throws (a cross-origin script) into worker_failed rejections', async () => {
    const createWorker = () => {
      throw new DOMException('Script at https://cdn.example/w.js cannot be accessed from origin https://shop.example.', 'SecurityError');
    };
    const rec = createLocalrecWith(createWorker, { catalog: '/catalog.json' });
    const calls = await Promise.allSettled([rec.ready(), rec.track({ type: 'view', itemId: 'a' }), rec.profile()]);
    expect(calls.map(codeOf)).toEqual(['worker_failed', 'worker_failed', 'worker_failed']);
    expect((calls[0] as PromiseRejectedResult).reason.message).toMatch(/could not start \(SecurityError: .*this page's origin/);
    await expect(rec.destroy()).resolves.toBeUndefined();
  });

  it('gives up on a worker that never answers within the start-up allowance', async () => {
    const { createWorker, started } = workerFactory();
    const rec = createLocalrecWith(createWorker, { catalog: '/catalog.json' });
    started[0]!.kill();
    const ready = rec.ready().catch((e: unknown) => e);
    await heartbeats(32_000);
    expect(await ready).toMatchObject({ code: 'worker_failed', message: expect.stringMatching(/no answer for 32 s/) });
  });

  it('restarts a worker that dies silently, rejects the reads in flight and sends the unanswered tracks again, in order, with their ids', async () => {
    const { createWorker, started, engines } = workerFactory((n) => Object.assign(new FakeEngine(), { answeredTracks: n === 0 ? 2 : Infinity }));
    const rec = createLocalrecWith(createWorker, { catalog: '/catalog.json', dbName: 'shop-1' });
    await rec.ready();
    const view = (itemId: string) => rec.track({ type: 'view', itemId, time: 1 });
    const answered = [view('a'), view('b')];
    await Promise.all(answered);
    const tracks = [...answered, view('c'), view('d'), view('e')];
    await settle();
    started[0]!.kill();
    // Made after the death but before it is noticed, so they are lost with the worker: the track is sent again, the read fails.
    const late = rec.track({ type: 'view', itemId: 'f', time: 1 });
    const read = rec.recommend().catch((e: unknown) => e);
    await heartbeats(8000);
    expect(await read).toMatchObject({ code: 'worker_failed', message: expect.stringMatching(/restarted: call again/) });
    // Made while the new worker starts: it waits behind the replayed tracks.
    const during = rec.track({ type: 'view', itemId: 'g', time: 1 });

    const results = await Promise.all([...tracks, late, during]);
    expect(results.every((r) => r.stored)).toBe(true);
    const [first, second] = engines;
    expect(second!.received.init).toEqual(first!.received.init);
    expect(second!.received.init).toEqual([{ catalog: '/catalog.json', dbName: 'shop-1' }]);
    expect(second!.received.track.map((e) => (e as { itemId: string }).itemId)).toEqual(['c', 'd', 'e', 'f', 'g']);
    expect(second!.received.meta.slice(0, 3)).toEqual(first!.received.meta.slice(2, 5));
    const ids = [...first!.received.meta.slice(0, 2), ...second!.received.meta].map((m) => m?.eventId);
    expect(new Set(ids).size).toBe(7);
    await expect(rec.recommend()).resolves.toMatchObject({ backend: 'cpu' });
  });

  it('restarts the worker after an error event or a message it cannot read once it had started', async () => {
    const { createWorker, started, engines } = workerFactory((n) => Object.assign(new FakeEngine(), { answeredTracks: n === 0 ? 0 : Infinity }));
    const rec = createLocalrecWith(createWorker, { catalog: '/catalog.json' });
    await rec.ready();
    const tracked = rec.track({ type: 'view', itemId: 'a' });
    await settle();
    started[0]!.raise('error');
    await expect(tracked).resolves.toMatchObject({ stored: true });
    const read = rec.profile();
    started[1]!.raise('messageerror');
    await expect(read).rejects.toMatchObject({ code: 'worker_failed' });
    await rec.recommend();
    expect(started).toHaveLength(3);
    expect(started[0]!.terminate).toHaveBeenCalled();
    expect(engines[1]!.received.track).toEqual([engines[0]!.received.track[0]]);
  });

  it(`stops restarting after ${MAX_RESTARTS} restarts within a minute and rejects everything with worker_failed`, async () => {
    const { createWorker, started } = workerFactory();
    const rec = createLocalrecWith(createWorker, { catalog: '/catalog.json' });
    await rec.ready();
    for (let i = 0; i < MAX_RESTARTS; i++) {
      started[i]!.raise('error');
      await rec.ready();
      await settle();
    }
    const tracked = rec.track({ type: 'view', itemId: 'a' });
    started[MAX_RESTARTS]!.raise('error');
    await expect(tracked).rejects.toMatchObject({ code: 'worker_failed', message: expect.stringMatching(/not restarted: reload the page/) });
    await expect(rec.recommend()).rejects.toMatchObject({ code: 'worker_failed' });
    expect(started).toHaveLength(MAX_RESTARTS + 1);
  });

  it('finds a worker that died while nothing was pending and restarts it before the next call', async () => {
    const { createWorker, started } = workerFactory();
    const rec = createLocalrecWith(createWorker, { catalog: '/catalog.json' });
    await rec.ready();
    started[0]!.kill();
    await heartbeats(24_000);
    expect(started).toHaveLength(2);
    await expect(rec.recommend()).resolves.toMatchObject({ backend: 'cpu' });
  });

  it('destroy() settles even when the worker has died without a word', async () => {
    const { createWorker, started } = workerFactory();
    const rec = createLocalrecWith(createWorker, { catalog: '/catalog.json' });
    await rec.ready();
    started[0]!.kill();
    const destroyed = rec.destroy();
    await heartbeats(8000);
    await expect(destroyed).resolves.toBeUndefined();
    expect(started).toHaveLength(1);
  });

  it('asks the engine to flush when the page is hidden or left, and stops listening on destroy()', async () => {
    const page = new EventTarget();
    const document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('addEventListener', page.addEventListener.bind(page));
    vi.stubGlobal('removeEventListener', page.removeEventListener.bind(page));
    vi.stubGlobal('document', document);
    const engine = new FakeEngine();
    const { rec } = start(engine);
    await rec.ready();
    document.dispatchEvent(new Event('visibilitychange'));
    page.dispatchEvent(new Event('pagehide'));
    document.visibilityState = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.waitFor(() => expect(engine.flushed).toBe(2));
    await rec.destroy();
    page.dispatchEvent(new Event('pagehide'));
    document.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(engine.flushed).toBe(2);
  });
});

describe('sources', () => {
  it('sends each payload as a track carrying its source and its own id, and keeps the sources out of the engine options', async () => {
    const engine = new FakeEngine();
    const dataLayer: unknown[] = [{ event: 'view_item', ecommerce: { items: [{ item_id: 'a' }] } }];
    const { rec } = start(engine, { sources: { dataLayer } });
    dataLayer.push({ event: 'add_to_cart', items: [{ item_id: 'a' }], eventCallback: () => 1 });
    await rec.ready();
    await vi.waitFor(() => expect(engine.received.track).toHaveLength(2));
    expect(engine.received.init).toEqual([{ catalog: '/catalog.json' }]);
    expect(engine.received.track).toEqual([
      { event: 'view_item', ecommerce: { items: [{ item_id: 'a' }] } },
      { event: 'add_to_cart', items: [{ item_id: 'a' }] },
    ]);
    expect(engine.received.meta.map((m) => m?.source)).toEqual(['dataLayer', 'dataLayer']);
    expect(new Set(engine.received.meta.map((m) => m?.eventId)).size).toBe(2);
  });

  it('sends a payload the dead worker had not answered to its replacement, with the same id', async () => {
    const { createWorker, started, engines } = workerFactory((n) => Object.assign(new FakeEngine(), { answeredTracks: n === 0 ? 1 : Infinity }));
    const dataLayer: unknown[] = [];
    const rec = createLocalrecWith(createWorker, { catalog: '/catalog.json', sources: { dataLayer } }, loadSources);
    await rec.ready();
    dataLayer.push({ event: 'view_item', items: [{ item_id: 'a' }] });
    await vi.waitFor(() => expect(engines[0]!.received.track).toHaveLength(1));
    await settle();
    dataLayer.push({ event: 'purchase', transaction_id: 'o1', items: [{ item_id: 'a' }] });
    await vi.waitFor(() => expect(engines[0]!.received.track).toHaveLength(2));
    started[0]!.kill();
    await heartbeats(8000);
    await vi.waitFor(() => expect(engines[1]?.received.track).toHaveLength(1));
    expect(engines[1]!.received.track).toEqual([engines[0]!.received.track[1]]);
    expect(engines[1]!.received.meta).toEqual([engines[0]!.received.meta[1]]);
    await rec.destroy();
  });

  it('stops listening on destroy(): later pushes still land in the dataLayer and are not sent', async () => {
    const engine = new FakeEngine();
    const dataLayer: unknown[] = [];
    const { rec } = start(engine, { sources: { dataLayer } });
    await rec.ready();
    await rec.destroy();
    expect(dataLayer.push({ event: 'view_item', items: [{ item_id: 'a' }] })).toBe(1);
    await settle();
    expect(engine.received.track).toEqual([]);
  });
});
