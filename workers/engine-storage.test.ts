import 'fake-indexeddb/auto';
import '@tensorflow/tfjs-backend-cpu';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../src/core/catalog';
import { LocalrecError } from '../src/core/errors';
import { T0, testCatalogJson } from '../src/core/testing/fixtures';
import type { EngineOptions } from '../src/protocol';
import { Engine, type EngineHost } from './engine';
import { CATALOG_MAX_AGE_MS } from './catalog-loader';
import { IdbStorage } from './idb-storage';
import { Sealer, type Sealed } from './sealer';
import { engineSuite } from './testing/engines';
import { nodeHost } from './testing/node-host';
import type { EngineStorage } from './storage';

const suite = engineSuite('storage');
let db = 0;

function host(files: Record<string, unknown>, more: Partial<EngineHost> = {}): EngineHost {
  return nodeHost(files, { now: () => T0 + 60_000, ...more });
}

const start = (h: EngineHost, options: Partial<EngineOptions> = {}) => suite.start(h, options);

const files = () => ({ '/catalog.json': testCatalogJson() });
const view = (i: number) => ({ type: 'view', itemId: ['c1', 'c2', 'k1', 'k2'][i % 4]!, time: T0 + i * 20 });

describe('writes', () => {
  it('batches un-awaited track() calls: every one resolves stored, in few transactions', async () => {
    const { engine } = await start(host(files()));
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => engine.track(view(i))));
    expect(results.every((r) => r.stored && r.durable)).toBe(true);
    expect(new Set(results.map((r) => (r.stored ? r.id : 0))).size).toBe(500);
    const p = await engine.profile();
    expect(p.storedEvents).toBe(500);
    expect(p.events.view).toBe(500);
    expect((await engine.diagnostics()).batchesWritten).toBeLessThan(10);
  });

  it('takes many calls in one message, each with its own outcome', async () => {
    const { engine } = await start(host(files()));
    const out = await engine.trackMany([{ event: view(0), meta: { eventId: 'a' } }, { event: { type: 'view' } }, { event: view(1) }]);
    expect(out[0]).toEqual({ ok: expect.objectContaining({ stored: true, durable: true }) });
    expect(out[1]).toEqual({ error: expect.objectContaining({ code: 'invalid_event', field: 'itemId' }) });
    expect(out[2]).toEqual({ ok: expect.objectContaining({ stored: true }) });
    await expect(engine.trackMany('nope')).rejects.toMatchObject({ code: 'invalid_argument' });
    expect((await engine.profile()).events.view).toBe(2);
  });

  it('learns the calls of one message in call order, a source payload among them, and answers each after close()', async () => {
    const { engine } = await start(host(files()));
    const out = await engine.trackMany([
      { event: view(0), meta: { eventId: 'm1' } },
      { event: { event: 'view_item', ecommerce: { items: [{ item_id: 'k1' }] } }, meta: { eventId: 'm2', source: 'dataLayer' } },
      { event: view(1), meta: { eventId: 'm3' } },
    ]);
    const idOf = (r: unknown) => (r as { id?: number }).id;
    const ids = [idOf((out[0] as { ok: unknown }).ok), idOf((out[1] as { ok: { read: unknown[] } }).ok.read[0]), idOf((out[2] as { ok: unknown }).ok)];
    expect(ids).toEqual([ids[0], ids[0]! + 1, ids[0]! + 2]);
    await engine.close();
    expect(await engine.trackMany([{ event: view(2) }, { event: view(3) }])).toEqual([
      { error: expect.objectContaining({ code: 'destroyed' }) },
      { error: expect.objectContaining({ code: 'destroyed' }) },
    ]);
  });

  it('counts a replayed event once, with the id it got the first time, across a restart', async () => {
    const h = host(files());
    const first = await start(h);
    const a = await first.engine.track(view(0), { eventId: 'e-1' });
    await first.engine.close();
    const second = await start(h, { dbName: first.dbName });
    const again = await second.engine.track(view(0), { eventId: 'e-1' });
    const b = await second.engine.track(view(1), { eventId: 'e-2' });
    expect(again).toEqual(a);
    expect(b).toMatchObject({ stored: true });
    expect((await second.engine.profile()).storedEvents).toBe(2);
  });
});

