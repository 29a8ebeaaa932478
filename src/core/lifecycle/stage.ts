/**
 * Lifecycle stage rules on top of the BG/NBD figures: plain, documented thresholds a marketer
 * can read and change, rather than a learned classifier.
 */

/** The four stages, in the order a customer normally moves through them. */
export type LifecycleStage = 'new' | 'active' | 'at-risk' | 'lapsed';

/** What the rules look at. Days are calendar days; `x` is repeat purchases (purchases − 1). */
export interface StageInput {
  /** P(alive) from BG/NBD; null for a shopper who never purchased. */
  pAlive: number | null;
  /** Repeat purchases: purchase days − 1 (0 when never purchased; then `daysSinceFirst` is null). */
  x: number;
  daysSinceLast: number | null;
  daysSinceFirst: number | null;
  /** Expected (or observed) average spend per purchase, when known. */
  monetary?: number | null;
  /** Population mean spend per purchase (Gamma–Gamma p·v/(q−1)), the yardstick for `highValue`. */
  populationMeanSpend?: number | null;
}

/**
 * Thresholds for {@link lifecycleStage}. Defaults:
 * - `newMaxDays` 30: never purchased, or one purchase less than 30 days ago, is **new**.
 * - `lapsedPAlive` 0.3 / `atRiskPAlive` 0.7: repeat buyers below 0.3 are **lapsed**, below 0.7
 *   **at-risk**, otherwise **active**.
 * - `oneTimeAtRiskDays` 90 / `oneTimeLapsedDays` 180: BG/NBD puts P(alive) = 1 for a customer with
 *   no repeat purchase (they can only drop out after one), so one-time buyers are staged by
 *   days since their purchase instead.
 * - `highValueSpendMultiple` 1.5: **highValue** when expected spend per purchase is at least
 *   1.5 × the population mean, or when `highValueMinPurchases` (5) purchases were made.
 */
export interface StageThresholds {
  newMaxDays: number;
  lapsedPAlive: number;
  atRiskPAlive: number;
  oneTimeAtRiskDays: number;
  oneTimeLapsedDays: number;
  highValueSpendMultiple: number;
  highValueMinPurchases: number;
}

/** The documented defaults (see {@link StageThresholds}). */
export const DEFAULT_STAGE_THRESHOLDS: Readonly<StageThresholds> = Object.freeze({
  newMaxDays: 30,
  lapsedPAlive: 0.3,
  atRiskPAlive: 0.7,
  oneTimeAtRiskDays: 90,
  oneTimeLapsedDays: 180,
  highValueSpendMultiple: 1.5,
  highValueMinPurchases: 5,
});

/** The stage, the high-value flag, and why, in words. */
export interface StageResult {
  stage: LifecycleStage;
  highValue: boolean;
  reason: string;
  highValueReason: string;
}

function days(n: number): string {
  const r = Math.round(n);
  return `${r} day${r === 1 ? '' : 's'}`;
}

/**
 * Applies the stage rules.
 *
 * @example lifecycleStage({ pAlive: 0.42, x: 2, daysSinceLast: 40, daysSinceFirst: 64 }).stage // 'at-risk'
 */
export function lifecycleStage(input: StageInput, thresholds: Partial<StageThresholds> = {}): StageResult {
  const th: StageThresholds = { ...DEFAULT_STAGE_THRESHOLDS, ...thresholds };
  const { pAlive, x, daysSinceLast, daysSinceFirst } = input;
  let stage: LifecycleStage;
  let reason: string;
  if (daysSinceFirst === null || daysSinceLast === null) {
    stage = 'new';
    reason = 'No purchase yet.';
  } else if (x === 0) {
    if (daysSinceFirst < th.newMaxDays) {
      stage = 'new';
      reason = `First purchase ${days(daysSinceFirst)} ago (new while under ${th.newMaxDays} days and no repeat purchase).`;
    } else if (daysSinceLast >= th.oneTimeLapsedDays) {
      stage = 'lapsed';
      reason = `Only one purchase, ${days(daysSinceLast)} ago (lapsed after ${th.oneTimeLapsedDays} days without a second).`;
    } else if (daysSinceLast >= th.oneTimeAtRiskDays) {
      stage = 'at-risk';
      reason = `Only one purchase, ${days(daysSinceLast)} ago (at risk after ${th.oneTimeAtRiskDays} days without a second).`;
    } else {
      stage = 'active';
      reason = `One purchase, ${days(daysSinceLast)} ago: still within ${th.oneTimeAtRiskDays} days.`;
    }
  } else {
    const p = pAlive ?? 1;
    if (p < th.lapsedPAlive) {
      stage = 'lapsed';
      reason = `P(alive) ${p.toFixed(2)} is below ${th.lapsedPAlive}.`;
    } else if (p < th.atRiskPAlive) {
      stage = 'at-risk';
      reason = `P(alive) ${p.toFixed(2)} is below ${th.atRiskPAlive}.`;
    } else {
      stage = 'active';
      reason = `P(alive) ${p.toFixed(2)} is at least ${th.atRiskPAlive}.`;
    }
  }
  const purchases = daysSinceFirst === null ? 0 : x + 1;
  const spend = input.monetary ?? null;
  const yardstick = input.populationMeanSpend ?? null;
  let highValue = false;
  let highValueReason = 'Not high value.';
  if (purchases >= th.highValueMinPurchases) {
    highValue = true;
    highValueReason = `${purchases} purchases (high value from ${th.highValueMinPurchases}).`;
  } else if (purchases > 0 && spend !== null && yardstick !== null && yardstick > 0 && spend >= th.highValueSpendMultiple * yardstick) {
    highValue = true;
    highValueReason = `Expected spend per purchase ${spend.toFixed(2)} is at least ${th.highValueSpendMultiple} × the average shopper's ${yardstick.toFixed(2)}.`;
  }
  return { stage, highValue, reason, highValueReason };
}
