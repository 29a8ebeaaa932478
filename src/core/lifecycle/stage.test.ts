import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE_THRESHOLDS, lifecycleStage } from './stage';

describe('lifecycleStage', () => {
  it('never purchased and recent one-time buyers are new', () => {
    expect(lifecycleStage({ pAlive: null, x: 0, daysSinceLast: null, daysSinceFirst: null }).stage).toBe('new');
    expect(lifecycleStage({ pAlive: 1, x: 0, daysSinceLast: 10, daysSinceFirst: 10 }).stage).toBe('new');
  });
  it('one-time buyers age into active, at-risk and lapsed by days', () => {
    const one = (days: number) => lifecycleStage({ pAlive: 1, x: 0, daysSinceLast: days, daysSinceFirst: days }).stage;
    expect(one(45)).toBe('active');
    expect(one(DEFAULT_STAGE_THRESHOLDS.oneTimeAtRiskDays)).toBe('at-risk');
    expect(one(DEFAULT_STAGE_THRESHOLDS.oneTimeLapsedDays + 1)).toBe('lapsed');
  });
  it('repeat buyers are staged by P(alive)', () => {
    const rep = (p: number) => lifecycleStage({ pAlive: p, x: 3, daysSinceLast: 20, daysSinceFirst: 100 });
    expect(rep(0.9).stage).toBe('active');
    expect(rep(0.5).stage).toBe('at-risk');
    expect(rep(0.1).stage).toBe('lapsed');
    expect(rep(0.5).reason).toBe('P(alive) 0.50 is below 0.7.');
  });
  it('thresholds are configurable', () => {
    expect(lifecycleStage({ pAlive: 0.5, x: 3, daysSinceLast: 20, daysSinceFirst: 100 }, { atRiskPAlive: 0.4 }).stage).toBe('active');
  });
  it('flags high value by purchase count or spend against the population', () => {
    expect(lifecycleStage({ pAlive: 0.9, x: 4, daysSinceLast: 5, daysSinceFirst: 90 }).highValue).toBe(true);
    const spend = lifecycleStage({ pAlive: 0.9, x: 1, daysSinceLast: 5, daysSinceFirst: 90, monetary: 80, populationMeanSpend: 35 });
    expect(spend.highValue).toBe(true);
    expect(spend.highValueReason).toMatch(/80\.00.*35\.00/);
    expect(lifecycleStage({ pAlive: 0.9, x: 1, daysSinceLast: 5, daysSinceFirst: 90, monetary: 40, populationMeanSpend: 35 }).highValue).toBe(false);
  });
});
