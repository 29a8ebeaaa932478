import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { SDK_HOST, serveSdk } from './sdk-host';

/**
 * The faults of issue 8's table, in real Chromium, one test each, on the script-tag build served
 * from an https origin of our own (storage is sealed with WebCrypto, which needs a secure
 * context): exhausted quota, IndexedDB missing or refusing, a first catalog load that fails, a
 * damaged stored profile, a database from a newer SDK, data at rest, hostile events, names of
 * built-ins, and out-of-range numbers. (Closing the page, killing the worker and two tabs are in
 * reliability.spec.ts and tabs.spec.ts; growth figures come from bench/.)
 */

interface Outcome { ok?: unknown; error?: { name: string; code?: string | undefined; field?: string | undefined; message: string; typed: boolean } }

/** Starts `window.rec` with `options` (catalog /catalog.json unless given) and returns ready()'s outcome. */
async function start(page: Page, options: Record<string, unknown>): Promise<Outcome> {
  await page.goto(`${SDK_HOST}/`);
  return page.evaluate(async (o) => {
    const w = window as unknown as { rec: unknown; localrec: { createLocalrec(o: unknown): { ready(): Promise<unknown> }; LocalrecError: new () => Error } };
    const rec = w.localrec.createLocalrec({ catalog: '/catalog.json', backend: 'cpu', ...o });
    w.rec = rec;
    try {
      return { ok: await rec.ready() };
    } catch (e) {
      const err = e as { name: string; code?: string; field?: string; message: string };
      return { error: { name: err.name, code: err.code, field: err.field, message: err.message, typed: e instanceof w.localrec.LocalrecError } };
    }
  }, options);
}

/** Calls `rec[name](arg)` on the page; a rejection comes back as `error`, with whether it is a LocalrecError. */
async function call(page: Page, name: string, arg?: unknown): Promise<Outcome> {
  return page.evaluate(async ([n, a]) => {
    const w = window as unknown as { rec: Record<string, (x?: unknown) => Promise<unknown>>; localrec: { LocalrecError: new () => Error } };
    try {
      return { ok: await w.rec[n as string]!(a) };
    } catch (e) {
      const err = e as { name: string; code?: string; field?: string; message: string };
      return { error: { name: err.name, code: err.code, field: err.field, message: err.message, typed: e instanceof w.localrec.LocalrecError } };
    }
  }, [name, arg] as const);
}

const value = async <T>(page: Page, name: string, arg?: unknown): Promise<T> => {
  const out = await call(page, name, arg);
  expect(out.error, `${name}() should resolve`).toBeUndefined();
  return out.ok as T;
};

interface Snapshot { storedEvents: number; events: Record<string, number>; cart: { itemId: string; quantity: number }[]; topBrands: { key: string; score: number }[] }
interface Storage { storage: { mode: string; reason?: string } }

