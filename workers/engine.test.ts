import 'fake-indexeddb/auto';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { LocalrecError } from '../src/core/errors';
import { T0, testCatalogJson } from '../src/core/testing/fixtures';
import { CATALOG_MAX_AGE_MS } from './catalog-loader';
import { Engine, type EngineHost } from './engine';
import { MemoryStorage } from './memory-storage';
import { engineSuite } from './testing/engines';
import { nodeHost } from './testing/node-host';

const suite = engineSuite('test');
let db = 0;

function host(files: Record<string, unknown>, clock = { now: T0 }) {
  return nodeHost(files, { now: () => clock.now });
}

const start = (h: EngineHost, dbName?: string) => suite.start(h, dbName === undefined ? {} : { dbName });

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LocalrecError);
    return (e as LocalrecError).code;
  }
  throw new Error('expected a rejection');
}

describe('Engine', () => {
  it('loads the catalog, stores events and re-ranks toward what was browsed', async () => {
    const progress: string[] = [];
    const engine = new Engine(host({ '/catalog.json': testCatalogJson() }));
    suite.keep(engine);
    const info = await engine.init({ catalog: '/catalog.json', dbName: `manual-${++db}` }, (e) => { if (e.type === 'progress') progress.push(e.progress.status); });
    expect(info).toMatchObject({ catalogVersion: 'test-1', items: 8, hashedItems: 8 });
    expect(progress).toEqual(expect.arrayContaining(['download', 'progress', 'ready']));
    const before = await engine.recommend({ k: 3 });
    expect(before.items[0]!.id).toBe('k3');
    await engine.track({ type: 'view', itemId: 'c1', time: T0 });
    await engine.track({ type: 'click', itemId: 'c2', time: T0 + 1 });
    const after = await engine.recommend({ k: 3 });
    expect(after.items[0]!.id).toBe('c3');
    expect(after.backend).toBe('int8-wasm');
    const profile = await engine.profile();
    expect(profile.storedEvents).toBe(2);
    expect(profile.topCategories[0]!.key).toBe('Home > Candles & lights');
  });

  it('rejects a malformed event and stores nothing for it', async () => {
    const { engine } = await start(host({ '/catalog.json': testCatalogJson() }));
    await engine.track({ type: 'view', itemId: 'c1', time: T0 });
    const before = await engine.profile();
    expect(await code(engine.track({ type: 'view', itemId: 42 }))).toBe('invalid_event');
    expect(await code(engine.track({ type: 'purchase', items: [{ itemId: 'c1', price: 1 }], value: -3, currency: 'GBP' }))).toBe('invalid_event');
    expect(await engine.profile()).toEqual(before);
  });

  it('stores a double-fired event once', async () => {
    const { engine } = await start(host({ '/catalog.json': testCatalogJson() }));
    expect(await engine.track({ type: 'click', itemId: 'c1', time: T0 })).toMatchObject({ stored: true });
    expect(await engine.track({ type: 'click', itemId: 'c1', time: T0 + 200 })).toEqual({ stored: false, reason: 'duplicate' });
    expect(await engine.track({ type: 'click', itemId: 'c1', time: T0 + 5000 })).toMatchObject({ stored: true });
    const p = await engine.profile();
    expect(p.storedEvents).toBe(2);
    expect(p.events.click).toBe(2);
  });

  it('keeps the profile across a restart and forgets everything on forget()', async () => {
    const h = host({ '/catalog.json': testCatalogJson() });
    const first = await start(h);
    await first.engine.track({ type: 'add_to_cart', itemId: 'k1', time: T0 });
    await first.engine.close();
    const second = await start(h, first.dbName);
    const p = await second.engine.profile();
    expect(p.cart).toEqual([{ itemId: 'k1', quantity: 1 }]);
    expect(p.storedEvents).toBe(1);
    await second.engine.forget();
    const wiped = await second.engine.profile();
    expect(wiped.storedEvents).toBe(0);
    expect(wiped.cart).toEqual([]);
    expect(wiped.topCategories).toEqual([]);
  });

  it('keeps the cached catalog when a new download is invalid or fails', async () => {
    const files: Record<string, unknown> = { '/catalog.json': testCatalogJson() };
    const clock = { now: T0 };
    const first = await start(host(files, clock));
    await first.engine.close();
    files['/catalog.json'] = { ...testCatalogJson({ version: 'test-2' }), items: [{ id: 'x' }] };
    // Past its max-age the cached copy waits for the server's answer, so ready() knows it failed.
    clock.now = T0 + CATALOG_MAX_AGE_MS;
    const second = await start(host(files, clock), first.dbName);
    expect(second.info.catalogVersion).toBe('test-1');
    expect(first.info.catalogStale).toBeUndefined();
    // ready() says so, naming what failed and the version in use.
    expect(second.info.catalogStale).toMatch(/items\[0\].*version test-1/s);
    delete files['/catalog.json'];
    const third = await start(host(files, clock), first.dbName);
    expect(third.info.catalogVersion).toBe('test-1');
    expect(third.info.catalogStale).toMatch(/version test-1/);
  });

  it('fails with a typed error when there is no catalog at all', async () => {
    const engine = new Engine(host({ '/catalog.json': '{not json' }));
    suite.keep(engine);
    expect(await code(engine.init({ catalog: '/catalog.json', dbName: `manual-${++db}` }))).toBe('invalid_catalog');
  });

  it('refuses a backend it does not know (typed), and still records events', async () => {
    const engine = new Engine(host({ '/catalog.json': testCatalogJson() }));
    suite.keep(engine);
    const ready = engine.init({ catalog: '/catalog.json', dbName: `manual-${++db}`, backend: 'nonsense' as never });
    await expect(ready).rejects.toMatchObject({ code: 'invalid_argument', field: 'backend' });
    expect(await engine.track({ type: 'view', itemId: 'k3', time: T0 })).toMatchObject({ stored: true });
    await expect(engine.recommend({ k: 3 })).rejects.toMatchObject({ code: 'not_ready', message: expect.not.stringMatching(/retr/) });
  });

  it('promises no retry for an invalid catalog given as an object, which cannot change', async () => {
    const engine = new Engine(host({}));
    suite.keep(engine);
    await expect(engine.init({ catalog: { items: 5 } as never, dbName: `manual-${++db}` })).rejects.toMatchObject({ code: 'invalid_catalog', message: expect.not.stringMatching(/retr/) });
    await expect(engine.recommend({ k: 3 })).rejects.toMatchObject({ code: 'not_ready', message: expect.not.stringMatching(/retr/) });
  });

  it('validates recommend() and removeInterest() arguments', async () => {
    const { engine } = await start(host({ '/catalog.json': testCatalogJson() }));
    expect(await code(engine.recommend({ k: -1 }))).toBe('invalid_argument');
    expect(await code(engine.removeInterest('colour:red'))).toBe('invalid_argument');
    await engine.track({ type: 'view', itemId: 'k3', time: T0 });
    const p = await engine.removeInterest('category:Fashion');
    expect(p.suppressed).toEqual(['category:Fashion']);
    expect((await engine.recommend({ k: 8 })).items.map((r) => r.id)).not.toContain('k3');
  });

  it('predicts with the shipped lifecycle files and announces a stage change once', async () => {
    const { readFileSync } = await import('node:fs');
    const files = {
      '/catalog.json': testCatalogJson(),
      '/lifecycle.json': JSON.parse(readFileSync('demo/data/lifecycle-params.json', 'utf8')),
      '/model.json': JSON.parse(readFileSync('demo/data/purchase-model.json', 'utf8')),
    };
    const events: { type: string; from?: unknown; to?: unknown }[] = [];
    const engine = new Engine(host(files));
    suite.keep(engine);
    const info = await engine.init({ catalog: '/catalog.json', lifecycle: '/lifecycle.json', purchaseModel: '/model.json', dbName: `manual-${++db}` }, (e) => events.push(e));
    expect(info.lifecycle).toEqual({ ready: true });
    expect((await engine.predict()).stage).toBe('new');
    await engine.track({ type: 'view', itemId: 'k1', time: T0 });
    await engine.track({ type: 'purchase', items: [{ itemId: 'k1', price: 12.75 }], value: 12.75, currency: 'GBP', time: T0 + 1 });
    const stages = events.filter((e) => e.type === 'stage');
    expect(stages).toEqual([expect.objectContaining({ from: null, to: 'new' })]);
    expect((await engine.predict()).pAlive).toBe(1);
    expect((await engine.profile()).lifecycle).toMatchObject({ stage: 'new', pAlive: 1 });
  });

  it('says why predict() is unavailable without lifecycle files', async () => {
    const { engine, info } = await start(host({ '/catalog.json': testCatalogJson() }));
    expect(info.lifecycle.ready).toBe(false);
    expect(await code(engine.predict())).toBe('not_ready');
    expect((await engine.profile()).lifecycle).toBeNull();
  });

  it('runs on whatever storage the host opens', async () => {
    const opened: string[] = [];
    const h: EngineHost = { ...host({ '/catalog.json': testCatalogJson() }), openStorage: async (name) => (opened.push(name), new MemoryStorage()) };
    const engine = new Engine(h);
    suite.keep(engine);
    await engine.init({ catalog: '/catalog.json', dbName: 'shop-a' });
    await engine.track({ type: 'add_to_cart', itemId: 'k1', time: T0 });
    expect(opened).toEqual(['shop-a']);
    expect(await engine.profile()).toMatchObject({ storedEvents: 1, cart: [{ itemId: 'k1', quantity: 1 }] });
  });

  it('reports a ranking bundle that cannot be downloaded, and ranks without it', async () => {
    const h: EngineHost = { ...host({ '/catalog.json': testCatalogJson() }), loadBundle: async () => { throw new LocalrecError('download_failed', 'The ranking bundle URL /b.bin answered HTTP 404.'); } };
    const engine = new Engine(h);
    suite.keep(engine);
    const info = await engine.init({ catalog: '/catalog.json', bundle: '/b.bin', dbName: `manual-${++db}` });
    expect(info).toMatchObject({ bundleItems: 0, bundleError: expect.stringMatching(/404/) });
    expect((await engine.recommend({ k: 1 })).items).toHaveLength(1);
  });

  it('tells the page when the profile changes: a written batch, another tab\'s write, a removed interest, forget()', async () => {
    const changes: string[] = [];
    let otherTab: (what: 'wrote' | 'forgot') => void = () => undefined;
    const tabs = { withLock: <T>(write: () => Promise<T>) => write(), announce: () => undefined, onOtherTab: (l: typeof otherTab) => void (otherTab = l), close: () => undefined };
    const engine = suite.keep(new Engine({ ...host({ '/catalog.json': testCatalogJson() }), tabs: () => tabs }));
    await engine.init({ catalog: '/catalog.json', dbName: `manual-${++db}` }, (e) => void (e.type === 'profile' && changes.push('profile')));
    await engine.recommend({ k: 1 });
    expect(changes).toEqual([]);
    await engine.track({ type: 'view', itemId: 'c1', time: T0 });
    expect(changes).toHaveLength(1);
    // A duplicate teaches nothing and says nothing.
    await engine.track({ type: 'view', itemId: 'c1', time: T0 + 100 });
    expect(changes).toHaveLength(1);
    otherTab('wrote');
    expect(changes).toHaveLength(2);
    await engine.removeInterest('category:Home');
    await engine.forget();
    expect(changes).toHaveLength(4);
  });

  it('rejects calls after close()', async () => {
    const { engine } = await start(host({ '/catalog.json': testCatalogJson() }));
    await engine.close();
    expect(await code(engine.recommend({ k: 1 }))).toBe('destroyed');
  });
});

