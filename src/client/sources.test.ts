/**
 * The page side of live source wiring: what each source hands to `send`, in both load orders of
 * GTM and localrec, and that nothing a page pushes (or an odd source object) ever throws into it.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SourceName } from '../protocol';
import { listenToSources, plainCopy, POLL_MS, type Sources } from './sources';

/** gtag's own shape: `function gtag(){dataLayer.push(arguments)}` pushes a real Arguments object. */
function args(..._values: unknown[]): IArguments {
  // eslint-disable-next-line prefer-rest-params
  return arguments;
}

/**
 * What gtm.js does when it loads: keep the push it finds, put its own in its place, and have that
 * one call the kept push and then process the entries (GTM reads `dataLayer` the same way).
 */
function loadGtm(layer: unknown[]) {
  const processed: unknown[] = [];
  const found = layer.push;
  layer.push = function (this: unknown[], ...entries: unknown[]) {
    const length = found.apply(this, entries);
    processed.push(...entries);
    return length;
  };
  return processed;
}

/** Listens to `sources`, keeping what reaches `send` per source. */
function listen(sources: Sources) {
  const sent: { source: SourceName; payload: unknown }[] = [];
  const stop = listenToSources(sources, (source, payload) => sent.push({ source, payload }));
  return { sent, stop, payloads: (source: SourceName = 'dataLayer') => sent.filter((s) => s.source === source).map((s) => s.payload) };
}

const view = (id: string) => ({ event: 'view_item', ecommerce: { items: [{ item_id: id }] } });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('plainCopy', () => {
  it('drops functions and symbols, writes an Arguments object as JSON does and keeps the rest', () => {
    const push = { event: 'purchase', eventCallback: () => 1, [Symbol('s')]: 1, ecommerce: { value: 5, items: [{ item_id: 'a', at: new Date(0) }] } };
    expect(plainCopy(push)).toEqual({ event: 'purchase', ecommerce: { value: 5, items: [{ item_id: 'a', at: '1970-01-01T00:00:00.000Z' }] } });
    expect(plainCopy(args('event', 'view_item', { items: [{ item_id: 'x' }], event_callback: () => 1 })))
      .toEqual({ 0: 'event', 1: 'view_item', 2: { items: [{ item_id: 'x' }] } });
    expect(plainCopy([1, () => 1, 'x'])).toEqual([1, null, 'x']);
    expect(plainCopy('view')).toBe('view');
    expect(plainCopy(() => 1)).toBeUndefined();
  });

  it('cuts a cycle instead of throwing, keeping what comes before it', () => {
    const ecommerce: Record<string, unknown> = { items: [{ item_id: 'a' }] };
    const entry = { event: 'add_to_cart', ecommerce };
    ecommerce.self = ecommerce;
    ecommerce.entry = entry;
    const copy = plainCopy(entry) as { event: string; ecommerce: { items: unknown[]; self: { items: unknown[] } } };
    expect(copy.event).toBe('add_to_cart');
    expect(copy.ecommerce.items).toEqual([{ item_id: 'a' }]);
    expect(copy.ecommerce.self.items).toEqual([{ item_id: 'a' }]);
    expect(JSON.stringify(copy).length).toBeLessThan(200_000);
  });

  it('leaves DOM nodes out and cuts huge arrays and deep nesting short', () => {
    const node = { nodeType: 1, tagName: 'A', parentNode: {} };
    expect(plainCopy({ event: 'gtm.click', 'gtm.element': node })).toEqual({ event: 'gtm.click' });
    const huge = plainCopy({ items: new Array(1e9) }) as { items: unknown[] };
    expect(huge.items.length).toBeLessThanOrEqual(1000);
    let deep: Record<string, unknown> = { item_id: 'bottom' };
    for (let i = 0; i < 50_000; i++) deep = { next: deep };
    expect(() => plainCopy(deep)).not.toThrow();
  });

  it('gives undefined, never an exception, for what JSON cannot write', () => {
    const throwing = Object.defineProperty({}, 'event', { enumerable: true, get() { throw new Error('boom'); } });
    const trap = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const odd of [throwing, trap, revoked.proxy, { n: 10n }, 10n, Symbol('x'), undefined]) expect(plainCopy(odd)).toBeUndefined();
  });

  it('never throws, and what it returns survives structuredClone unchanged', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }), (v) => {
      const copy = plainCopy(v);
      expect(structuredClone(copy)).toEqual(copy);
    }));
  });
});

