import 'fake-indexeddb/auto';
import '@tensorflow/tfjs-backend-cpu';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { parseCatalog, type CatalogJson } from '../src/core/catalog';
import { T0, testCatalogJson } from '../src/core/testing/fixtures';
import type { EngineEvent } from '../src/protocol';
import { CATALOG_MAX_AGE_MS } from './catalog-loader';
import { catalogBlobs, catalogFromBlobs, catalogParts } from './catalog-record';
import { Engine, type EngineHost } from './engine';
import { IdbStorage } from './idb-storage';
import { Sealer } from './sealer';
import { engineSuite } from './testing/engines';
import { nodeHost } from './testing/node-host';

const suite = engineSuite('swr');
const HOUR = 3_600_000;

/**
 * A server for one catalog URL with strong ETags (If-None-Match answers 304), whose catalog the
 * test changes, or makes fail (`status`) or hang (`hang`: a request that never answers).
 */
function server(catalog: CatalogJson) {
  const state = { catalog, status: 200, hang: false, asked: [] as (string | null)[] };
  const etag = () => `"${state.catalog.version}"`;
  const fetch: EngineHost['fetch'] = async (url, init) => {
    const sent = new Headers(init?.headers).get('If-None-Match');
    state.asked.push(sent);
    if (state.hang) return new Promise<Response>(() => undefined);
    if (url !== '/catalog.json' || state.status !== 200) return new Response('no', { status: state.status === 200 ? 404 : state.status });
    if (sent === etag()) return new Response(null, { status: 304, headers: { etag: etag() } });
    return new Response(JSON.stringify(state.catalog), { status: 200, headers: { etag: etag() } });
  };
  return { state, fetch };
}

/** A device: one database, a clock the test moves, the server above. */
function device(catalog = testCatalogJson()) {
  const { state, fetch } = server(catalog);
  const clock = { now: T0 };
  const host = nodeHost({}, { fetch, now: () => clock.now });
  let dbName: string | undefined;
  const start = async (options: { catalog?: string } = {}) => {
    const events: EngineEvent[] = [];
    const engine = suite.keep(new Engine(host));
    dbName ??= `swr-${Math.random().toString(36).slice(2)}`;
    const info = await engine.init({ catalog: '/catalog.json', ...options, dbName }, (e) => events.push(e));
    return { engine, info, events };
  };
  return { state, clock, start, close: (e: Engine) => e.close(), dbName: () => dbName };
}

const v2 = () => testCatalogJson({ version: 'test-2' });

describe('a warm start answers from the cached catalog while the server is asked (stale-while-revalidate)', () => {
  it('does not wait for the server: ready() resolves from the cache while the request hangs', async () => {
    const d = device();
    await d.close((await d.start()).engine);
    d.state.hang = true;
    d.clock.now += HOUR;
    const { engine, info } = await d.start();
    expect(info).toMatchObject({ catalogVersion: 'test-1', items: 8 });
    expect(info.catalogStale).toBeUndefined();
    expect((await engine.recommend({ k: 3 })).items).toHaveLength(3);
    // The server was asked, conditionally, after the start.
    expect(d.state.asked).toEqual([null, '"test-1"']);
  });

  it('swaps in a new version once it is built, tells the page, ranks with it and caches it', async () => {
    const d = device();
    await d.close((await d.start()).engine);
    const json = v2();
    json.items = json.items.slice(0, 5);
    d.state.catalog = json;
    d.clock.now += HOUR;
    const { engine, info, events } = await d.start();
    expect(info).toMatchObject({ catalogVersion: 'test-1', items: 8 });
    await expect.poll(() => events.find((e) => e.type === 'catalog')).toEqual({ type: 'catalog', version: 'test-2', items: 5 });
    expect((await engine.diagnostics()).catalog).toEqual({ version: 'test-2' });
    // Only the new version's items rank (the old one had 8).
    const ids = new Set(json.items.map((i) => i.id));
    const ranked = (await engine.recommend({ k: 20 })).items.map((r) => r.id);
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked.every((id) => ids.has(id))).toBe(true);
    await d.close(engine);
    // Cached: the next start answers with it even while the server hangs.
    d.state.hang = true;
    expect((await d.start()).info).toMatchObject({ catalogVersion: 'test-2', items: 5 });
  });

  it('keeps the cached catalog when the server fails or sends an invalid one, and says so in diagnostics()', async () => {
    const d = device();
    await d.close((await d.start()).engine);
    d.state.status = 503;
    const failed = await d.start();
    expect(failed.info.catalogVersion).toBe('test-1');
    await expect.poll(async () => (await failed.engine.diagnostics()).catalog.error).toMatch(/kept.*HTTP 503/);
    expect((await failed.engine.diagnostics()).catalog.version).toBe('test-1');
    expect((await failed.engine.recommend({ k: 3 })).items).toHaveLength(3);
    expect(failed.events.some((e) => e.type === 'catalog')).toBe(false);
    await d.close(failed.engine);
    d.state.status = 200;
    d.state.catalog = { ...v2(), items: [{ id: 'x' }] } as unknown as CatalogJson;
    const invalid = await d.start();
    await expect.poll(async () => (await invalid.engine.diagnostics()).catalog.error).toMatch(/kept.*items\[0\]/);
    expect((await invalid.engine.recommend({ k: 3 })).items).toHaveLength(3);
  });

  it('a 304 counts as a check: the cache stays young for another max-age', async () => {
    const d = device();
    await d.close((await d.start()).engine);
    d.clock.now += CATALOG_MAX_AGE_MS - HOUR;
    const second = await d.start();
    await expect.poll(() => d.state.asked.length).toBe(2);
    await d.close(second.engine);
    // 23 h after the 304, 46 h after the download: still answered from the cache at once.
    d.clock.now += CATALOG_MAX_AGE_MS - HOUR;
    d.state.hang = true;
    expect((await d.start()).info.catalogVersion).toBe('test-1');
  });

  it('does not answer from a cache past its max-age: the start waits for the server, and ranks its new version at once', async () => {
    const d = device();
    await d.close((await d.start()).engine);
    d.state.catalog = v2();
    d.clock.now += CATALOG_MAX_AGE_MS;
    const { info, events } = await d.start();
    expect(info.catalogVersion).toBe('test-2');
    expect(events.some((e) => e.type === 'catalog')).toBe(false);
  });

  it('does not answer from the cache of another catalog URL', async () => {
    const d = device();
    await d.close((await d.start()).engine);
    // /other.json is not served: with no cache of its own the start fails, whatever /catalog.json left.
    await expect(d.start({ catalog: '/other.json' })).rejects.toMatchObject({ code: 'catalog_fetch_failed' });
  });
});

