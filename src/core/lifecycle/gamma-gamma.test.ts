import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWithSharedData } from '../testing/shared-data';
import { buildCohort } from './cohort';
import { conditionalExpectedSpend, fitGammaGamma, gammaGammaCustomerLogLikelihood } from './gamma-gamma';
import { parseCdnowTransactions } from './purchase-logs';
import { lnGamma } from './special';
import { parseDay } from './transactions';

describe('Gamma-Gamma', () => {
  it('conditional expected spend is the weighted mix of population and own mean', () => {
    const params = { p: 6.25, q: 3.74, v: 15.44 };
    const population = (params.p * params.v) / (params.q - 1);
    const x = 3;
    const mx = 50;
    const w = (params.q - 1) / (params.p * x + params.q - 1);
    expect(conditionalExpectedSpend(params, { x, mx })).toBeCloseTo(w * population + (1 - w) * mx, 10);
    expect(conditionalExpectedSpend(params, { x: 0, mx: 0 })).toBeCloseTo(population, 10);
    expect(() => conditionalExpectedSpend({ p: 1, q: 0.5, v: 1 }, { x: 1, mx: 1 })).toThrow(/q > 1/);
  });

  it('log-likelihood matches the density written out by hand', () => {
    const [p, q, v, x, m] = [2, 3, 10, 2, 7];
    const byHand =
      lnGamma(p * x + q) - lnGamma(p * x) - lnGamma(q) + q * Math.log(v) + (p * x - 1) * Math.log(m) +
      p * x * Math.log(x) - (p * x + q) * Math.log(x * m + v);
    expect(gammaGammaCustomerLogLikelihood({ p, q, v }, { x, mx: m })).toBeCloseTo(byHand, 12);
  });
});

describeWithSharedData('cdnow/CDNOW_sample.txt', 'Gamma-Gamma on CDNOW', (sample) => {
  it('reproduces the lifetimes fit p 6.25, q 3.74, v 15.44 on the 946 returning customers', () => {
    const cohort = buildCohort(parseCdnowTransactions(readFileSync(sample, 'utf8')), { calibrationEndDay: parseDay('1997-09-30') });
    const returning = cohort.filter((c) => c.x > 0).map((c) => ({ x: c.x, mx: c.monetary! }));
    expect(returning).toHaveLength(946);
    const fit = fitGammaGamma(returning);
    expect(fit.params.p).toBeCloseTo(6.25, 2);
    expect(fit.params.q).toBeCloseTo(3.74, 2);
    expect(fit.params.v).toBeCloseTo(15.44, 1);
  });
});