describe('dataLayer', () => {
  it('reads what was pushed before it loaded, then every push, once each and in order', () => {
    const layer: unknown[] = [{ event: 'gtm.js' }, args('config', 'G-1'), view('a')];
    const { payloads } = listen({ dataLayer: layer });
    expect(payloads()).toEqual([{ event: 'gtm.js' }, { 0: 'config', 1: 'G-1' }, view('a')]);
    expect(layer.push(view('b'), { ecommerce: null })).toBe(5);
    layer.push(args('event', 'add_to_cart', { items: [{ item_id: 'c' }] }));
    expect(payloads().slice(3)).toEqual([view('b'), { ecommerce: null }, { 0: 'event', 1: 'add_to_cart', 2: { items: [{ item_id: 'c' }] } }]);
    expect(layer).toHaveLength(6);
  });

  it('keeps reading when GTM loads after it and replaces push, and GTM still gets every entry', () => {
    const layer: unknown[] = [view('early')];
    const { payloads } = listen({ dataLayer: layer });
    const gtm = loadGtm(layer);
    expect(layer.push(view('a'))).toBe(2);
    layer.push(view('b'));
    expect(gtm).toEqual([view('a'), view('b')]);
    expect(payloads()).toEqual([view('early'), view('a'), view('b')]);
  });

  it('keeps reading when GTM loaded first, and when GTM loads a second time over it', () => {
    const layer: unknown[] = [];
    const first = loadGtm(layer);
    layer.push(view('before'));
    const { payloads } = listen({ dataLayer: layer });
    layer.push(view('a'));
    const second = loadGtm(layer);
    layer.push(view('b'));
    expect(first).toEqual([view('before'), view('a'), view('b')]);
    expect(second).toEqual([view('b')]);
    expect(payloads()).toEqual([view('before'), view('a'), view('b')]);
  });

  it('reads pushes that go around its wrapper: a push that does not chain, defineProperty, a direct write', () => {
    const layer: unknown[] = [];
    const { payloads } = listen({ dataLayer: layer });
    // A tag manager that appends itself instead of calling the push it found: the setter still wraps it.
    layer.push = function (this: unknown[], ...entries: unknown[]) {
      return Array.prototype.push.apply(this, entries);
    };
    layer.push(view('a'));
    expect(payloads()).toEqual([view('a')]);
    // Replaced past the setter: read by the poll.
    Object.defineProperty(layer, 'push', { configurable: true, writable: true, value: Array.prototype.push });
    layer.push(view('b'));
    layer[layer.length] = view('c');
    expect(payloads()).toHaveLength(1);
    vi.advanceTimersByTime(POLL_MS);
    expect(payloads()).toEqual([view('a'), view('b'), view('c')]);
  });

  it('reads a layer the page emptied from its new end', () => {
    const layer: unknown[] = [view('a'), view('b')];
    const { payloads } = listen({ dataLayer: layer });
    layer.length = 0;
    layer.push(view('c'));
    expect(payloads()).toEqual([view('a'), view('b'), view('c')]);
  });

  it('never throws into a push: odd entries, a send that throws; an error of the page\'s own push is the page\'s', () => {
    const layer: unknown[] = [];
    const sent: unknown[] = [];
    listenToSources({ dataLayer: layer }, (_source, payload) => {
      sent.push(payload);
      throw new Error('send failed');
    });
    const throwing = Object.defineProperty({}, 'event', { enumerable: true, get() { throw new Error('getter'); } });
    const odd = [null, 42, 'view_item', Symbol('x'), 10n, () => 1, throwing, new Proxy({}, { ownKeys() { throw new Error('trap'); } })];
    for (const entry of odd) expect(() => layer.push(entry)).not.toThrow();
    expect(layer).toHaveLength(odd.length);
    expect(sent).toEqual([null, 42, 'view_item', undefined, undefined, undefined, undefined, undefined]);
    // GTM's push failing is not localrec's to hide: the error reaches the page as it would have without localrec.
    layer.push = () => {
      throw new TypeError('gtm broke');
    };
    expect(() => layer.push(view('x'))).toThrow('gtm broke');
  });

  it('reads a frozen layer it cannot wrap, without throwing', () => {
    const layer = Object.freeze([view('a')]) as unknown[];
    const { payloads, stop } = listen({ dataLayer: layer });
    expect(payloads()).toEqual([view('a')]);
    expect(() => stop()).not.toThrow();
  });

  it('on stop, reads nothing more and passes every push through, to GTM too', () => {
    const layer: unknown[] = [];
    const { payloads, stop } = listen({ dataLayer: layer });
    const gtm = loadGtm(layer);
    stop();
    expect(layer.push(view('late'))).toBe(1);
    layer[layer.length] = view('written');
    vi.advanceTimersByTime(POLL_MS * 3);
    expect(payloads()).toEqual([]);
    expect(gtm).toEqual([view('late')]);
    expect(layer).toEqual([view('late'), view('written')]);
  });
});

