import { describe, expect, it } from 'vitest';
import type { Localrec, LocalrecOptions } from '../client/localrec';
import { LocalrecError } from '../core/errors';
import { startCommands } from './commands';
import { installStub, type SnippetStub } from './stub';
import { fakePage, unhandledRejectionsDuring } from './testing';

/**
 * An engine double that answers like the facade: `track` rejects an event without `type` with
 * invalid_event, `profile` returns what was tracked so far, so a test sees the order of calls.
 */
function fakeEngine() {
  const started: LocalrecOptions[] = [];
  const calls: string[] = [];
  const create = (options: LocalrecOptions): Localrec => {
    started.push(options);
    const tracked: unknown[] = [];
    const log = (name: string) => calls.push(name);
    const answer = <T>(name: string, value: T) => (log(name), Promise.resolve(value));
    return {
      ready: () => answer('ready', { items: 3 }) as never,
      async track(event) {
        log('track');
        if (!(event as { type?: string }).type) throw new LocalrecError('invalid_event', 'no type', 'type');
        tracked.push(event);
        return { stored: true, id: tracked.length, durable: true };
      },
      recommend: (request) => answer('recommend', { items: [], backend: 'cpu', tookMs: 0, k: request?.k }) as never,
      related: () => answer('related', {}) as never,
      rerank: () => answer('rerank', {}) as never,
      profile: () => answer('profile', { tracked: [...tracked] }) as never,
      predict: () => answer('predict', {}) as never,
      onStageChange: () => () => undefined,
      onProfileChange: () => () => undefined,
      onCatalogChange: () => () => undefined,
      removeInterest: () => answer('removeInterest', {}) as never,
      forget: () => answer('forget', undefined),
      setConsent: () => answer('setConsent', {}) as never,
      exportData: () => answer('exportData', {}) as never,
      diagnostics: () => answer('diagnostics', {}) as never,
      destroy: () => answer('destroy', undefined),
    };
  };
  return { create, started, calls };
}

/** The command function as a page calls it, with any method name (the typed one refuses unknown names). */
const untyped = (...args: Parameters<typeof startCommands>) => startCommands(...args) as unknown as (method: string, ...args: unknown[]) => Promise<unknown>;

const outcome = (promise: Promise<unknown>) =>
  promise.then((value) => ({ value }), (e: LocalrecError) => ({ error: e.code }));

/** A page with the snippet installed, and calls made through it before the SDK arrives. */
function snippetPage(dataset: Record<string, string> = {}) {
  const page = fakePage({ src: '/sdk/localrec.iife.js', ...dataset });
  installStub(page.window, page.document, '/default.js');
  return page;
}

describe('the SDK taking over the snippet', () => {
  it('replays the queue in order, each call with its own result or error', async () => {
    const page = snippetPage({ bundle: '/bundle.bin' });
    const stub = page.stub();
    const results = [
      stub('init', { catalog: '/catalog.json' }),
      stub('track', { type: 'view', itemId: 'a' }),
      stub('track', { itemId: 'no type' }),
      stub('recommend', { k: 3 }),
      stub('profile'),
      stub('nonsense'),
    ].map(outcome);
    const engine = fakeEngine();
    startCommands(engine.create, stub, null, LocalrecError);

    expect(await Promise.all(results)).toEqual([
      { value: { items: 3 } },
      { value: { stored: true, id: 1, durable: true } },
      { error: 'invalid_event' },
      { value: { items: [], backend: 'cpu', tookMs: 0, k: 3 } },
      { value: { tracked: [{ type: 'view', itemId: 'a' }] } },
      { error: 'invalid_argument' },
    ]);
    expect(engine.calls).toEqual(['ready', 'track', 'track', 'recommend', 'profile']);
    // The init call's options over the tag's data attributes; data-src is the snippet's own.
    expect(engine.started).toEqual([{ bundle: '/bundle.bin', catalog: '/catalog.json' }]);
  });

  it('sends later calls, through the command function or a kept reference to the stub, straight to the instance', async () => {
    const page = snippetPage();
    const stub = page.stub();
    void stub('init', { catalog: '/catalog.json' });
    const engine = fakeEngine();
    const localrec = untyped(engine.create, stub, null, LocalrecError);
    expect(stub.q).not.toBeInstanceOf(Array);
    await expect(localrec('track', { type: 'view', itemId: 'a' })).resolves.toMatchObject({ stored: true });
    await expect(stub('track', { type: 'view', itemId: 'b' })).resolves.toMatchObject({ stored: true });
    await expect(localrec('profile')).resolves.toEqual({ tracked: [{ type: 'view', itemId: 'a' }, { type: 'view', itemId: 'b' }] });
  });

  it('works for a page again when the SDK arrives after the snippet gave up on it', async () => {
    const page = snippetPage({ catalog: '/catalog.json' });
    const stub = page.stub();
    const early = outcome(stub('track', { type: 'view', itemId: 'a' }));
    page.appended[0]!.onerror!();
    expect(await early).toEqual({ error: 'sdk_unavailable' });
    startCommands(fakeEngine().create, stub, null, LocalrecError);
    await expect(stub('track', { type: 'view', itemId: 'b' })).resolves.toMatchObject({ stored: true });
  });

  it('starts at once with data-catalog, and then refuses a second start', async () => {
    const page = snippetPage({ catalog: '/catalog.json', dbName: 'shop' });
    const stub = page.stub();
    const init = outcome(stub('init', { catalog: '/other.json' }));
    const track = outcome(stub('track', { type: 'view', itemId: 'a' }));
    const engine = fakeEngine();
    startCommands(engine.create, stub, null, LocalrecError);
    expect(engine.started).toEqual([{ catalog: '/catalog.json', dbName: 'shop' }]);
    expect(await init).toEqual({ error: 'invalid_argument' });
    expect(await track).toEqual({ value: { stored: true, id: 1, durable: true } });
  });

  it("reads the SDK's own tag when there is no snippet", () => {
    const engine = fakeEngine();
    const own = { dataset: { catalog: '/catalog.json' } } as unknown as HTMLScriptElement;
    startCommands(engine.create, undefined, own, LocalrecError);
    expect(engine.started).toEqual([{ catalog: '/catalog.json' }]);
  });
});

