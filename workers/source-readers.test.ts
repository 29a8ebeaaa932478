/**
 * The worker's half of live source wiring: reading each source's payloads with the adapters
 * (GTM's carried `ecommerce` kept from push to push), counting them, and the engine learning
 * what they say as track() would, replays and repeated orders included.
 */
import 'fake-indexeddb/auto';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { T0, testCatalogJson } from '../src/core/testing/fixtures';
import type { SourceResult } from '../src/protocol';
import type { Engine } from './engine';
import { SourceReaders } from './source-readers';
import { engineSuite } from './testing/engines';
import { nodeHost } from './testing/node-host';

const view = (id: string) => ({ event: 'view_item', ecommerce: { items: [{ item_id: id }] } });
const purchase = (orderId: string) => ({ event: 'purchase', ecommerce: { transaction_id: orderId, value: 8.5, currency: 'GBP', items: [{ item_id: 'k1', price: 8.5, quantity: 1 }] } });

/** The events only, as most cases here look at them. */
const read = (r: SourceReaders, source: unknown, payload: unknown, now: number) => r.read(source, payload, now).events;
const pixel = (id: unknown, event: unknown) => ({ localrec: 'shopify', id, event });

describe('SourceReaders', () => {
  it('reads dataLayer entries with GTM\'s carried ecommerce, a gtag call in its Arguments form, and counts each payload', () => {
    const r = new SourceReaders();
    expect(read(r, 'dataLayer', { event: 'gtm.js' }, T0)).toEqual([]);
    expect(read(r, 'dataLayer', { ecommerce: { items: [{ item_id: 'c1' }] } }, T0)).toEqual([]);
    expect(read(r, 'dataLayer', { event: 'view_item' }, T0)).toEqual([{ type: 'view', itemId: 'c1', time: T0 }]);
    expect(read(r, 'dataLayer', { 0: 'event', 1: 'add_to_cart', 2: { items: [{ item_id: 'c2', quantity: '2' }] } }, T0))
      .toEqual([{ type: 'add_to_cart', itemId: 'c2', quantity: 2, time: T0 }]);
    expect(r.snapshot()).toEqual({ dataLayer: { payloads: 4, events: 2, skipped: 2, malformed: 0 } });
  });

  it('reads a Segment track call and a Shopify pixel event', () => {
    const r = new SourceReaders();
    expect(read(r, 'segment', ['Product Added', { product_id: 'k2', quantity: 1, price: 2.95 }], T0))
      .toEqual([{ type: 'add_to_cart', itemId: 'k2', quantity: 1, price: 2.95, time: T0 }]);
    expect(read(r, 'segment', ['Cart Viewed', {}], T0)).toEqual([]);
    expect(r.read('shopify', pixel('e-1', { name: 'product_viewed', data: { productVariant: { product: { id: 'gid://shopify/Product/42' } } } }), T0))
      .toEqual({ events: [{ type: 'view', itemId: '42', time: T0 }], id: 'shopify:e-1' });
    expect(r.snapshot()).toEqual({
      segment: { payloads: 2, events: 1, skipped: 1, malformed: 0 },
      shopify: { payloads: 1, events: 1, skipped: 0, malformed: 0 },
    });
  });

  it('counts as malformed what is not the source\'s shape, and an event track() would refuse, keeping its other events', () => {
    const r = new SourceReaders();
    for (const odd of [undefined, null, 42, 'view_item']) expect(read(r, 'dataLayer', odd, T0)).toEqual([]);
    for (const odd of [undefined, 'Product Viewed', [42, {}], {}]) expect(read(r, 'segment', odd, T0)).toEqual([]);
    for (const odd of [undefined, { name: 'product_viewed' }, pixel('x', 'product_viewed'), pixel('y', { data: {} }), pixel('z', { name: 7 })]) {
      expect(read(r, 'shopify', odd, T0)).toEqual([]);
    }
    const tooLong = 'x'.repeat(300);
    expect(read(r, 'dataLayer', { event: 'view_item', items: [{ item_id: tooLong }, { item_id: 'c1' }] }, T0)).toEqual([{ type: 'view', itemId: 'c1', time: T0 }]);
    expect(r.snapshot()).toEqual({
      dataLayer: { payloads: 5, events: 1, skipped: 0, malformed: 5 },
      segment: { payloads: 4, events: 0, skipped: 0, malformed: 4 },
      shopify: { payloads: 5, events: 0, skipped: 0, malformed: 5 },
    });
  });

  it('gives a pixel message its pixel id, and no other payload an id', () => {
    const r = new SourceReaders();
    expect(r.read('shopify', pixel(7, { name: 'page_viewed' }), T0)).toEqual({ events: [], id: 'shopify:7' });
    expect(r.read('shopify', pixel({ toString: 'x' }, { name: 'page_viewed' }), T0).id).toBeUndefined();
    expect(r.read('shopify', pixel('x'.repeat(101), { name: 'page_viewed' }), T0).id).toBeUndefined();
    expect(r.read('dataLayer', { event: 'view_item', id: 'x', items: [{ item_id: 'c1' }] }, T0).id).toBeUndefined();
  });

  it('refuses a source it does not know, and says nothing before a source sent something', () => {
    const r = new SourceReaders();
    expect(r.snapshot()).toBeUndefined();
    expect(() => read(r, 'toString', {}, T0)).toThrow(expect.objectContaining({ code: 'invalid_argument', field: 'source' }));
    expect(() => read(r, undefined, {}, T0)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(r.snapshot()).toBeUndefined();
  });
});

describe('Engine: source payloads', () => {
  const { start: startEngine } = engineSuite('sources');
  const host = nodeHost({ '/catalog.json': testCatalogJson() });
  const start = (dbName?: string) => startEngine(host, dbName === undefined ? {} : { dbName });
  const ingest = (engine: Engine, payload: unknown, eventId?: string, source: 'dataLayer' | 'segment' | 'shopify' = 'dataLayer') =>
    engine.track(payload, { source, ...(eventId ? { eventId } : {}) }) as Promise<SourceResult>;

  it('learns what the payloads say, an order sent twice counted once, and reports the sources in diagnostics()', async () => {
    const { engine } = await start();
    await ingest(engine, { event: 'gtm.js' }, 'p1');
    await ingest(engine, view('c1'), 'p2');
    await ingest(engine, { event: 'add_to_cart', ecommerce: { items: [{ item_id: 'k1', quantity: 1, price: 8.5 }] } }, 'p3');
    const first = await ingest(engine, purchase('o-1'), 'p4');
    const again = await ingest(engine, purchase('o-1'), 'p5');
    await ingest(engine, ['Product Viewed', { product_id: 'c2' }], 's1', 'segment');
    await ingest(engine, 'not an entry', 'p6');
    expect(first.read).toEqual([expect.objectContaining({ stored: true })]);
    expect(again.read).toEqual([{ stored: false, reason: 'duplicate' }]);
    const p = await engine.profile();
    expect(p.events).toMatchObject({ view: 2, add_to_cart: 1, purchase: 1 });
    expect((await engine.diagnostics()).sources).toEqual({
      dataLayer: { payloads: 6, events: 4, skipped: 1, malformed: 1 },
      segment: { payloads: 1, events: 1, skipped: 0, malformed: 0 },
    });
  });

  it('recognises a payload sent again after a restart by its id, each of its events answered as the first time', async () => {
    const first = await start();
    const listed = { event: 'view_item_list', ecommerce: { items: [{ item_id: 'c1' }, { item_id: 'k2' }] } };
    const viewed = { event: 'view_item', ecommerce: { items: [{ item_id: 'c1' }, { item_id: 'k2' }] } };
    await ingest(first.engine, listed, 'page-1');
    const once = await ingest(first.engine, viewed, 'page-2');
    await first.engine.close();
    const second = await start(first.dbName);
    const replayed = await ingest(second.engine, viewed, 'page-2');
    expect(once.read).toHaveLength(2);
    expect(replayed).toEqual(once);
    expect((await second.engine.profile()).events).toMatchObject({ impression: 1, view: 2 });
  });

  it('learns a Shopify pixel event the pixel posted twice once, whatever ids the page gave the two copies', async () => {
    const { engine } = await start();
    const added = pixel('evt-9', { name: 'product_added_to_cart', data: { cartLine: { quantity: 1, merchandise: { product: { id: '1' }, price: { amount: 2 } } } } });
    const viewed = pixel('evt-10', { name: 'product_viewed', data: { productVariant: { product: { id: 'gid://shopify/Product/c1' } } } });
    const first = await ingest(engine, added, 'page-a', 'shopify');
    await ingest(engine, viewed, 'page-b', 'shopify');
    const again = await ingest(engine, added, 'page-c', 'shopify');
    expect(again).toEqual(first);
    expect((await engine.profile()).events).toMatchObject({ add_to_cart: 1, view: 1 });
  });

  it('lets a read see the payloads sent before it, though nothing awaits them', async () => {
    const { engine } = await start();
    void ingest(engine, view('c1'), 'q1');
    void ingest(engine, { event: 'select_item', items: [{ item_id: 'k2' }] }, 'q2');
    expect((await engine.profile()).events).toMatchObject({ view: 1, click: 1 });
  });

  it('rejects a payload of an unknown source, as an invalid argument', async () => {
    const { engine } = await start();
    await expect(engine.track(view('c1'), { source: 'mixpanel' as never })).rejects.toMatchObject({ code: 'invalid_argument' });
    expect((await engine.diagnostics()).sources).toBeUndefined();
  });
});
