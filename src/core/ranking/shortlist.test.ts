import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom as random } from '../lifecycle/classifier-metrics';
import { similarities } from './query';
import { Scratch } from './scratch';
import { rankShortlisted, shortlist, type ApproxSimilarity } from './shortlist';
import { randomCase } from './testing/random-case';
import { referenceRank } from './testing/reference-rank';

/**
 * Approximate cosines as the worker's int8 kernel gives them, but adversarial: each row's error
 * is anywhere within its bound, often right at it (+ or −), so the bound is all that holds.
 */
function adversarial(exactAll: Float32Array, seed: number): ApproxSimilarity {
  const rnd = random(seed);
  const rowScale = Float32Array.from(exactAll, () => (rnd() < 0.1 ? 0 : rnd() * 0.02));
  const queryError = 1 + rnd();
  const values = exactAll.map((x, i) => {
    const bound = rowScale[i]! * queryError * 0.999999;
    const pick = rnd();
    return x + (pick < 0.35 ? bound : pick < 0.7 ? -bound : (2 * rnd() - 1) * bound);
  });
  return { values, rowScale, queryError };
}

describe('rankShortlisted: the int8 shortlist, re-scored exactly', () => {
  it('returns exactly the reference ranking on 300 random cases with adversarial approximate cosines', () => {
    const scratch = new Scratch();
    let shortened = 0;
    let shortlisted = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { ctx, candidates, similarity, query } = randomCase(seed);
      const want = referenceRank(ctx, candidates, similarity);
      const approx = query && adversarial(similarities(ctx.catalog, Int32Array.from(ctx.catalog.items.keys()), query), seed);
      let rescored = 0;
      const exact = (items: Int32Array) => {
        rescored += items.length;
        return similarities(ctx.catalog, items, query);
      };
      // minCandidates 0: the shortlist on every case, however small.
      const got = rankShortlisted({ ...ctx, scratch }, candidates, () => approx, exact, 0);
      expect(got, `seed ${seed}`).toEqual(want);
      if (rescored < candidates.length) shortened++;
      if (!ctx.request.diversity && !ctx.request.explore) shortlisted++;
    }
    // The shortlist really is shorter in most cases that use it (small k, 20-320 candidates).
    expect(shortened).toBeGreaterThan(shortlisted / 2);
  });

  it('ties: equal totals at the threshold are all kept, and the first by position wins as in rank()', () => {
    const total = new Float32Array([1, 0.5, 0.5, 0.5, 0.2]);
    const error = new Float32Array(5).fill(0);
    expect(Array.from(shortlist(total, error, 2, undefined, new Int32Array(5)))).toEqual([0, 1, 2, 3]);
  });

  it('a candidate the item filters drop never sets the threshold', () => {
    const total = new Float32Array([1, 0.9, 0.5, 0.4]);
    const error = new Float32Array(4).fill(0.01);
    // Without the filter, threshold 0.89: only 0 and 1. With 1 filtered out, 2 sets it.
    expect(Array.from(shortlist(total, error, 2, undefined, new Int32Array(4)))).toEqual([0, 1]);
    expect(Array.from(shortlist(total, error, 2, (c) => c !== 1, new Int32Array(4)))).toEqual([0, 1, 2]);
  });

  it('notices a bound that does not hold: a best item reported far too low, with no error, drops out', () => {
    let dropped = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { ctx, candidates, similarity, query } = randomCase(seed);
      const want = referenceRank(ctx, candidates, similarity);
      if (!query || want.length === 0) continue;
      const values = similarities(ctx.catalog, Int32Array.from(ctx.catalog.items.keys()), query);
      values[ctx.catalog.index.get(want[0]!.id)!] = -1;
      const lying = { values, rowScale: new Float32Array(values.length), queryError: 0 };
      const got = rankShortlisted(ctx, candidates, () => lying, (items) => similarities(ctx.catalog, items, query), 0);
      if (!got.some((r) => r.id === want[0]!.id)) dropped++;
    }
    // Not every case: the item may be seen, boosted or pinned (always kept), or the request diverse.
    expect(dropped).toBeGreaterThan(10);
  });
});

describe('shortlist (property)', () => {
  it('rankShortlisted equals the reference on any random case, with adversarial errors', () => {
    fc.assert(fc.property(fc.integer({ min: 301, max: 1_000_000 }), (seed) => {
      const { ctx, candidates, similarity, query } = randomCase(seed);
      const approx = query && adversarial(similarities(ctx.catalog, Int32Array.from(ctx.catalog.items.keys()), query), seed);
      const got = rankShortlisted(ctx, candidates, () => approx, (items) => similarities(ctx.catalog, items, query), 0);
      expect(got).toEqual(referenceRank(ctx, candidates, similarity));
    }), { numRuns: 100 });
  });

  it('keeps every item of the true top k, wherever the true values lie within their bounds', () => {
    const item = fc.record({
      total: fc.oneof(fc.constantFrom(0, 0.5, 1), fc.float({ min: -2, max: 2, noNaN: true })),
      error: fc.oneof(fc.constant(0), fc.float({ min: 0, max: 1, noNaN: true }), fc.constant(Infinity)),
      // Where the true value lies in [total - error, total + error]: often at an end.
      at: fc.oneof(fc.constantFrom(-1, 1, 0), fc.float({ min: -1, max: 1, noNaN: true })),
      filtered: fc.boolean(),
    });
    fc.assert(fc.property(fc.array(item, { minLength: 0, maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (rows, k) => {
      const total = Float32Array.from(rows, (r) => r.total);
      const error = Float32Array.from(rows, (r) => r.error);
      const kept = new Set(shortlist(total, error, k, (c) => !rows[c]!.filtered, new Int32Array(rows.length)));
      // The true values, with an infinite bound standing for "anything" (a stage that moves the item).
      const truth = rows.map((r) => (r.error === Infinity ? r.at * 1e6 : Math.fround(r.total + r.at * r.error * 0.999)));
      const eligible = rows.map((_, c) => c).filter((c) => !rows[c]!.filtered);
      const top = eligible.sort((a, b) => truth[b]! - truth[a]! || a - b).slice(0, k);
      return top.every((c) => kept.has(c));
    }), { numRuns: 2000 });
  });
});
