import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalrecError } from '../errors';
import { topK } from './top-k';

/** Reference: full sort with the same tie rule. */
function naive(scores: Float32Array, k: number, tie?: Int32Array, exclude?: (i: number) => boolean) {
  const rank = (i: number) => (tie ? tie[i]! : i);
  return Array.from(scores, (score, index) => ({ index, score }))
    .filter((x) => !Number.isNaN(x.score) && !(exclude && exclude(x.index)))
    .sort((a, b) => b.score - a.score || rank(a.index) - rank(b.index))
    .slice(0, k);
}

describe('topK', () => {
  it('returns the best k, best first', () => {
    expect(topK(new Float32Array([0.1, 0.9, 0.5, 0.7]), 2)).toEqual([
      { index: 1, score: expect.closeTo(0.9, 6) },
      { index: 3, score: expect.closeTo(0.7, 6) },
    ]);
  });

  it('breaks ties by tieOrder, else by index', () => {
    const s = new Float32Array([1, 1, 1]);
    expect(topK(s, 2).map((x) => x.index)).toEqual([0, 1]);
    expect(topK(s, 2, { tieOrder: Int32Array.from([2, 0, 1]) }).map((x) => x.index)).toEqual([1, 2]);
  });

  it('skips excluded and NaN entries, handles k = 0 and k > n', () => {
    const s = new Float32Array([3, NaN, 2, 1]);
    expect(topK(s, 10, { exclude: (i) => i === 0 }).map((x) => x.index)).toEqual([2, 3]);
    expect(topK(s, 0)).toEqual([]);
  });

  it('rejects a bad k with a typed error', () => {
    expect(() => topK(new Float32Array(2), -1)).toThrow(LocalrecError);
    expect(() => topK(new Float32Array(2), 1.5)).toThrow(LocalrecError);
  });

  it('matches a full sort on random inputs (many ties)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 25 }),
        fc.boolean(),
        (vals, k, useTie) => {
          const s = Float32Array.from(vals);
          const tie = useTie ? Int32Array.from(vals.map((_, i) => (i * 7919) % 101)) : undefined;
          const ex = (i: number) => i % 5 === 3;
          const got = topK(s, k, { exclude: ex, ...(tie ? { tieOrder: tie } : {}) });
          expect(got).toEqual(naive(s, k, tie, ex));
        },
      ),
    );
  });
});
