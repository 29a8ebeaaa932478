import { LocalrecError } from '../errors';

/**
 * Raw purchase records and calendar-day helpers shared by the parsers and the cohort builder.
 * Days are whole UTC days since 1970-01-01, so "same day" and "days between" are exact integers.
 */

/** One purchase record (several on the same customer and day are merged by the cohort builder). */
export interface Transaction {
  customerId: string;
  /** Whole UTC days since 1970-01-01. */
  day: number;
  /** Money spent, when the source has it. */
  amount?: number;
}

const MS_PER_DAY = 86_400_000;

/** Day number of a calendar date; throws invalid_argument when the date does not exist. */
export function dayFromYmd(year: number, month: number, day: number): number {
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  if (
    !Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day) ||
    d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day
  ) {
    throw new LocalrecError('invalid_argument', `not a calendar date: ${year}-${month}-${day}`);
  }
  return Math.round(ms / MS_PER_DAY);
}

/**
 * Parses `YYYY-MM-DD` or `YYYYMMDD` into a day number.
 * @example parseDay('1997-09-30') === parseDay('19970930')
 */
export function parseDay(text: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!m) throw new LocalrecError('invalid_argument', `expected a date as YYYY-MM-DD or YYYYMMDD, got "${text}"`);
  return dayFromYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Formats a day number as YYYY-MM-DD. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day number of a millisecond epoch time (UTC). */
export function dayFromMs(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}
