import { LocalrecError } from '../errors';
import {
  conditionalExpectedPurchases, expectedPurchases, pAlive as bgnbdPAlive,
  type BgNbdParams, type RfmSummary,
} from './bgnbd';
import { conditionalExpectedSpend, type GammaGammaParams } from './gamma-gamma';
import { lifecycleStage, type LifecycleStage, type StageThresholds } from './stage';
import { dayFromMs } from './transactions';

/**
 * One shopper's lifecycle figures from their own purchase list and the store's population
 * parameters. Pure and cheap (a few 2F1 series), so the worker calls it on every purchase.
 */

/** Population parameters as shipped in the catalog bundle (demo/data/lifecycle-params.json). */
export interface LifecyclePopulation {
  bgnbd: BgNbdParams;
  gammaGamma?: GammaGammaParams | null;
  /** Days per model time unit (7: the parameters were fitted in weeks). */
  timeUnitDays: number;
}

/** One purchase as the worker stores it. */
export interface ShopperPurchase {
  /** Epoch milliseconds. */
  time: number;
  /** Order value, when known. */
  value?: number;
}

/** Marketer-readable explanations, one per figure. */
export interface ShopperLifecycleReasons {
  history: string;
  pAlive: string;
  expectedPurchases: string;
  expectedValue?: string;
  stage: string;
  highValue: string;
}

/** What {@link predictShopperLifecycle} returns. */
export interface ShopperLifecycle {
  /** P(alive); null for a shopper with no purchase (BG/NBD only describes customers). */
  pAlive: number | null;
  expectedPurchases30d: number;
  expectedPurchases90d: number;
  /** Expected spend in the next 90 days; present only with Gamma–Gamma parameters and order values. */
  expectedValue90d?: number;
  stage: LifecycleStage;
  highValue: boolean;
  /** The (x, t_x, T) summary in model time units; null with no purchase. */
  summary: RfmSummary | null;
  reasons: ShopperLifecycleReasons;
}

function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}

/**
 * Computes P(alive), expected purchases in 30 and 90 days, expected 90-day value, the lifecycle
 * stage and reasons. Purchases on the same UTC day count once (as in the fit); purchases after
 * `now` are ignored.
 *
 * @example
 * predictShopperLifecycle(params, [{ time: Date.parse('2024-01-02'), value: 30 }, { time: Date.parse('2024-02-10'), value: 45 }], Date.now())
 */
export function predictShopperLifecycle(
  population: LifecyclePopulation,
  purchases: readonly ShopperPurchase[],
  now: number,
  thresholds: Partial<StageThresholds> = {},
): ShopperLifecycle {
  const unit = population.timeUnitDays;
  if (!(unit > 0) || !Number.isFinite(now)) {
    throw new LocalrecError('invalid_argument', 'predictShopperLifecycle needs timeUnitDays > 0 and a finite now');
  }
  const today = dayFromMs(now);
  const perDay = new Map<number, number>();
  let allValued = true;
  for (const p of purchases) {
    if (!Number.isFinite(p.time)) throw new LocalrecError('invalid_argument', `purchase time must be finite, got ${p.time}`);
    const d = dayFromMs(p.time);
    if (d > today) continue;
    if (p.value === undefined || !Number.isFinite(p.value)) allValued = false;
    perDay.set(d, (perDay.get(d) ?? 0) + (p.value ?? 0));
  }
  const gg = population.gammaGamma ?? null;
  const popMeanSpend = gg && gg.q > 1 ? (gg.p * gg.v) / (gg.q - 1) : null;
  const horizon30 = 30 / unit;
  const horizon90 = 90 / unit;
  const baseline30 = expectedPurchases(population.bgnbd, horizon30);

  if (perDay.size === 0) {
    const staged = lifecycleStage({ pAlive: null, x: 0, daysSinceLast: null, daysSinceFirst: null }, thresholds);
    return {
      pAlive: null,
      // A shopper who buys today would, on average, repeat this often: the population figure.
      expectedPurchases30d: baseline30,
      expectedPurchases90d: expectedPurchases(population.bgnbd, horizon90),
      stage: staged.stage,
      highValue: false,
      summary: null,
      reasons: {
        history: 'No purchases yet.',
        pAlive: 'No P(alive) before a first purchase.',
        expectedPurchases: `Population average after a first purchase: ${fmt(baseline30, 2)} repeat purchases in 30 days.`,
        stage: staged.reason,
        highValue: staged.highValueReason,
      },
    };
  }

  const days = [...perDay.keys()].sort((p, q) => p - q);
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const x = days.length - 1;
  const summary: RfmSummary = { x, tx: (last - first) / unit, T: (today - first) / unit };
  const alive = bgnbdPAlive(population.bgnbd, summary);
  const e30 = conditionalExpectedPurchases(population.bgnbd, horizon30, summary);
  const e90 = conditionalExpectedPurchases(population.bgnbd, horizon90, summary);
  const daysSinceLast = today - last;
  const daysSinceFirst = today - first;
  const gapDays = x > 0 ? (last - first) / x : null;

  let expectedSpend: number | null = null;
  if (gg && gg.q > 1 && allValued) {
    const repeatValues = days.slice(1).map((d) => perDay.get(d)!);
    const mx = x > 0 ? repeatValues.reduce((s, v) => s + v, 0) / x : 0;
    expectedSpend = x > 0 && mx > 0 ? conditionalExpectedSpend(gg, { x, mx }) : popMeanSpend;
  }
  const staged = lifecycleStage(
    { pAlive: alive, x, daysSinceLast, daysSinceFirst, monetary: expectedSpend, populationMeanSpend: popMeanSpend },
    thresholds,
  );

  const n = x + 1;
  const history =
    `${n} purchase${n === 1 ? '' : 's'}, last one ${daysSinceLast} day${daysSinceLast === 1 ? '' : 's'} ago` +
    (gapDays !== null ? `, usually buys every ${Math.round(gapDays)} days.` : '.');
  const pAliveReason =
    x === 0
      ? `P(alive) ${fmt(alive, 2)}: with a single purchase the model has no repeat pattern to judge yet.`
      : `P(alive) ${fmt(alive, 2)}: a shopper who bought this often usually comes back within ${Math.round(gapDays!)} days; it has been ${daysSinceLast}.`;
  const result: ShopperLifecycle = {
    pAlive: alive,
    expectedPurchases30d: e30,
    expectedPurchases90d: e90,
    stage: staged.stage,
    highValue: staged.highValue,
    summary,
    reasons: {
      history,
      pAlive: pAliveReason,
      expectedPurchases: `Expected ${fmt(e30, 2)} purchases in the next 30 days and ${fmt(e90, 2)} in 90 (a new customer averages ${fmt(baseline30, 2)} in 30).`,
      stage: staged.reason,
      highValue: staged.highValueReason,
    },
  };
  if (expectedSpend !== null) {
    result.expectedValue90d = e90 * expectedSpend;
    result.reasons.expectedValue = `${fmt(e90, 2)} expected purchases × ${fmt(expectedSpend, 2)} expected spend per purchase = ${fmt(e90 * expectedSpend, 2)} in 90 days.`;
  }
  return result;
}
