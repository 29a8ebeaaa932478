/// <reference lib="webworker" />
/**
 * The engine worker's entry: exposes the Engine through comlink with real browser services
 * (fetch, the measured tfjs backend). Everything else lives in engine.ts so Node tests can run it.
 */
import { expose, transferHandlers } from 'comlink';
import { installErrorTransfer } from '../src/protocol';
import { chooseBackend, measureGpu } from './backends';
import { Engine } from './engine';
import { loadBundle } from './bundle-loader';
import { IdbStorage } from './idb-storage';
import { browserTabs } from './tabs';

installErrorTransfer(transferHandlers);

const engine = new Engine({
  chooseBackend,
  measureGpu,
  fetch: (url, init) => fetch(url, init),
  openStorage: (name) => IdbStorage.open(name),
  deleteStorage: (name) => IdbStorage.deleteDatabase(name),
  tabs: browserTabs,
  loadBundle: (url, catalog) => loadBundle(url, catalog, (u) => fetch(u)),
});

expose(engine);
