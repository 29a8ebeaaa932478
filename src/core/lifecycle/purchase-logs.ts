import { columnIndices, readTable, splitCsvLine } from '../csv';
import { LocalrecError } from '../errors';
import type { RfmSummary } from './bgnbd';
import { dayFromYmd, type Transaction } from './transactions';

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
 * UCI Online Retail CSV. Cancellations (invoice numbers starting with C), rows without a
 * CustomerID and rows with a non-positive quantity (stock adjustments, not sales) are skipped;
 * each kept row becomes a transaction of Quantity × UnitPrice on its invoice day.
 */
export function parseOnlineRetail(text: string): Transaction[] {
  const table = readTable(text, (l) => splitCsvLine(l.trim()), 'online-retail file');
  const [ii, qi, di, pi, ci] = columnIndices(
    table.header, ['InvoiceNo', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'], 'online-retail file',
  ) as [number, number, number, number, number];
  const out: Transaction[] = [];
  for (const { line: lineNo, cols: f } of table.rows) {
    const invoice = (f[ii] ?? '').trim();
    const customer = (f[ci] ?? '').trim();
    if (invoice === '') throw bad(lineNo, 'missing InvoiceNo');
    if (invoice.toUpperCase().startsWith('C') || customer === '') continue;
    const quantity = finite(f[qi], lineNo, 'Quantity');
    const price = finite(f[pi], lineNo, 'UnitPrice');
    if (quantity <= 0) continue;
    const dateText = (f[di] ?? '').trim();
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(dateText);
    if (!m) throw bad(lineNo, `InvoiceDate must be DD/MM/YYYY HH:MM, got "${dateText}"`);
    let day: number;
    try {
      day = dayFromYmd(Number(m[3]), Number(m[2]), Number(m[1]));
    } catch {
      throw bad(lineNo, `"${dateText}" is not a calendar date`);
    }
    // Some exports write ids as 17850.0; normalise so one customer stays one customer.
    const id = /^\d+(\.0+)?$/.test(customer) ? String(Number(customer)) : customer;
    out.push({ customerId: id, day, amount: quantity * price });
  }
  if (out.length === 0) throw new LocalrecError('invalid_data', 'no purchases with a CustomerID found');
  return out;
}
