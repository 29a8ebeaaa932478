import { describe, expect, it } from 'vitest';
import { brierScore, expectedCalibrationError, reliabilityTable, rocAuc, stratifiedFolds } from './classifier-metrics';

describe('rocAuc', () => {
  it('matches hand-computed cases', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    // Ties count one half: positives {2, 2}, negatives {2, 1}: pairs 0.5 + 1 + 0.5 + 1 = 3 of 4.
    expect(rocAuc([2, 2, 2, 1], [1, 1, 0, 0])).toBeCloseTo(0.75, 12);
    expect(Number.isNaN(rocAuc([1, 2], [1, 1]))).toBe(true);
  });
});

describe('calibration', () => {
  it('Brier score by hand', () => {
    expect(brierScore([0.2, 0.9], [0, 1])).toBeCloseTo((0.04 + 0.01) / 2, 12);
  });
  it('reliability bins have equal counts and ECE weighs their gaps', () => {
    const probs = [0.1, 0.1, 0.1, 0.1, 0.5, 0.5, 0.5, 0.5];
    const labels = [0, 0, 0, 1, 1, 1, 0, 0];
    const table = reliabilityTable(probs, labels, 2);
    expect(table.map((b) => b.count)).toEqual([4, 4]);
    expect(table[0]).toMatchObject({ meanPredicted: 0.1, observedRate: 0.25 });
    expect(expectedCalibrationError(probs, labels, 2)).toBeCloseTo(0.5 * 0.15 + 0.5 * 0, 12);
  });
});

describe('stratifiedFolds', () => {
  it('spreads positives evenly and is reproducible', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0));
    const folds = stratifiedFolds(labels, 5, 7);
    for (let f = 0; f < 5; f++) {
      expect(folds.filter((v, i) => v === f && labels[i] === 1)).toHaveLength(4);
      expect(folds.filter((v) => v === f)).toHaveLength(20);
    }
    expect(stratifiedFolds(labels, 5, 7)).toEqual(folds);
  });
});
