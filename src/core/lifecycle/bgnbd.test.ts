import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeWithSharedData } from '../testing/shared-data';
import {
  bgnbdLogLikelihood, conditionalExpectedPurchases, expectedPurchases, fitBgNbd, pAlive,
  probabilityOfPurchases, type BgNbdParams,
} from './bgnbd';
import { parseCdnowSummary } from './purchase-logs';
import { hyp2f1 } from './special';

const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD with the published CDNOW parameters', () => {
  it('reproduces E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 (Fader, Hardie & Lee 2005)', () => {
    expect(conditionalExpectedPurchases(PUBLISHED, 39, { x: 2, tx: 30.43, T: 38.86 })).toBeCloseTo(1.226, 3);
  });

  it('P(alive) follows 1 / (1 + a/(b+x-1) · ((α+T)/(α+t_x))^(r+x))', () => {
    const { r, alpha, a, b } = PUBLISHED;
    for (const [x, tx, T] of [[2, 30.43, 38.86], [1, 1.71, 38.86], [7, 29.43, 38.86], [1, 5, 38]] as const) {
      const byHand = 1 / (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x));
      expect(pAlive(PUBLISHED, { x, tx, T })).toBeCloseTo(byHand, 12);
    }
    expect(pAlive(PUBLISHED, { x: 2, tx: 30.43, T: 38.86 })).toBeCloseTo(0.7266, 4);
  });

  it('edge cases: x = 0, T = t_x, very large x', () => {
    expect(pAlive(PUBLISHED, { x: 0, tx: 0, T: 38.86 })).toBe(1);
    const zero = conditionalExpectedPurchases(PUBLISHED, 39, { x: 0, tx: 0, T: 38.86 });
    expect(zero).toBeGreaterThan(0);
    expect(zero).toBeLessThan(0.3);
    // Bought at the very end of the window: only the drop-out right after that purchase remains.
    const { a, b } = PUBLISHED;
    expect(pAlive(PUBLISHED, { x: 3, tx: 20, T: 20 })).toBeCloseTo(1 / (1 + a / (b + 2)), 12);
    // 500 purchases in 38.86 weeks, the last one today: alive, and buying at ~11.5 a week, less
    // the chance of dropping out (about 1 in 630 per purchase).
    const heavy = conditionalExpectedPurchases(PUBLISHED, 39, { x: 500, tx: 38.86, T: 38.86 });
    expect(heavy).toBeGreaterThan(250);
    expect(heavy).toBeLessThan(500);
    // The same shopper silent for the last 0.86 weeks is very likely gone (P(alive) ≈ 0.03).
    const silent = { x: 500, tx: 38, T: 38.86 };
    expect(pAlive(PUBLISHED, silent)).toBeLessThan(0.05);
    expect(conditionalExpectedPurchases(PUBLISHED, 39, silent)).toBeCloseTo(heavy * (pAlive(PUBLISHED, silent) / pAlive(PUBLISHED, { x: 500, tx: 38.86, T: 38.86 })), 8);
  });

  it('the Euler-transformed 2F1 in E[Y] agrees with the textbook form', () => {
    const { r, alpha, a, b } = PUBLISHED;
    const [x, tx, T, t] = [4, 20, 30, 52];
    const z = t / (alpha + T + t);
    const textbook =
      (((a + b + x - 1) / (a - 1)) *
        (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z))) /
      (1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x));
    expect(conditionalExpectedPurchases(PUBLISHED, t, { x, tx, T })).toBeCloseTo(textbook, 10);
  });

  it('E[Y] grows with the horizon and is 0 at t = 0', () => {
    const s = { x: 3, tx: 25, T: 38 };
    expect(conditionalExpectedPurchases(PUBLISHED, 0, s)).toBe(0);
    let prev = 0;
    for (const t of [1, 4, 13, 39, 104, 520]) {
      const e = conditionalExpectedPurchases(PUBLISHED, t, s);
      expect(e).toBeGreaterThan(prev);
      prev = e;
    }
  });

  it('P(X(t)=n) is a distribution whose mean is E[X(t)]', () => {
    let total = 0;
    let mean = 0;
    for (let n = 0; n < 400; n++) {
      const p = probabilityOfPurchases(PUBLISHED, 39, n);
      total += p;
      mean += n * p;
    }
    expect(total).toBeCloseTo(1, 9);
    expect(mean).toBeCloseTo(expectedPurchases(PUBLISHED, 39), 6);
    expect(probabilityOfPurchases(PUBLISHED, 0, 0)).toBe(1);
  });

  it('E[Y] is finite, non-negative and no larger at a shorter horizon, over random inputs (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          r: fc.double({ min: 0.01, max: 10, noNaN: true }),
          alpha: fc.double({ min: 0.01, max: 100, noNaN: true }),
          a: fc.double({ min: 0.05, max: 20, noNaN: true }),
          b: fc.double({ min: 0.05, max: 20, noNaN: true }),
        }),
        fc.integer({ min: 0, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.double({ min: 0.1, max: 500, noNaN: true }),
        (params, x, frac, T, t) => {
          const s = { x, tx: x === 0 ? 0 : frac * T, T };
          const long = conditionalExpectedPurchases(params, t, s);
          const short = conditionalExpectedPurchases(params, t / 2, s);
          expect(Number.isFinite(long)).toBe(true);
          expect(short).toBeGreaterThanOrEqual(-1e-9);
          expect(long).toBeGreaterThanOrEqual(short - 1e-9 * Math.max(1, long));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects bad arguments', () => {
    expect(() => pAlive({ ...PUBLISHED, r: -1 }, { x: 1, tx: 1, T: 2 })).toThrow(/positive/);
    expect(() => pAlive(PUBLISHED, { x: 1, tx: 3, T: 2 })).toThrow(/t_x <= T/);
    expect(() => conditionalExpectedPurchases(PUBLISHED, -1, { x: 1, tx: 1, T: 2 })).toThrow();
  });
});

describeWithSharedData('cdnow/cdnow_customers_summary.csv', 'BG/NBD fit on the CDNOW summary', (summary) => {
  const customers = parseCdnowSummary(readFileSync(summary, 'utf8'));

  it('has the published log-likelihood at the published parameters', () => {
    expect(customers).toHaveLength(2357);
    expect(bgnbdLogLikelihood(PUBLISHED, customers)).toBeCloseTo(-9582.43, 1);
  });

  it('maximum likelihood reproduces r 0.243, α 4.414, a 0.793, b 2.426, LL −9582.43', () => {
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect(fit.params.r).toBeCloseTo(0.243, 3);
    expect(fit.params.alpha).toBeCloseTo(4.414, 2);
    expect(fit.params.a).toBeCloseTo(0.793, 3);
    expect(fit.params.b).toBeCloseTo(2.426, 2);
    expect(fit.logLikelihood).toBeCloseTo(-9582.43, 1);
  });
});
