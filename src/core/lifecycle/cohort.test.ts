import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWithSharedData } from '../testing/shared-data';
import { fitBgNbd } from './bgnbd';
import { buildCohort } from './cohort';
import { parseCdnowSummary, parseCdnowTransactions } from './purchase-logs';
import { parseDay, type Transaction } from './transactions';

describe('buildCohort', () => {
  const d = parseDay;
  const tx: Transaction[] = [
    { customerId: 'a', day: d('2024-01-01'), amount: 10 },
    { customerId: 'a', day: d('2024-01-01'), amount: 5 }, // same day: merged
    { customerId: 'a', day: d('2024-01-15'), amount: 20 },
    { customerId: 'a', day: d('2024-01-29'), amount: 40 },
    { customerId: 'a', day: d('2024-02-05'), amount: 1 }, // holdout
    { customerId: 'b', day: d('2024-01-22') },
    { customerId: 'c', day: d('2024-02-03') }, // first purchase after calibration: not in the cohort
  ];
  const cohort = buildCohort(tx, { calibrationEndDay: d('2024-01-29'), holdoutEndDay: d('2024-02-12') });

  it('merges same-day purchases and measures weeks from the first purchase', () => {
    const a = cohort.find((c) => c.id === 'a')!;
    expect(a).toMatchObject({ x: 2, tx: 4, T: 4, holdoutPurchases: 1, monetary: 30 });
    const b = cohort.find((c) => c.id === 'b')!;
    expect(b).toMatchObject({ x: 0, tx: 0, T: 1, monetary: null, holdoutPurchases: 0 });
    expect(cohort.map((c) => c.id).sort()).toEqual(['a', 'b']);
  });

  it('rejects a holdout that ends before calibration', () => {
    expect(() => buildCohort(tx, { calibrationEndDay: d('2024-01-29'), holdoutEndDay: d('2024-01-01') })).toThrow(/holdout/);
  });
});

describeWithSharedData('cdnow', 'CDNOW raw sample → summary', (cdnow) => {
  it('rebuilds the published summary exactly and gives the same fit', () => {
    const raw = parseCdnowTransactions(readFileSync(join(cdnow, 'CDNOW_sample.txt'), 'utf8'));
    const cohort = buildCohort(raw, { calibrationEndDay: parseDay('1997-09-30') });
    const summary = parseCdnowSummary(readFileSync(join(cdnow, 'cdnow_customers_summary.csv'), 'utf8'));
    expect(cohort).toHaveLength(summary.length);
    const byId = new Map(cohort.map((c) => [c.id, c]));
    for (const s of summary) {
      const c = byId.get(s.id)!;
      expect(c.x).toBe(s.x);
      expect(Math.abs(c.tx - s.tx)).toBeLessThan(0.006); // the summary rounds to 2 decimals
      expect(Math.abs(c.T - s.T)).toBeLessThan(0.006);
    }
    const fit = fitBgNbd(cohort);
    expect(fit.params.r).toBeCloseTo(0.243, 3);
    expect(fit.params.alpha).toBeCloseTo(4.414, 2);
    expect(fit.params.a).toBeCloseTo(0.793, 3);
    expect(fit.params.b).toBeCloseTo(2.426, 2);
    expect(fit.logLikelihood).toBeCloseTo(-9582.43, 1);
  });
});
