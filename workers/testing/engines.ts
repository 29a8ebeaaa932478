/**
 * Engines for Node test suites: the cpu backend chosen once, and every engine a test started
 * closed after it, so a suite only says which host and options its engines get.
 */
import { setBackend } from '@tensorflow/tfjs-core';
import { afterEach, beforeAll } from 'vitest';
import type { EngineOptions, ReadyInfo } from '../../src/protocol';
import { Engine, type EngineHost } from '../engine';

export interface EngineSuite {
  /** Starts an engine on the test catalog URL with a database of its own (unless `options.dbName` names one). */
  start(host: EngineHost, options?: Partial<EngineOptions>): Promise<{ engine: Engine; info: ReadyInfo; dbName: string }>;
  /** An engine the test made itself, to be closed after it like the others. */
  keep(engine: Engine): Engine;
}

/** Registers the suite's hooks (cpu backend, engines closed after each test). */
export function engineSuite(prefix: string): EngineSuite {
  let db = 0;
  const engines: Engine[] = [];
  beforeAll(async () => {
    await setBackend('cpu');
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
  });
  const keep = (engine: Engine) => (engines.push(engine), engine);
  return {
    keep,
    async start(host, options = {}) {
      const engine = keep(new Engine(host));
      const dbName = options.dbName ?? `${prefix}-${++db}`;
      const info = await engine.init({ catalog: '/catalog.json', ...options, dbName });
      return { engine, info, dbName };
    },
  };
}
