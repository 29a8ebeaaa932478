import { LocalrecError } from '../errors';
import type { RfmSummary } from './bgnbd';
import type { Transaction } from './transactions';

/**
 * Builds per-customer (x, t_x, T) summaries from raw transactions, the way a store would feed
 * its own logs to BG/NBD: purchases on the same day merge into one, times are days / unit,
 * and the days after the calibration end form an optional holdout.
 */

/** Options for {@link buildCohort}. */
export interface CohortOptions {
  /** Last day (inclusive, day number) of the calibration window. */
  calibrationEndDay: number;
  /** Last day (inclusive) of the holdout window; no holdout counts when absent. */
  holdoutEndDay?: number;
  /** Days per model time unit. Default 7 (weeks, as in the BG/NBD paper). */
  timeUnitDays?: number;
}

/** One customer of the calibration cohort. */
export interface CohortCustomer extends RfmSummary {
  id: string;
  /** Day number of the first purchase. */
  firstDay: number;
  /** Mean spend of the repeat purchase days in calibration; null when x = 0 or amounts are missing. */
  monetary: number | null;
  /** Purchase days in (calibration end, holdout end]; 0 without a holdout. */
  holdoutPurchases: number;
}

/**
 * Summarises transactions into the cohort of customers whose first purchase is on or before
 * the calibration end. T runs from each customer's own first purchase to the calibration end.
 *
 * @example buildCohort(parseCdnowTransactions(text), { calibrationEndDay: parseDay('1997-09-30') })
 */
export function buildCohort(transactions: readonly Transaction[], options: CohortOptions): CohortCustomer[] {
  const unit = options.timeUnitDays ?? 7;
  const end = options.calibrationEndDay;
  const holdoutEnd = options.holdoutEndDay;
  if (!(unit > 0) || !Number.isFinite(end)) {
    throw new LocalrecError('invalid_argument', 'buildCohort needs a finite calibrationEndDay and timeUnitDays > 0');
  }
  if (holdoutEnd !== undefined && !(holdoutEnd > end)) {
    throw new LocalrecError('invalid_argument', 'holdoutEndDay must come after calibrationEndDay');
  }
  // customer -> day -> summed amount (NaN once any record on that day lacks an amount)
  const byCustomer = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    let days = byCustomer.get(t.customerId);
    if (!days) byCustomer.set(t.customerId, (days = new Map()));
    days.set(t.day, (days.get(t.day) ?? 0) + (t.amount ?? NaN));
  }
  const out: CohortCustomer[] = [];
  for (const [id, dayMap] of byCustomer) {
    const days = [...dayMap.keys()].sort((p, q) => p - q);
    const first = days[0]!;
    if (first > end) continue;
    const calibration = days.filter((d) => d <= end);
    const repeats = calibration.slice(1);
    const last = calibration[calibration.length - 1]!;
    let monetary: number | null = null;
    if (repeats.length > 0) {
      const mean = repeats.reduce((s, d) => s + dayMap.get(d)!, 0) / repeats.length;
      monetary = Number.isFinite(mean) ? mean : null;
    }
    const holdoutPurchases = holdoutEnd === undefined ? 0 : days.filter((d) => d > end && d <= holdoutEnd).length;
    out.push({
      id,
      firstDay: first,
      x: repeats.length,
      tx: (last - first) / unit,
      T: (end - first) / unit,
      monetary,
      holdoutPurchases,
    });
  }
  return out;
}
