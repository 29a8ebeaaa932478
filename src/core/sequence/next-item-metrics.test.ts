import { describe, expect, it } from 'vitest';
import { MetricAccumulator } from './next-item-metrics';

describe('MetricAccumulator', () => {
  it('computes HR, MRR and NDCG on a hand-worked case', () => {
    // Ranks 1, 4, 15, miss (0), 25 (past the list = miss).
    const acc = new MetricAccumulator();
    for (const r of [1, 4, 15, 0, 25]) acc.add(r);
    const m = acc.summary();
    expect(m.predictions).toBe(5);
    expect(m['hr@20']).toBeCloseTo(3 / 5, 12);
    expect(m['mrr@20']).toBeCloseTo((1 + 1 / 4 + 1 / 15) / 5, 12);
    expect(m['hr@10']).toBeCloseTo(2 / 5, 12);
    expect(m['mrr@10']).toBeCloseTo((1 + 0.25) / 5, 12);
    // NDCG gains: 1/log2(2) = 1, 1/log2(5) = 0.430677, 1/log2(16) = 0.25.
    expect(m['ndcg@20']).toBeCloseTo((1 + 0.4306765580733931 + 0.25) / 5, 12);
  });

  it('is all zeros with no predictions', () => {
    expect(new MetricAccumulator().summary()).toEqual({ 'hr@20': 0, 'mrr@20': 0, 'hr@10': 0, 'mrr@10': 0, 'ndcg@20': 0, predictions: 0 });
  });
});