describe('the command function', () => {
  it('rejects calls made while localrec is not started with not_ready, in order, whenever the SDK arrived', async () => {
    const engine = fakeEngine();
    const localrec = untyped(engine.create, undefined, null, LocalrecError);
    expect(await outcome(localrec('track', { type: 'view', itemId: 'a' }))).toEqual({ error: 'not_ready' });
    expect(await outcome(localrec('init', { catalog: '/c.json' }))).toEqual({ value: { items: 3 } });
    expect(await outcome(localrec('destroy'))).toEqual({ value: undefined });
    expect(await outcome(localrec('recommend'))).toEqual({ error: 'not_ready' });
    expect(await outcome(localrec('init', { catalog: '/c.json' }))).toEqual({ value: { items: 3 } });
    expect(engine.started).toHaveLength(2);
  });

  it('calls only what Localrec has: not Object.prototype members', async () => {
    const localrec = untyped(fakeEngine().create, undefined, null, LocalrecError);
    await localrec('init', { catalog: '/c.json' });
    for (const method of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(await outcome(localrec(method))).toEqual({ error: 'invalid_argument' });
    }
  });

  it('resolves onStageChange with its unsubscribe function', async () => {
    const localrec = untyped(fakeEngine().create, undefined, null, LocalrecError);
    await localrec('init', { catalog: '/c.json' });
    expect(typeof (await localrec('onStageChange', () => undefined))).toBe('function');
  });

  it('is typed by method name (checked by tsc)', async () => {
    const localrec = startCommands(fakeEngine().create, undefined, null, LocalrecError);
    const ready = await localrec('init', { catalog: '/c.json' });
    expect(ready.items).toBe(3);
    const tracked = await localrec('track', { type: 'view', itemId: 'a' });
    expect(tracked.stored).toBe(true);
    // @ts-expect-error: not a method of Localrec
    await expect(localrec('nonsense')).rejects.toMatchObject({ code: 'invalid_argument' });
    // @ts-expect-error: recommend takes a request object
    await localrec('recommend', 3).catch(() => undefined);
  });

  it('never leaves an ignored failure as an unhandled rejection', async () => {
    const page = snippetPage();
    const stub: SnippetStub = page.stub();
    const unhandled = await unhandledRejectionsDuring(async () => {
      void stub('track', { type: 'view', itemId: 'a' });
      const localrec = untyped(fakeEngine().create, stub, null, LocalrecError);
      void localrec('track', { itemId: 'no type' });
      void localrec('nonsense');
      await localrec('init', { catalog: '/c.json' });
      void localrec('track', { itemId: 'no type' });
    });
    expect(unhandled).toEqual([]);
  });
});
