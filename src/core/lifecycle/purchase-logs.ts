import { columnIndices, readTable, splitCsvLine } from '../csv';
import { LocalrecError } from '../errors';
import { readOnlineRetail } from '../online-retail';
import type { RfmSummary } from './bgnbd';
import { dayFromMs, dayFromYmd, type Transaction } from './transactions';

/**
 * Parsers for the purchase-log formats the lifecycle tool accepts. Pure (text in, records out)
 * so they run in tests and tools alike; every error names the offending line.
 */

function bad(line: number, what: string): LocalrecError {
  return new LocalrecError('invalid_data', `line ${line}: ${what}`);
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

function ymdDay(token: string, line: number): number {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(token);
  if (!m) throw bad(line, `expected a date as YYYYMMDD, got "${token}"`);
  try {
    return dayFromYmd(Number(m[1]), Number(m[2]), Number(m[3]));
  } catch {
    throw bad(line, `"${token}" is not a calendar date`);
  }
}

function finite(token: string | undefined, line: number, field: string): number {
  const v = token === undefined || token.trim() === '' ? NaN : Number(token);
  if (!Number.isFinite(v)) throw bad(line, `${field} must be a number, got "${token ?? ''}"`);
  return v;
}

/**
 * CDNOW raw transactions, whitespace separated, either layout:
 * - `CDNOW_master.txt`: `customer_id date cds dollars`, with a header line (CRLF line ends);
 * - `CDNOW_sample.txt`: `master_id sample_id date cds dollars`, no header; the customer is the
 *   sample id, which is the ID the published summary file uses.
 */
export function parseCdnowTransactions(text: string): Transaction[] {
  const out: Transaction[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const tokens = lines[i]!.trim().split(/\s+/).filter((t) => t !== '');
    if (tokens.length === 0) continue;
    if (out.length === 0 && /^[a-z_]/i.test(tokens[0]!)) continue; // header line (customer_id ...)
    if (tokens.length !== 4 && tokens.length !== 5) {
      throw bad(lineNo, `expected 4 (master) or 5 (sample) columns, got ${tokens.length}`);
    }
    const [idToken, dateToken, , dollars] = tokens.length === 5 ? tokens.slice(1) : tokens;
    if (!/^\d+$/.test(idToken!)) throw bad(lineNo, `customer id must be digits, got "${idToken}"`);
    out.push({
      customerId: String(Number(idToken)), // drop the zero padding
      day: ymdDay(dateToken!, lineNo),
      amount: finite(dollars, lineNo, 'dollar value'),
    });
  }
  if (out.length === 0) throw new LocalrecError('invalid_data', 'no CDNOW transactions found');
  return out;
}

/** A customer summary with its id, as read from a summary file. */
export interface SummaryRow extends RfmSummary {
  id: string;
  /** Mean value of repeat purchases, when the file has a `monetary_value` column. */
  monetary?: number;
}


/** A summary CSV `ID,frequency,recency,T` in time units (weeks for CDNOW); optional `monetary_value`. */
export function parseCdnowSummary(text: string): SummaryRow[] {
  const table = readTable(text, (l) => splitCsvLine(l.trim()), 'summary file');
  const [ci, fi, ri, ti] = columnIndices(table.header, ['ID', 'frequency', 'recency', 'T'], 'summary file') as [number, number, number, number];
  const monetaryAt = table.header.map((h) => h.toLowerCase()).indexOf('monetary_value');
  return table.rows.map(({ line, cols: f }) => {
    const x = finite(f[fi], line, 'frequency');
    const tx = finite(f[ri], line, 'recency');
    const T = finite(f[ti], line, 'T');
    if (!Number.isInteger(x) || x < 0 || tx < 0 || T < tx) {
      throw bad(line, `need integer frequency >= 0 and 0 <= recency <= T, got ${x}, ${tx}, ${T}`);
    }
    const row: SummaryRow = { id: (f[ci] ?? '').trim(), x, tx, T };
    if (monetaryAt >= 0) row.monetary = finite(f[monetaryAt], line, 'monetary_value');
    return row;
  });
}

/**
 * UCI Online Retail as purchases: each sale to a known customer becomes a transaction of
 * Quantity × UnitPrice on its invoice day. Cancellations, anonymous sales and rows with a
 * non-positive quantity (stock adjustments, not sales) are left out.
 */
export function parseOnlineRetailPurchases(text: string): Transaction[] {
  const out = readOnlineRetail(text).flatMap(({ cancelled, customerId, quantity, unitPrice, time }) =>
    cancelled || customerId === undefined || quantity <= 0
      ? []
      : [{ customerId, day: dayFromMs(time), amount: quantity * unitPrice }],
  );
  if (out.length === 0) throw new LocalrecError('invalid_data', 'no purchases with a CustomerID found');
  return out;
}
