import { describe, expect, it } from 'vitest';
import { LocalrecError } from '../errors';
import { buildSequenceBundle, bundleFromCounts } from './bundle-builder';
import type { LogSession, NeighbourGraph, SequenceBundle } from './types';

const sess = (id: string, items: string[], day = 19000): LogSession => ({
  sessionId: id,
  events: items.map((itemId, t) => ({ itemId, time: day * 86400 + 3600 + t })),
});
// a→b in three sessions, c→d in one, e only once.
const log = [sess('1', ['a', 'b']), sess('2', ['a', 'b']), sess('3', ['a', 'b', 'e']), sess('4', ['c', 'd'], 18999)];

function neighbours(b: SequenceBundle, g: NeighbourGraph, id: string): string[] {
  const i = b.itemIds.indexOf(id);
  return Array.from(g.targets.subarray(g.offsets[i]!, g.offsets[i + 1]!), (t) => b.itemIds[t]!);
}

describe('buildSequenceBundle', () => {
  it('learns rules and similar items from sessions', () => {
    const b = buildSequenceBundle(log, { minSupport: 1 });
    expect(b.itemIds).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(neighbours(b, b.next, 'a')).toContain('b');
    expect(neighbours(b, b.next, 'c')).toEqual(['d']);
    expect(neighbours(b, b.similar, 'b')).toContain('a');
    expect(b.meta).toEqual({ lastDay: 19000, recentDays: 1, minSupport: 1 });
    // Recent popularity counts only the last day: c and d are older.
    expect(b.recentPopularity[b.itemIds.indexOf('c')]).toBe(0);
    expect(b.popularity[b.itemIds.indexOf('c')]).toBeGreaterThan(0);
  });

  it('min support drops pairs and popularity seen in too few sessions', () => {
    const b = buildSequenceBundle(log, { minSupport: 2 });
    expect(neighbours(b, b.next, 'a')).toEqual(['b']);
    expect(neighbours(b, b.next, 'c')).toEqual([]);
    expect(neighbours(b, b.similar, 'e')).toEqual([]);
    expect(b.popularity[b.itemIds.indexOf('e')]).toBe(0);
    // Support counts distinct sessions, not occurrences: a→b repeated in one session is 1.
    const one = buildSequenceBundle([sess('1', ['x', 'y', 'x', 'y', 'x', 'y'])], { minSupport: 2 });
    expect(one.next.targets.length).toBe(0);
    expect(buildSequenceBundle(log, { minSupport: 4 }).next.targets.length).toBe(0);
  });

  it('keeps catalog items without events and validates options', () => {
    expect(buildSequenceBundle(log, { extraItems: ['z'] }).itemIds).toContain('z');
    expect(() => buildSequenceBundle(log, { minSupport: 0 })).toThrow(LocalrecError);
    expect(() => buildSequenceBundle([])).toThrow(expect.objectContaining({ code: 'invalid_data' }));
  });
});

describe('bundleFromCounts', () => {
  it('checks its options as the in-memory builder does (counts exported from a warehouse, build-bundle --aggregates)', () => {
    const none = { src: new Int32Array(0), dst: new Int32Array(0), weight: new Float64Array(0) };
    const one = () => Float64Array.of(1);
    const counts = { itemIds: ['a'], events: one(), sessions: one(), recentEvents: one(), recentSessions: one(), next: none, similar: none, lastDay: 0 };
    expect(bundleFromCounts(counts).itemIds).toEqual(['a']);
    for (const minSupport of [0, 1.5]) expect(() => bundleFromCounts(counts, { minSupport })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
