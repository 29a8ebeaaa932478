import { afterEach, describe, expect, it, vi } from 'vitest';
import { installStub, SDK_WAIT_MS, type QueuedCall } from './stub';
import { fakePage, unhandledRejectionsDuring } from './testing';

const DEFAULT_SRC = '/localrec/localrec.iife.js';

/** Settles `promise` into a value the test can compare, without leaving a rejection unobserved. */
const outcome = (promise: Promise<unknown>) =>
  promise.then((value) => ({ value }), (e: { name?: string; code?: string }) => ({ error: { name: e.name, code: e.code } }));

afterEach(() => {
  vi.useRealTimers();
});

describe('the snippet stub', () => {
  it('defines localrec at once and loads the SDK asynchronously, from data-src or the default', () => {
    const page = fakePage();
    installStub(page.window, page.document, DEFAULT_SRC);
    expect(typeof page.window.localrec).toBe('function');
    expect(page.appended).toHaveLength(1);
    expect(page.appended[0]).toMatchObject({ async: true, src: DEFAULT_SRC });

    const configured = fakePage({ src: 'https://cdn.example/localrec.iife.js' });
    installStub(configured.window, configured.document, DEFAULT_SRC);
    expect(configured.appended[0]!.src).toBe('https://cdn.example/localrec.iife.js');
    expect(configured.appended[0]!.nonce).toBeUndefined();
  });

  it("gives the SDK's tag the snippet's CSP nonce", () => {
    const page = fakePage({}, 'r4nd0m');
    installStub(page.window, page.document, DEFAULT_SRC);
    expect(page.appended[0]!.nonce).toBe('r4nd0m');
  });

  it('queues calls in order, each with its own arguments and promise', () => {
    const page = fakePage();
    installStub(page.window, page.document, DEFAULT_SRC);
    const stub = page.stub();
    const first = stub('init', { catalog: '/catalog.json' });
    const second = stub('track', { type: 'view', itemId: 'a' });
    expect(first).not.toBe(second);
    expect((stub.q as unknown[][]).map((c) => [c[0], c[1]])).toEqual([
      ['init', [{ catalog: '/catalog.json' }]],
      ['track', [{ type: 'view', itemId: 'a' }]],
    ]);
  });

  it('leaves an existing window.localrec alone (a second snippet, or the SDK already there)', () => {
    const page = fakePage();
    const existing = () => Promise.resolve();
    page.window.localrec = existing;
    installStub(page.window, page.document, DEFAULT_SRC);
    expect(page.window.localrec).toBe(existing);
    expect(page.appended).toHaveLength(0);
  });

  it('rejects every queued and later call with sdk_unavailable when the SDK fails to load', async () => {
    const page = fakePage();
    installStub(page.window, page.document, DEFAULT_SRC);
    const stub = page.stub();
    const queued = [stub('init', {}), stub('track', { type: 'view', itemId: 'a' }), stub('recommend', { k: 3 })].map(outcome);
    page.appended[0]!.onerror!();
    const later = outcome(stub('profile'));
    const expected = { error: { name: 'LocalrecError', code: 'sdk_unavailable' } };
    expect(await Promise.all(queued)).toEqual([expected, expected, expected]);
    expect(await later).toEqual(expected);
  });

  it('fails the calls when the script loads but does not take the queue over', async () => {
    const page = fakePage();
    installStub(page.window, page.document, DEFAULT_SRC);
    const call = outcome(page.stub()('track', { type: 'view', itemId: 'a' }));
    page.appended[0]!.onload!();
    expect(await call).toEqual({ error: { name: 'LocalrecError', code: 'sdk_unavailable' } });
  });

  it('gives up after SDK_WAIT_MS when the script neither loads nor fails', async () => {
    vi.useFakeTimers();
    const page = fakePage();
    installStub(page.window, page.document, DEFAULT_SRC);
    let settled = false;
    const call = outcome(page.stub()('track', { type: 'view', itemId: 'a' })).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(SDK_WAIT_MS - 1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await call).toEqual({ error: { name: 'LocalrecError', code: 'sdk_unavailable' } });
  });

  it('does not fail anything once the SDK has taken the queue over', async () => {
    vi.useFakeTimers();
    const page = fakePage();
    installStub(page.window, page.document, DEFAULT_SRC);
    const stub = page.stub();
    const taken: unknown[] = [];
    stub('track', { type: 'view', itemId: 'a' });
    stub.q = { push: (c: QueuedCall) => taken.push(c[0]) };
    page.appended[0]!.onload!();
    await vi.advanceTimersByTimeAsync(SDK_WAIT_MS);
    expect(stub.e).toBeUndefined();
    stub('recommend');
    expect(taken).toEqual(['recommend']);
  });

  it('never leaves an ignored failure as an unhandled rejection, while an awaiting caller still sees it', async () => {
    const page = fakePage();
    installStub(page.window, page.document, DEFAULT_SRC);
    const stub = page.stub();
    let awaited: unknown;
    const unhandled = await unhandledRejectionsDuring(async () => {
      void stub('track', { type: 'view', itemId: 'a' });
      const watched = stub('recommend');
      page.appended[0]!.onerror!();
      void stub('track', { type: 'view', itemId: 'b' });
      await watched.catch((e: unknown) => (awaited = e));
    });
    expect(unhandled).toEqual([]);
    expect(awaited).toMatchObject({ name: 'LocalrecError', code: 'sdk_unavailable' });
  });
});
