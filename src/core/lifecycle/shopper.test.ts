import { describe, expect, it } from 'vitest';
import { conditionalExpectedPurchases, pAlive } from './bgnbd';
import { conditionalExpectedSpend } from './gamma-gamma';
import { predictShopperLifecycle, type LifecyclePopulation } from './shopper';

const POP: LifecyclePopulation = {
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6.25, q: 3.74, v: 15.44 },
  timeUnitDays: 7,
};
const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`);

describe('predictShopperLifecycle', () => {
  it('turns a purchase list into (x, t_x, T) in weeks and matches the model functions', () => {
    const purchases = [
      { time: day('2024-01-01'), value: 20 },
      { time: day('2024-01-01') + 3_600_000, value: 10 }, // same day: merged
      { time: day('2024-01-13'), value: 40 },
      { time: day('2024-01-25'), value: 60 },
    ];
    const now = day('2024-03-05');
    const out = predictShopperLifecycle(POP, purchases, now);
    const s = { x: 2, tx: 24 / 7, T: 64 / 7 };
    expect(out.summary!.x).toBe(2);
    expect(out.summary!.tx).toBeCloseTo(s.tx, 12);
    expect(out.summary!.T).toBeCloseTo(s.T, 12);
    expect(out.pAlive).toBeCloseTo(pAlive(POP.bgnbd, s), 12);
    expect(out.expectedPurchases30d).toBeCloseTo(conditionalExpectedPurchases(POP.bgnbd, 30 / 7, s), 12);
    expect(out.expectedPurchases90d).toBeCloseTo(conditionalExpectedPurchases(POP.bgnbd, 90 / 7, s), 12);
    const spend = conditionalExpectedSpend(POP.gammaGamma!, { x: 2, mx: 50 });
    expect(out.expectedValue90d).toBeCloseTo(out.expectedPurchases90d * spend, 10);
    expect(out.reasons.history).toBe('3 purchases, last one 40 days ago, usually buys every 12 days.');
    expect(out.reasons.pAlive).toMatch(/^P\(alive\) 0\.\d\d: a shopper who bought this often usually comes back within 12 days; it has been 40\.$/);
    expect(out.reasons.expectedValue).toMatch(/expected spend per purchase/);
  });

  it('a frequent buyer who went quiet is at risk or lapsed', () => {
    const purchases = Array.from({ length: 8 }, (_, i) => ({ time: day('2024-01-01') + i * 7 * 86_400_000 }));
    const recent = predictShopperLifecycle(POP, purchases, day('2024-02-26'));
    const quiet = predictShopperLifecycle(POP, purchases, day('2024-07-01'));
    expect(recent.stage).toBe('active');
    expect(quiet.pAlive!).toBeLessThan(recent.pAlive!);
    expect(['at-risk', 'lapsed']).toContain(quiet.stage);
    expect(recent.expectedValue90d).toBeUndefined(); // no order values
  });

  it('no purchases: new, population expectations, no P(alive)', () => {
    const out = predictShopperLifecycle(POP, [], day('2024-03-05'));
    expect(out.pAlive).toBeNull();
    expect(out.stage).toBe('new');
    expect(out.summary).toBeNull();
    expect(out.expectedPurchases30d).toBeGreaterThan(0);
  });

  it('ignores purchases after now and rejects bad input', () => {
    const out = predictShopperLifecycle(POP, [{ time: day('2024-01-01') }, { time: day('2025-01-01') }], day('2024-01-10'));
    expect(out.summary!.x).toBe(0);
    expect(() => predictShopperLifecycle(POP, [{ time: NaN }], day('2024-01-10'))).toThrow(/finite/);
    expect(() => predictShopperLifecycle({ ...POP, timeUnitDays: 0 }, [], day('2024-01-10'))).toThrow();
  });
});
