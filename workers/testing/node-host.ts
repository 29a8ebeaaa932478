import { T0 } from '../../src/core/testing/fixtures';
import type { EngineHost } from '../engine';
import { IdbStorage } from '../idb-storage';

/**
 * An engine host for Node tests: the cpu backend (no measurement), IndexedDB as the test process
 * provides it (fake-indexeddb), instant sleeps, a fixed clock, and a fetch that serves whatever
 * the test put at each URL and records what was asked for. `overrides` replace any of these.
 */
export function nodeHost(files: Record<string, unknown>, overrides: Partial<EngineHost> = {}): EngineHost & { fetched: string[] } {
  const fetched: string[] = [];
  return {
    fetched,
    now: () => T0,
    sleep: async () => undefined,
    chooseBackend: async (_m, _r, _d, _f, remembered) => (remembered ? { name: 'cpu', measured: [], rememberedFrom: remembered.at } : { name: 'cpu', measured: [{ name: 'cpu', ms: 0 }] }),
    openStorage: (name) => IdbStorage.open(name),
    deleteStorage: (name) => IdbStorage.deleteDatabase(name),
    async fetch(url) {
      fetched.push(url);
      if (!(url in files)) return new Response('not found', { status: 404 });
      const body = files[url];
      return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200 });
    },
    ...overrides,
  };
}