describe('when storage fails', () => {
  it('learns in memory when IndexedDB cannot open, and says so', async () => {
    const { engine, info } = await start(host(files(), { openStorage: async () => { throw new LocalrecError('storage_failed', 'IndexedDB could not open the database (UnknownError).'); } }));
    expect(info.storage).toEqual({ mode: 'memory', reason: expect.stringMatching(/storage unavailable.*UnknownError/) });
    expect(await engine.track(view(0))).toMatchObject({ stored: true, durable: false });
    expect((await engine.profile()).events.view).toBe(1);
  });

  it('keeps learning in memory when writes fail (a full disk), without losing what was learned', async () => {
    const failing = async (name: string): Promise<EngineStorage> => {
      const real = await IdbStorage.open(name);
      return Object.assign(Object.create(real) as EngineStorage, {
        appendEvents: async () => { throw new LocalrecError('storage_failed', 'IndexedDB could not store the events (QuotaExceededError).'); },
      });
    };
    const { engine } = await start(host(files(), { openStorage: failing }));
    const results = await Promise.all([engine.track(view(0)), engine.track(view(1))]);
    expect(results).toEqual([expect.objectContaining({ stored: true, durable: false }), expect.objectContaining({ stored: true, durable: false })]);
    expect((await engine.diagnostics()).storage).toEqual({ mode: 'memory', reason: expect.stringMatching(/QuotaExceeded/) });
    expect((await engine.profile()).events.view).toBe(2);
  });

  it('falls back to memory, with a clear reason, when the database was written by a newer localrec', async () => {
    const name = `manual-${++db}`;
    (await openDB(name, 99)).close();
    const { engine, info } = await start(host(files()), { dbName: name });
    expect(info.storage.mode).toBe('memory');
    expect(info.storage.reason).toMatch(/newer localrec/);
    expect(await engine.track(view(0))).toMatchObject({ stored: true, durable: false });
  });

  it('rebuilds a damaged stored profile from the event log instead of failing every call', async () => {
    const h = host(files());
    const first = await start(h);
    for (let i = 0; i < 6; i++) await first.engine.track(view(i));
    await first.engine.track({ type: 'add_to_cart', itemId: 'k1', time: T0 + 20_000 });
    await first.engine.close();
    const raw = await openDB(first.dbName);
    await raw.put('profile', { schema: 1, dim: 64, counts: 'garbage' }, 'current');
    raw.close();
    const second = await start(h, { dbName: first.dbName });
    const p = await second.engine.profile();
    expect(p.events.view).toBe(6);
    expect(p.cart).toEqual([{ itemId: 'k1', quantity: 1 }]);
    expect((await second.engine.recommend({ k: 3 })).items).toHaveLength(3);
  });
});

describe('a first catalog that fails', () => {
  it('is retried in the background while events are recorded', async () => {
    const served: Record<string, unknown> = {};
    let waits = 0;
    const h = host(served, { sleep: async () => { if (++waits === 2) served['/catalog.json'] = testCatalogJson(); } });
    const engine = new Engine(h);
    suite.keep(engine);
    const failed = engine.init({ catalog: '/catalog.json', dbName: `manual-${++db}` });
    await expect(failed).rejects.toMatchObject({ code: 'catalog_fetch_failed', message: expect.stringMatching(/No earlier catalog is cached.*retries/) });
    expect(await engine.track(view(0))).toMatchObject({ stored: true });
    await expect.poll(async () => (await engine.diagnostics()).catalog.version).toBe('test-1');
    expect((await engine.recommend({ k: 2 })).items).toHaveLength(2);
    expect((await engine.profile()).events.view).toBe(1);
  });
});

/**
 * Every string in the raw database's stores but `skip`, as a snooping reader of the files would
 * see it; with `bytes`, binary values (ArrayBuffers, Blobs) are decoded as text too. (Ciphertext
 * is random bytes: a 2-letter id turns up in a few KB of it by chance, about 1 run in 20, so short
 * secrets are looked for outside it.)
 */
async function rawText(name: string, bytes: boolean, skip: string[] = []): Promise<string> {
  const raw = await openDB(name);
  let text = '';
  for (const store of Array.from(raw.objectStoreNames).filter((s) => !skip.includes(s))) {
    for (const value of await raw.getAll(store)) {
      const blobs: Blob[] = [];
      text += JSON.stringify(value, (_k, v: unknown) => {
        if (v instanceof Blob) return (blobs.push(v), `<blob ${blobs.length - 1}>`);
        return v instanceof ArrayBuffer ? (bytes ? new TextDecoder('latin1').decode(v) : `<${v.byteLength} bytes>`) : v;
      });
      for (const blob of blobs) text += bytes ? new TextDecoder('latin1').decode(await blob.arrayBuffer()) : `<${blob.size} bytes>`;
    }
  }
  raw.close();
  return text;
}