describe('Segment', () => {
  /** analytics.js's emitter: on('track', fn), and track() calls that emit to it. */
  function analyticsJs() {
    const listeners: ((event: unknown, properties: unknown, options: unknown) => void)[] = [];
    return {
      on: (_name: 'track', fn: (event: unknown, properties: unknown, options: unknown) => void) => listeners.push(fn),
      track: (event: unknown, properties?: unknown) => listeners.forEach((fn) => fn(event, properties, { context: {} })),
    };
  }

  it('forwards each track call as [event, properties], copied', () => {
    const analytics = analyticsJs();
    const { payloads } = listen({ segment: analytics });
    analytics.track('Product Viewed', { product_id: 'p1', callback: () => 1 });
    analytics.track('Order Completed', { order_id: 'o1', products: [{ product_id: 'p1' }] });
    expect(payloads('segment')).toEqual([
      ['Product Viewed', { product_id: 'p1' }],
      ['Order Completed', { order_id: 'o1', products: [{ product_id: 'p1' }] }],
    ]);
  });

  it('subscribes through the snippet\'s queue before analytics.js loads, which replays the queued calls to it', () => {
    // The snippet: an array whose methods queue [method, ...args] until analytics.js takes over.
    const stub = Object.assign([] as unknown[][], {
      on: (...a: unknown[]) => stub.push(['on', ...a]),
      track: (...a: unknown[]) => stub.push(['track', ...a]),
    });
    stub.track('Product Added', { product_id: 'p1' });
    const { payloads } = listen({ segment: stub as unknown as NonNullable<Sources['segment']> });
    stub.track('Product Added', { product_id: 'p2' });
    // analytics.js registers the queued listeners, then replays the queued calls.
    const analytics = analyticsJs();
    for (const [method, ...a] of stub.filter(([m]) => m === 'on')) if (method === 'on') analytics.on(a[0] as 'track', a[1] as never);
    for (const [method, ...a] of stub.filter(([m]) => m === 'track')) if (method === 'track') analytics.track(...(a as [unknown, unknown]));
    expect(payloads('segment')).toEqual([['Product Added', { product_id: 'p1' }], ['Product Added', { product_id: 'p2' }]]);
  });

  it('leaves an analytics object without a usable on() alone', () => {
    expect(() => listen({ segment: {} as never })).not.toThrow();
    expect(() => listen({ segment: { on() { throw new Error('nope'); } } })).not.toThrow();
  });
});

describe('Shopify', () => {
  /**
   * A window for the listener: `post` dispatches a message on it as the browser would, from a
   * frame whose answers are kept in `answers`.
   */
  function page(origin = 'https://shop.example') {
    const target = new EventTarget();
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
    vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
    vi.stubGlobal('location', { origin });
    const answers: { message: unknown; targetOrigin: string }[] = [];
    const frame = { postMessage: (message: unknown, targetOrigin: string) => answers.push({ message, targetOrigin }) };
    const post = (data: unknown, from: string) => target.dispatchEvent(Object.assign(new Event('message'), { data, origin: from, source: frame }));
    return Object.assign(post, { answers });
  }
  const productViewed = { name: 'product_viewed', data: { productVariant: { product: { id: 'gid://shopify/Product/1' } } } };

  it('receives the custom pixel\'s messages from its opaque-origin sandbox or this page\'s origin, and nothing else', () => {
    const post = page();
    const { payloads } = listen({ shopify: true });
    post({ localrec: 'shopify', id: 1, event: productViewed }, 'null');
    post({ localrec: 'shopify', id: 2, event: { name: 'page_viewed' } }, 'https://shop.example');
    post({ localrec: 'shopify', id: 3, event: productViewed }, 'https://ads.example');
    post({ localrec: 'segment', id: 4, event: productViewed }, 'null');
    post(productViewed, 'null');
    post('localrec', 'null');
    post(null, 'null');
    expect(payloads('shopify')).toEqual([
      { localrec: 'shopify', id: 1, event: productViewed },
      { localrec: 'shopify', id: 2, event: { name: 'page_viewed' } },
    ]);
    // Answered, so the pixel stops posting them again; what was not taken is not answered.
    expect(post.answers).toEqual([{ message: { localrec: 1 }, targetOrigin: '*' }, { message: { localrec: 2 }, targetOrigin: '*' }]);
  });

  it('passes an odd message on as it is, for the worker to judge, and stops listening on stop', () => {
    const post = page();
    const { payloads, stop } = listen({ shopify: true });
    post({ localrec: 'shopify', id: 'a', event: 'product_viewed' }, 'null');
    post({ localrec: 'shopify' }, 'null');
    stop();
    post({ localrec: 'shopify', id: 'b', event: productViewed }, 'null');
    expect(payloads('shopify')).toEqual([{ localrec: 'shopify', id: 'a', event: 'product_viewed' }, { localrec: 'shopify' }]);
    expect(post.answers.map((a) => a.message)).toEqual([{ localrec: 'a' }, { localrec: undefined }]);
  });

  it('does not listen unless asked to', () => {
    const post = page();
    const { sent } = listen({ shopify: false });
    post({ localrec: 'shopify', event: productViewed }, 'null');
    expect(sent).toEqual([]);
  });
});