const dbName = (what: string) => `faults-${what}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
const IDS = ['85123A', '71053', '84406B', '84029G', '84029E', '22752', '21730', '22633', '22632', '84879'];

/** The lib worker with `prefix` run before it: how a spec takes IndexedDB away inside the worker. */
function workerWith(prefix: string) {
  return (path: string) => path === '/sdk/localrec-worker.js'
    ? { contentType: 'text/javascript', body: `${prefix}\n${readFileSync('dist/lib/localrec-worker.js', 'utf8')}` }
    : undefined;
}

/** Tracks `n` events spread over the last hours, not awaited; returns how many resolved stored. */
async function trackMany(page: Page, n: number): Promise<number> {
  return page.evaluate(async ([count, ids]) => {
    const rec = (window as unknown as { rec: { track(e: unknown): Promise<{ stored: boolean }> } }).rec;
    const now = Date.now();
    const results = await Promise.all(Array.from({ length: count }, (_, i) => rec.track(i % 4 === 3
      ? { type: 'search', query: `lantern candle holder gift ${i}`, time: now - (count - i) * 20_000 }
      : { type: i % 4 === 0 ? 'add_to_cart' : 'view', itemId: ids[i % ids.length], time: now - (count - i) * 20_000 - (i % 7) * 1_000 })));
    return results.filter((r) => r.stored).length;
  }, [n, IDS] as const);
}

test.beforeEach(async ({ context }) => serveSdk(context));

async function overrideQuota(context: BrowserContext, page: Page, bytes: number): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: SDK_HOST, quotaSize: bytes });
}

for (const bytes of [1, 64 * 1024]) {
  test(`storage quota of ${bytes} B: every track() resolves, the profile learns in memory, diagnostics() says why`, async ({ context, page }) => {
    await page.goto(`${SDK_HOST}/`);
    await overrideQuota(context, page, bytes);
    const ready = await start(page, { dbName: dbName('quota') });
    expect(ready.error).toBeUndefined();
    expect(await trackMany(page, 300)).toBe(300);
    const p = await value<Snapshot>(page, 'profile');
    expect(p.events.view! + p.events.add_to_cart! + p.events.search!).toBe(300);
    const d = await value<Storage>(page, 'diagnostics');
    // Too small for the database itself: it learns in memory and says why.
    expect(d.storage).toMatchObject({ mode: 'memory', reason: expect.stringMatching(/QuotaExceededError/) });
    console.log(JSON.stringify({ quotaBytes: bytes, storage: d.storage, storedEvents: p.storedEvents, learned: 300 }));
  });
}

for (const [what, prefix] of [
  ['missing', "Object.defineProperty(self, 'indexedDB', { value: undefined, configurable: true });"],
  ['refusing to open', "IDBFactory.prototype.open = function () { throw new DOMException('The user denied permission to access the database.', 'UnknownError'); };"],
] as const) {
  test(`IndexedDB ${what}: ready() says memory and why; track(), recommend() and profile() work`, async ({ context, page }) => {
    await context.unrouteAll();
    await serveSdk(context, workerWith(prefix));
    const ready = await start(page, { dbName: dbName('no-idb') });
    expect(ready.ok).toMatchObject({ storage: { mode: 'memory', reason: expect.stringMatching(/storage unavailable/) } });
    expect(await trackMany(page, 20)).toBe(20);
    expect((await value<{ items: unknown[] }>(page, 'recommend', { k: 5 })).items).toHaveLength(5);
    expect((await value<Snapshot>(page, 'profile')).events.view).toBeGreaterThan(0);
  });
}

test('a first catalog load that fails: ready() rejects typed, track() records meanwhile, the retry recovers', async ({ context, page }) => {
  let failures = 2;
  await context.unrouteAll();
  await serveSdk(context, (path) => (path === '/catalog.json' && failures-- > 0 ? { status: 503, body: 'busy' } : undefined));
  const ready = await start(page, { dbName: dbName('catalog') });
  expect(ready.error).toMatchObject({ code: 'catalog_fetch_failed', typed: true });
  expect(ready.error!.message).toMatch(/retries in the background/);
  expect((await call(page, 'track', { type: 'view', itemId: '85123A' })).ok).toMatchObject({ stored: true });
  // Backoff: 1 s, then 2 s.
  await expect.poll(async () => (await call(page, 'recommend', { k: 3 })).error?.code ?? 'ok', { timeout: 15_000 }).toBe('ok');
  expect((await value<Snapshot>(page, 'profile')).events.view).toBe(1);
});

test('a bad catalog update: ranking goes on with the cached copy, and diagnostics() says why', async ({ context, page }) => {
  const db = dbName('stale');
  expect((await start(page, { dbName: db })).ok).toBeDefined();
  await value(page, 'destroy');
  await context.unrouteAll();
  await serveSdk(context, (path) => (path === '/catalog.json' ? { contentType: 'application/json', body: '{"format":"localrec-catalog","items":[' } : undefined));
  // The cached copy (confirmed minutes ago) answers at once; the broken update is found in the background.
  const ready = await start(page, { dbName: db });
  expect(ready.ok).toMatchObject({ catalogVersion: expect.any(String) });
  expect((ready.ok as { catalogStale?: string }).catalogStale).toBeUndefined();
  await expect.poll(async () => (await value<{ catalog: { error?: string } }>(page, 'diagnostics')).catalog.error).toMatch(/kept.*not valid JSON/s);
  expect((await value<{ items: unknown[] }>(page, 'recommend', { k: 3 })).items).toHaveLength(3);
});

test('a new catalog version reaches a warm page: ready() answers from the cached copy, onCatalogChange follows, recommend() ranks the new one', async ({ context, page }) => {
  const db = dbName('swap');
  const ready = await start(page, { dbName: db });
  const first = (ready.ok as { catalogVersion: string }).catalogVersion;
  await value(page, 'destroy');
  const json = JSON.parse(readFileSync('demo/data/catalog.json', 'utf8')) as { version: string; items: { id: string }[] };
  const kept = json.items.slice(0, 50);
  await context.unrouteAll();
  await serveSdk(context, (path) => (path === '/catalog.json' ? { contentType: 'application/json', body: JSON.stringify({ ...json, version: 'e2e-next', items: kept }) } : undefined));
  await page.goto(`${SDK_HOST}/`);
  const swap = await page.evaluate(async (name) => {
    const w = window as unknown as { rec: unknown; localrec: { createLocalrec(o: unknown): { ready(): Promise<{ catalogVersion: string }>; onCatalogChange(l: (c: unknown) => void): () => void } } };
    const rec = w.localrec.createLocalrec({ catalog: '/catalog.json', backend: 'cpu', dbName: name });
    w.rec = rec;
    const changed = new Promise((resolve) => rec.onCatalogChange(resolve));
    const info = await rec.ready();
    return { readyVersion: info.catalogVersion, change: await changed };
  }, db);
  expect(swap).toEqual({ readyVersion: first, change: { type: 'catalog', version: 'e2e-next', items: 50 } });
  const ids = new Set(kept.map((i) => i.id));
  const ranked = (await value<{ items: { id: string }[] }>(page, 'recommend', { k: 20 })).items;
  expect(ranked.length).toBeGreaterThan(0);
  expect(ranked.every((r) => ids.has(r.id))).toBe(true);
  expect((await value<{ catalog: { version: string } }>(page, 'diagnostics')).catalog.version).toBe('e2e-next');
});

/** Writes `value` over the sealed profile record, as a damaged disk or an old bug would leave it. */
async function damageProfile(page: Page, db: string, value: unknown): Promise<void> {
  await page.evaluate(async ([name, v]) => {
    const open = indexedDB.open(name as string);
    const idb = await new Promise<IDBDatabase>((resolve, reject) => { open.onsuccess = () => resolve(open.result); open.onerror = () => reject(open.error); });
    const tx = idb.transaction('profile', 'readwrite');
    tx.objectStore('profile').put(v, 'current');
    await new Promise((r) => { tx.oncomplete = r; });
    idb.close();
  }, [db, value] as const);
}

test('a damaged stored profile is rebuilt from the event log: no TypeError, nothing lost', async ({ page }) => {
  const db = dbName('damaged');
  await start(page, { dbName: db });
  for (const itemId of IDS.slice(0, 5)) await value(page, 'track', { type: 'view', itemId });
  await value(page, 'destroy');
  for (const damage of [{ schema: 1, dim: 'x' }, 'not a profile', { iv: new Uint8Array(12), data: new ArrayBuffer(40) }]) {
    await damageProfile(page, db, damage);
    expect((await start(page, { dbName: db })).error).toBeUndefined();
    const p = await value<Snapshot>(page, 'profile');
    expect(p).toMatchObject({ storedEvents: 5 });
    expect(p.events.view).toBe(5);
    expect((await value<{ items: unknown[] }>(page, 'recommend', { k: 3 })).items).toHaveLength(3);
    await value(page, 'destroy');
  }
});

test('a database written by a newer localrec (a rollback): memory mode with a clear reason, every call works', async ({ page }) => {
  const db = dbName('newer');
  await page.goto(`${SDK_HOST}/`);
  await page.evaluate(async (name) => {
    const open = indexedDB.open(name, 99);
    open.onupgradeneeded = () => open.result.createObjectStore('from-the-future');
    await new Promise((r) => { open.onsuccess = () => { open.result.close(); r(undefined); }; });
  }, db);
  const ready = await start(page, { dbName: db });
  expect(ready.ok).toMatchObject({ storage: { mode: 'memory', reason: expect.stringMatching(/newer localrec/) } });
  expect(await trackMany(page, 10)).toBe(10);
  expect((await value<{ items: unknown[] }>(page, 'recommend', { k: 3 })).items).toHaveLength(3);
});

test('at rest: outside the cached public catalog, the raw database holds no item id, title, query or price in clear text; exportData() reads it all', async ({ page }) => {
  const db = dbName('at-rest');
  await start(page, { dbName: db });
  const catalog = JSON.parse(readFileSync('demo/data/catalog.json', 'utf8')) as { items: { id: string; title: string; price: number }[] };
  const item = catalog.items.find((i) => i.id === '85123A')!;
  await value(page, 'track', { type: 'view', itemId: item.id });
  await value(page, 'track', { type: 'search', query: 'jane.doe@example.com lantern' });
  await value(page, 'track', { type: 'purchase', items: [{ itemId: item.id, quantity: 3, price: 7.77 }], value: 23.31, currency: 'GBP', orderId: 'order-31337' });
  // The catalog is cached after ready() and destroy() waits for that write.
  await value(page, 'destroy');
  const { raw, catalog: cachedCatalog } = await page.evaluate(async (name) => {
    const open = indexedDB.open(name);
    const idb = await new Promise<IDBDatabase>((r) => { open.onsuccess = () => r(open.result); });
    let text = '';
    let catalog = '';
    const latin1 = new TextDecoder('latin1');
    for (const store of Array.from(idb.objectStoreNames)) {
      const all = await new Promise<unknown[]>((r) => { const q = idb.transaction(store).objectStore(store).getAll(); q.onsuccess = () => r(q.result); });
      const blobs: Blob[] = [];
      const json = JSON.stringify(all, (_k, v: unknown) => (v instanceof Blob ? (blobs.push(v), '<blob>') : v instanceof ArrayBuffer ? latin1.decode(v) : ArrayBuffer.isView(v) ? latin1.decode(v as Uint8Array) : v));
      const inBlobs = (await Promise.all(blobs.map(async (b) => latin1.decode(await b.arrayBuffer())))).join('');
      // The catalog is the store's public data, the same for every shopper: not sealed (SECURITY.md).
      if (store === 'catalogs') catalog += json + inBlobs;
      else text += json + inBlobs;
    }
    idb.close();
    return { raw: text, catalog };
  }, db);
  expect(cachedCatalog).toContain(item.title);
  for (const secret of [item.id, item.title, 'jane.doe', 'lantern', '7.77', '23.31', 'order-31337']) expect(raw, secret).not.toContain(secret);
  await start(page, { dbName: db });
  const exported = await value<{ events: { type: string }[] }>(page, 'exportData');
  expect(exported.events.map((e) => e.type)).toEqual(['view', 'search', 'purchase']);
  expect(JSON.stringify(exported)).toContain('order-31337');
  expect(JSON.stringify(exported)).not.toContain('jane.doe');
});

test('hostile events: every rejection is a LocalrecError naming the field, valid events with extra fields pass, the store is unchanged', async ({ page }) => {
  await start(page, { dbName: dbName('hostile') });
  const before = (await value<Snapshot>(page, 'profile')).storedEvents;
  const outcomes = await page.evaluate(async () => {
    const w = window as unknown as { rec: { track(e: unknown): Promise<unknown> }; localrec: { LocalrecError: new () => Error } };
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) deep = (deep.next = {}) as Record<string, unknown>;
    const cyclic: Record<string, unknown> = { type: 'view', itemId: '85123A' };
    cyclic.self = cyclic;
    const hostile: [string, unknown][] = [
      ['throwing getter', Object.defineProperty({ type: 'view' }, 'itemId', { get() { throw new Error('gotcha'); }, enumerable: true })],
      ['proxy', new Proxy({}, { get() { throw new Error('proxy trap'); }, ownKeys() { throw new Error('keys trap'); } })],
      ['function field', { type: 'view', itemId: '85123A', callback: () => 1 }],
      ['symbol id', { type: 'view', itemId: Symbol('x') }],
      ['bigint quantity', { type: 'add_to_cart', itemId: '85123A', quantity: 2n }],
      ['10,000 deep', { type: 'view', itemId: '85123A', extra: root }],
      ['array', ['view', '85123A']],
      ['null', null],
      ['string', 'view 85123A'],
      ['unknown type', { type: 'teleport', itemId: '85123A' }],
      ['number id', { type: 'view', itemId: 85123 }],
      ['huge id', { type: 'view', itemId: 'x'.repeat(100_000) }],
    ];
    const out: { label: string; typed: boolean; code?: string | undefined; field?: string | undefined; resolved?: boolean }[] = [];
    for (const [label, event] of hostile) {
      try {
        await w.rec.track(event);
        out.push({ label, typed: false, resolved: true });
      } catch (e) {
        out.push({ label, typed: e instanceof w.localrec.LocalrecError, code: (e as { code?: string }).code, field: (e as { field?: string }).field });
      }
    }
    let valid: unknown;
    try {
      valid = await w.rec.track({ type: 'view', itemId: '85123A', utm: { source: 'mail', nested: { a: [1, 2, { b: 'c' }] } } });
    } catch (e) {
      valid = { rejected: String(e) };
    }
    return { out, valid };
  });
  for (const o of outcomes.out) {
    expect(o, o.label).toMatchObject({ typed: true, code: 'invalid_event' });
    expect(o.field, o.label).toMatch(/\w/);
  }
  expect(outcomes.valid).toMatchObject({ stored: true });
  expect((await value<Snapshot>(page, 'profile')).storedEvents).toBe(before + 1);
});

test('names of built-ins (constructor, __proto__, toString) are plain ids, brands and categories', async ({ page }) => {
  const item = (id: string, brand: string, category: string[], price: number) => ({ id, title: `${id} ${brand}`, category, price, brand, available: true, popularity: 10 });
  const catalog = {
    format: 'localrec-catalog', formatVersion: 1, version: 'built-ins', currency: 'GBP',
    items: [
      item('constructor', 'toString', ['hasOwnProperty', '__proto__'], 3),
      item('__proto__', 'constructor', ['hasOwnProperty', 'valueOf'], 4),
      item('toString', 'valueOf', ['Home', 'Candles'], 5),
      item('plain', 'Regency', ['Home', 'Kitchen'], 6),
    ],
  };
  await start(page, { dbName: dbName('built-ins'), catalog });
  for (let i = 0; i < 5; i++) await value(page, 'track', { type: 'view', itemId: '__proto__', time: Date.now() - (5 - i) * 20_000 });
  await value(page, 'track', { type: 'add_to_cart', itemId: 'constructor', quantity: 2 });
  const p = await value<Snapshot & { topCategories: { key: string; score: number }[] }>(page, 'profile');
  expect(p.cart).toEqual([{ itemId: 'constructor', quantity: 2 }]);
  expect(p.topBrands[0]).toMatchObject({ key: 'constructor' });
  for (const a of [...p.topBrands, ...p.topCategories]) expect(Number.isFinite(a.score), a.key).toBe(true);
  const recs = await value<{ items: { id: string; score: number }[] }>(page, 'recommend', { k: 4 });
  expect(recs.items.length).toBeGreaterThan(0);
  for (const r of recs.items) expect(Number.isFinite(r.score), r.id).toBe(true);
});

test('numbers out of range are typed errors naming the field, and the store is unchanged', async ({ page }) => {
  await start(page, { dbName: dbName('numbers') });
  const before = (await value<Snapshot>(page, 'profile')).storedEvents;
  const cases: [unknown, string][] = [
    [{ type: 'add_to_cart', itemId: '85123A', quantity: 1.8e308 }, 'quantity'],
    [{ type: 'add_to_cart', itemId: '85123A', quantity: 2.5 }, 'quantity'],
    [{ type: 'add_to_cart', itemId: '85123A', quantity: -1 }, 'quantity'],
    [{ type: 'add_to_cart', itemId: '85123A', price: 1e300 }, 'price'],
    [{ type: 'purchase', items: [{ itemId: '85123A', quantity: 1, price: 2.95 }], value: 1e300 }, 'value'],
    [{ type: 'view', itemId: '85123A', time: Date.now() + 24 * 3_600_000 }, 'time'],
    [{ type: 'view', itemId: '85123A', time: Number.NaN }, 'time'],
  ];
  for (const [event, field] of cases) {
    const out = await call(page, 'track', event);
    expect(out.error, JSON.stringify(event)).toMatchObject({ typed: true, code: 'invalid_event' });
    expect(out.error!.field, JSON.stringify(event)).toContain(field);
  }
  expect((await value<Snapshot>(page, 'profile')).storedEvents).toBe(before);
});