describe('privacy', () => {
  it('keeps events and profile sealed at rest: nothing the shopper did (item id, title, query, price) in the raw database', async () => {
    // The catalog by URL, so its cache is written too.
    const { engine, dbName } = await start(host(files()));
    // The cached catalog (written after ready()) is the store's public data, the same for every
    // shopper: kept in the clear (SECURITY.md). Nothing about the shopper is in it.
    await expect.poll(() => rawText(dbName, true)).toContain('Retrospot');
    await engine.track({ type: 'view', itemId: 'k3', time: T0 });
    await engine.track({ type: 'search', query: 'jane.doe@example.com lantern', time: T0 + 1 });
    await engine.track({ type: 'purchase', items: [{ itemId: 'k1', price: 12.75, quantity: 1 }], value: 12.75, currency: 'GBP', orderId: 'order-777', time: T0 + 2 });
    await engine.flush();
    const text = await rawText(dbName, true, ['catalogs']);
    for (const secret of ['Retrospot', 'jane.doe', 'lantern', '12.75', 'order-777', 'Regency']) expect(text, secret).not.toContain(secret);
    const outsideCiphertext = await rawText(dbName, false, ['catalogs']);
    for (const secret of ['k3', 'k1']) expect(outsideCiphertext, secret).not.toContain(`"${secret}"`);
    // ...and still readable by the engine itself.
    expect((await engine.profile()).purchases.count).toBe(1);
  });

  it('exports everything stored, readable, without the search text', async () => {
    const { engine } = await start(host(files()));
    await engine.track({ type: 'search', query: 'jane.doe@example.com lantern', time: T0 });
    await engine.track({ type: 'add_to_cart', itemId: 'k1', time: T0 + 1 });
    const out = await engine.exportData();
    expect(out.events.map((e) => e.type)).toEqual(['search', 'add_to_cart']);
    expect(JSON.stringify(out)).not.toContain('jane.doe');
    expect(out.readable?.cart).toEqual([{ itemId: 'k1', quantity: 1 }]);
    expect((out.profile as { counts: Record<string, number> }).counts.search).toBe(1);
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('ages out raw events past the retention window, keeping what they taught', async () => {
    const h = host(files());
    const first = await start(h, { retentionDays: 1 });
    await first.engine.track({ type: 'view', itemId: 'k1', time: T0 - 3 * 86_400_000 });
    await first.engine.track({ type: 'view', itemId: 'k2', time: T0 });
    await first.engine.close();
    const second = await start(h, { dbName: first.dbName, retentionDays: 1 });
    const p = await second.engine.profile();
    expect(p.storedEvents).toBe(1);
    expect(p.events.view).toBe(2);
  });

  it('ages out an old event written in the same batch as new ones, and keeps the new ones', async () => {
    const h = host(files());
    const first = await start(h, { retentionDays: 90 });
    const ancient = Date.UTC(2001, 0, 1);
    await Promise.all([
      first.engine.track({ type: 'view', itemId: 'k1', time: ancient }),
      first.engine.track({ type: 'view', itemId: 'k2', time: T0 }),
      first.engine.track({ type: 'click', itemId: 'k2', time: T0 + 10 }),
    ]);
    expect((await first.engine.diagnostics()).batchesWritten).toBe(1);
    await first.engine.close();
    const second = await start(h, { dbName: first.dbName, retentionDays: 90 });
    const out = await second.engine.exportData();
    expect(out.events.map((e) => e.time)).toEqual([T0, T0 + 10]);
    expect((await second.engine.profile()).events.view).toBe(2);
  });

  it('pending consent learns in memory only and keeps it once granted', async () => {
    const h = host(files());
    const first = await start(h, { consent: 'pending' });
    expect(first.info).toMatchObject({ consent: 'pending', storage: { mode: 'memory' } });
    expect(await first.engine.track(view(0))).toMatchObject({ stored: true, durable: false });
    expect((await first.engine.profile()).events.view).toBe(1);
    const peek = await start(h, { dbName: first.dbName });
    expect((await peek.engine.profile()).storedEvents).toBe(0);
    await peek.engine.close();
    await first.engine.setConsent('granted');
    expect(await first.engine.track(view(1))).toMatchObject({ stored: true, durable: true });
    await first.engine.close();
    const later = await start(h, { dbName: first.dbName });
    expect(await later.engine.profile()).toMatchObject({ storedEvents: 2, events: { view: 2 } });
  });

  it('denied consent wipes what was stored, learns nothing, and still recommends', async () => {
    const h = host(files());
    const { engine, dbName } = await start(h);
    await engine.track(view(0));
    await engine.setConsent('denied');
    expect(await engine.track(view(1))).toEqual({ stored: false, reason: 'consent_denied' });
    expect(await engine.profile()).toMatchObject({ storedEvents: 0, events: { view: 0 } });
    expect((await engine.recommend({ k: 3 })).items.map((r) => r.reasons[0]!.kind)).toEqual(['popular', 'popular', 'popular']);
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(dbName);
    await expect(engine.setConsent('maybe')).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('forget() deletes the database with its key, and goes on working', async () => {
    const { engine, dbName } = await start(host(files()));
    await engine.track(view(0));
    const before = await openDB(dbName);
    const oldChunk = (await before.getAll('chunks'))[0] as { sealed: Sealed };
    before.close();
    await engine.forget();
    expect(await engine.profile()).toMatchObject({ storedEvents: 0, events: { view: 0 } });
    await engine.track(view(1));
    const raw = await openDB(dbName);
    // A new key: what the old one sealed cannot be opened with it.
    const newKey = (await raw.get('meta', 'key')) as CryptoKey;
    await expect(new Sealer(newKey).open(oldChunk.sealed)).rejects.toThrow();
    expect(await raw.count('catalogs')).toBe(0);
    expect(await raw.count('chunks')).toBe(1);
    raw.close();
  });

});

describe('warm start', () => {
  it('does not write a catalog again whose version is already cached; a new version replaces it', async () => {
    const storage = await IdbStorage.open(`warm-${++db}`);
    const storedAt = async () => (await storage.cachedCatalog('/catalog.json'))?.storedAt;
    await storage.cacheCatalog('/catalog.json', parseCatalog(testCatalogJson()), '"a"');
    const first = await storedAt();
    await new Promise((r) => setTimeout(r, 5));
    await storage.cacheCatalog('/catalog.json', parseCatalog(testCatalogJson()), '"b"');
    expect(await storedAt()).toBe(first);
    expect(await storage.cachedCatalogTag('/catalog.json')).toEqual({ version: 'test-1', etag: '"b"' });
    await storage.cacheCatalog('/catalog.json', parseCatalog(testCatalogJson({ version: 'test-2' })));
    expect(await storage.cachedCatalogTag('/catalog.json')).toEqual({ version: 'test-2' });
    expect((await storage.cachedCatalog('/catalog.json'))?.version).toBe('test-2');
    storage.close();
  });

  it('keeps the catalog as built: the cached copy ranks as the parsed one (items, matrix, prior, index), without embeddings lists', async () => {
    const storage = await IdbStorage.open(`warm-${++db}`);
    const json = testCatalogJson();
    json.items = json.items.map((item, i) => ({ ...item, embedding: [i + 1, 1, 0.5, -2] }));
    const built = parseCatalog(json);
    await storage.cacheCatalog('/catalog.json', built);
    const back = (await storage.cachedCatalog('/catalog.json'))!.catalog;
    expect(back.matrix).toEqual(built.matrix);
    expect(back.prior).toEqual(built.prior);
    expect(back.index).toEqual(built.index);
    expect(back.items).toEqual(built.items.map(({ embedding: _, ...item }) => item));
    expect({ ...back, items: 0, matrix: 0, prior: 0, index: 0 }).toEqual({ ...built, items: 0, matrix: 0, prior: 0, index: 0 });
    storage.close();
  });

  it('revalidates a cached catalog past its max-age with its ETag before ready(): a 304 starts from the cached copy, a new ETag downloads again', async () => {
    let etag = '"v1"';
    const asked: (string | null)[] = [];
    const progress: string[] = [];
    // Each start a day after the last check: the server is asked before the engine starts.
    let now = T0;
    const h = host(files(), {
      now: () => (now += CATALOG_MAX_AGE_MS),
      async fetch(_url, init) {
        const sent = new Headers(init?.headers).get('If-None-Match');
        asked.push(sent);
        if (sent === etag) return new Response(null, { status: 304, headers: { etag } });
        return new Response(JSON.stringify(testCatalogJson()), { status: 200, headers: { etag } });
      },
    });
    const first = await start(h);
    await first.engine.close();
    const second = suite.keep(new Engine(h));
    const info = await second.init({ catalog: '/catalog.json', dbName: first.dbName }, (e) => { if (e.type === 'progress') progress.push(e.progress.status); });
    expect(info).toMatchObject({ catalogVersion: 'test-1', items: 8 });
    expect(info.catalogStale).toBeUndefined();
    expect(progress).toContain('cached');
    expect((await second.recommend({ k: 3 })).items).toHaveLength(3);
    await second.close();
    etag = '"v2"';
    await start(h, { dbName: first.dbName });
    expect(asked).toEqual([null, '"v1"', '"v1"']);
    await start(h, { dbName: first.dbName });
    expect(asked.at(-1)).toBe('"v2"');
  });

  it('ranks with our int8 kernel at once, checks the GPU in the background, remembers the outcome per size class for a week', async () => {
    let now = T0;
    let gpuChecks = 0;
    const h = host(files(), { now: () => now, measureGpu: async () => (gpuChecks++, { skipped: 'no GPU (SwiftShader)' }) });
    const first = await start(h);
    expect(first.info.backend).toMatchObject({ name: 'int8-wasm', measured: [{ name: 'int8-wasm', ms: expect.any(Number) }] });
    expect(first.info.backend.rememberedFrom).toBeUndefined();
    expect(first.info.phases).toEqual({ storage: expect.any(Number), catalog: expect.any(Number), backend: expect.any(Number), matrix: expect.any(Number), extras: expect.any(Number) });
    await first.engine.backendCheck;
    expect(gpuChecks).toBe(1);
    expect((await first.engine.recommend({ k: 2 })).backend).toBe('int8-wasm');
    await first.engine.close();
    const second = await start(h, { dbName: first.dbName });
    expect(second.info.backend).toMatchObject({ name: 'int8-wasm', rememberedFrom: T0 });
    expect(second.engine.backendCheck).toBeUndefined();
    await second.engine.close();
    now = T0 + 8 * 86_400_000;
    const third = await start(h, { dbName: first.dbName });
    expect(third.info.backend.rememberedFrom).toBeUndefined();
    await third.engine.backendCheck;
    expect(gpuChecks).toBe(2);
  });

  it('switches to a GPU measured faster than the kernel, says so, and starts on it next time', async () => {
    const chosen: (string | undefined)[] = [];
    const h = host(files(), {
      measureGpu: async () => ({ ms: 0, renderer: 'Test GPU' }),
      chooseBackend: async (_m, _r, _d, _f, remembered) => (chosen.push(remembered?.name), { name: 'cpu', measured: [], ...(remembered ? { rememberedFrom: remembered.at } : {}) }),
    });
    const first = await start(h);
    const before = await first.engine.recommend({ k: 3 });
    await first.engine.backendCheck;
    const after = await first.engine.recommend({ k: 3 });
    expect(after.backend).toBe('webgl');
    // The same ranking on tfjs (float32 everywhere) as with the kernel's shortlist.
    expect(after.items).toEqual(before.items);
    await first.engine.close();
    const second = await start(h, { dbName: first.dbName });
    expect(chosen).toEqual(['webgl']);
    expect(second.info.backend.rememberedFrom).toBe(T0 + 60_000);
  });

  it('waits for a quiet spell: ranking calls put the GPU check off', async () => {
    let slept = 0;
    let measured = 0;
    let engine: Engine | undefined;
    let started!: () => void;
    const ready = new Promise<void>((r) => (started = r));
    const h = host(files(), {
      // Each idle wait sees a ranking call during the first two.
      sleep: async () => {
        await ready;
        if (++slept <= 2) await engine!.recommend({ k: 1 });
      },
      measureGpu: async () => (measured++, { skipped: 'no GPU' }),
    });
    ({ engine } = await start(h));
    started();
    await engine.backendCheck;
    expect(slept).toBe(3);
    expect(measured).toBe(1);
  });

  it('does not remember a forced backend, nor check the GPU under it; int8-js forces the kernel\'s JS loop', async () => {
    const h = host(files(), { measureGpu: async () => { throw new Error('not asked'); } });
    const js = await start(h, { backend: 'int8-js' });
    expect(js.info.backend).toMatchObject({ name: 'int8-js', measured: [{ name: 'int8-js', ms: expect.any(Number) }] });
    expect(js.engine.backendCheck).toBeUndefined();
    expect((await js.engine.recommend({ k: 2 })).backend).toBe('int8-js');
    const first = await start(h, { backend: 'cpu' });
    expect(first.engine.backendCheck).toBeUndefined();
    await first.engine.close();
    expect((await start(h, { dbName: first.dbName })).info.backend.rememberedFrom).toBeUndefined();
  });
});