describe('the cached catalog record', () => {
  const withEmbeddings = () => {
    const json = testCatalogJson();
    json.items = json.items.map((item, i) => ({ ...item, embedding: [i + 1, 1, 0.5, -2] }));
    return parseCatalog(json);
  };

  it('is three Blobs that give the built catalog back: items without embeddings, matrix, prior, index', async () => {
    const built = withEmbeddings();
    const blobs = catalogBlobs(built);
    expect(blobs.matrix.size).toBe(built.matrix.byteLength);
    const back = await catalogFromBlobs(blobs);
    expect(back.matrix).toEqual(built.matrix);
    expect(back.prior).toEqual(built.prior);
    expect(back.index).toEqual(built.index);
    expect(back.items).toEqual(built.items.map(({ embedding: _, ...item }) => item));
    expect({ ...back, items: 0, matrix: 0, prior: 0, index: 0 }).toEqual({ ...built, items: 0, matrix: 0, prior: 0, index: 0 });
  });

  it('refuses a record whose parts do not fit together (storage_failed), and the engine then downloads the catalog', async () => {
    const built = withEmbeddings();
    const blobs = catalogBlobs(built);
    await expect(catalogFromBlobs({ ...blobs, matrix: blobs.matrix.slice(0, 16) })).rejects.toMatchObject({ code: 'storage_failed' });
    await expect(catalogFromBlobs({ ...blobs, about: new Blob(['{"items":[]}']) })).rejects.toMatchObject({ code: 'storage_failed' });
    const d = device();
    await d.close((await d.start()).engine);
    const db = await openDB(d.dbName()!);
    const [record] = await db.getAll('catalogs');
    await db.put('catalogs', { ...record, blobs: { ...record.blobs, prior: new Blob([new Uint8Array(3)]) } });
    db.close();
    d.clock.now += HOUR;
    const again = await d.start();
    expect(again.info.catalogVersion).toBe('test-1');
    // Downloaded in full (a 304 would have nothing to start from) and cached again, whole.
    expect(d.state.asked.at(-1)).toBeNull();
    await d.close(again.engine);
    d.state.hang = true;
    expect((await d.start()).info.catalogVersion).toBe('test-1');
  });

  it('reads a catalog cached sealed by the previous SDK (built), so an update starts warm', async () => {
    const d = device();
    await d.close((await d.start()).engine);
    const db = await openDB(d.dbName()!);
    const sealer = new Sealer((await db.get('meta', 'key')) as CryptoKey);
    const built = withEmbeddings();
    const parts = catalogParts(built);
    const bytes = (a: Float32Array<ArrayBuffer>) => new Uint8Array(a.buffer);
    const sealed = await Promise.all([sealer.sealBytes(new TextEncoder().encode(JSON.stringify(parts.about))), sealer.sealBytes(bytes(parts.matrix)), sealer.sealBytes(bytes(parts.prior))]);
    const [record] = await db.getAll('catalogs');
    await db.put('catalogs', { version: record.version, source: record.source, storedAt: record.storedAt, built: { about: sealed[0], matrix: sealed[1], prior: sealed[2] } });
    db.close();
    const storage = await IdbStorage.open(d.dbName()!);
    const back = (await storage.cachedCatalog('/catalog.json'))!.catalog;
    storage.close();
    expect(back.matrix).toEqual(built.matrix);
    expect(back.items.map((i) => i.id)).toEqual(built.items.map((i) => i.id));
    // A start from it (the server answers 304) writes it again in this SDK's form, same version.
    d.clock.now += CATALOG_MAX_AGE_MS;
    const { engine, info } = await d.start();
    expect(info.catalogVersion).toBe('test-1');
    await d.close(engine);
    const after = await openDB(d.dbName()!);
    const [rewritten] = await after.getAll('catalogs');
    after.close();
    expect(rewritten.built).toBeUndefined();
    expect(rewritten.blobs.matrix).toBeInstanceOf(Blob);
  });

  it('notes the ETag and when the server confirmed the copy', async () => {
    const storage = await IdbStorage.open(`record-${Math.random()}`);
    await storage.cacheCatalog('/catalog.json', withEmbeddings(), '"a"', T0);
    expect(await storage.cachedCatalogTag('/catalog.json')).toEqual({ version: 'test-1', etag: '"a"', checkedAt: T0 });
    storage.close();
  });
});
