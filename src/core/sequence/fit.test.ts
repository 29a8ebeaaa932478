import { describe, expect, it } from 'vitest';
import { buildSequenceBundle } from './bundle-builder';
import { decodeBundle, encodeBundle } from './bundle-format';
import { buildFittedBundle, fitObjective, fitRankerParams, ValidationReplay } from './fit';
import { DEFAULT_RANKER_PARAMS, SequenceRanker, type RankerParams } from './ranker';
import { replaySessions } from './replay';
import type { LogSession } from './types';
import { splitRecentSessions } from './validation-split';

/** A seeded shop: 120 items browsed in runs (i → i+1..i+3), going back to an earlier item with probability `back`. */
function shopLog(sessions: number, back: number, seed = 7): LogSession[] {
  let s = seed;
  const rnd = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  const log: LogSession[] = [];
  for (let i = 0; i < sessions; i++) {
    const len = 3 + Math.floor(rnd() * 6);
    const items: number[] = [];
    let cur = Math.floor(rnd() * 120);
    for (let t = 0; t < len; t++) {
      items.push(cur);
      cur = rnd() < back ? items[Math.floor(rnd() * items.length)]! : (cur + 1 + Math.floor(rnd() * 3)) % 120;
    }
    log.push({ sessionId: `s${i}`, events: items.map((it, t) => ({ itemId: `i${it}`, time: 1.7e9 + i * 600 + t * 10 })) });
  }
  return log;
}

const log = shopLog(400, 0.5);

describe('ValidationReplay', () => {
  it("gives exactly the replay harness's metrics for any weights, without scoring the whole catalog", () => {
    const { train, validation } = splitRecentSessions(log);
    const bundle = decodeBundle(encodeBundle(buildSequenceBundle(train, { minSupport: 1 })));
    const fast = new ValidationReplay(bundle, validation);
    const cases: Partial<RankerParams>[] = [
      {},
      { repeatAdapt: 2, popWeight: 0 },
      { recentShare: 1, popWeight: 0.3, maxEvents: 2 },
      { nextDecay: 1, simDecay: 0, repeatDecay: 1, repeatWeight: 0 },
      { nextWeight: 0, simWeight: 8, maxEvents: 50 },
    ];
    for (const c of cases) {
      const p = { ...DEFAULT_RANKER_PARAMS, ...c };
      const ranker = new SequenceRanker(bundle, p);
      const slow = replaySessions(ranker, validation, { itemCount: ranker.itemIds.length, indexOf: (id) => ranker.indexOf(id) }).metrics;
      expect(fast.evaluate(p)).toEqual(slow);
    }
    expect(fast.predictions).toBeGreaterThan(200);
  });
});

describe('fitRankerParams', () => {
  it('fits on the most recent sessions through a bundle of the older ones, and is deterministic', () => {
    const fit = fitRankerParams(log);
    expect(fit.fitted).toBe(true);
    expect(fitObjective(fit.after)).toBeGreaterThan(fitObjective(fit.before));
    expect(fitRankerParams(log)).toEqual(fit);
    // No leakage: what it measured at the start is the replay of the split's validation part
    // through a bundle built from its train part alone.
    const { train, validation } = splitRecentSessions(log);
    expect(fit.validation).toMatchObject({ trainSessions: train.length, sessions: validation.length });
    const bundle = decodeBundle(encodeBundle(buildSequenceBundle(train)));
    const before = new ValidationReplay(bundle, validation).evaluate(DEFAULT_RANKER_PARAMS);
    // The fit replays the most recent sessions first; sums in another order differ in the last bits.
    for (const k of ['hr@20', 'mrr@20', 'predictions'] as const) expect(before[k]).toBeCloseTo(fit.before[k], 12);
    expect(fit.before['hr@20']).toBeLessThan(1);
  });

  it('follows the store: re-visits weigh more where shoppers go back than where they never do', () => {
    const relative = (p: RankerParams): number => p.repeatWeight / (p.nextWeight + p.simWeight);
    const back = fitRankerParams(shopLog(400, 0.5)).params;
    const onward = fitRankerParams(shopLog(400, 0)).params;
    expect(relative(back)).toBeGreaterThan(relative(onward));
    // A pinned parameter stays where it started.
    expect(fitRankerParams(shopLog(400, 0), { fixed: ['repeatWeight'] }).params.repeatWeight).toBe(DEFAULT_RANKER_PARAMS.repeatWeight);
  });

  it('keeps the defaults, and writes no weights, when the log is too small to validate on', () => {
    const small = shopLog(20, 0.5);
    const fit = fitRankerParams(small);
    expect(fit).toMatchObject({ fitted: false, params: DEFAULT_RANKER_PARAMS });
    expect(fit.validation.predictions).toBeLessThan(200);
    expect(buildFittedBundle(small).bundle.params).toBeUndefined();
    expect(fitRankerParams([]).fitted).toBe(false);
  });
});

describe('buildFittedBundle', () => {
  it('publishes a bundle of every session with the fitted weights, the same bytes every time', () => {
    const { bundle, fit } = buildFittedBundle(log, { extraItems: ['catalog-only'] });
    expect(bundle.params).toEqual(fit.params);
    expect(bundle.itemIds).toEqual(buildSequenceBundle(log, { extraItems: ['catalog-only'] }).itemIds);
    expect(encodeBundle(buildFittedBundle(log, { extraItems: ['catalog-only'] }).bundle)).toEqual(encodeBundle(bundle));
    expect(new SequenceRanker(decodeBundle(encodeBundle(bundle))).params).toEqual(fit.params);
  });
});

describe('splitRecentSessions', () => {
  const end = (s: LogSession): number => s.events.at(-1)!.time;

  it('validates on the most recent 10% of sessions when they hold enough predictions', () => {
    const { train, validation } = splitRecentSessions(log, { minPredictions: 100 });
    expect(validation.length).toBe(40);
    expect(train.length).toBe(360);
    expect(Math.min(...validation.map(end))).toBeGreaterThan(Math.max(...train.map(end)));
  });

  it('takes more recent sessions, up to 25%, until they hold 1,000 predictions', () => {
    expect(splitRecentSessions(log).validation.length).toBe(100);
    const many = shopLog(2000, 0.5);
    const { validation } = splitRecentSessions(many);
    expect(validation.length).toBeGreaterThan(200);
    expect(validation.length).toBeLessThan(500);
  });

  it('keeps sessions that end at the same moment together, and needs two sessions', () => {
    const same = (id: string): LogSession => ({ sessionId: id, events: [{ itemId: 'a', time: 5 }, { itemId: 'b', time: 9 }] });
    expect(splitRecentSessions([same('1'), same('2'), same('3')]).validation.length).toBe(3);
    expect(splitRecentSessions([same('1')])).toEqual({ train: [same('1')], validation: [] });
  });
});
