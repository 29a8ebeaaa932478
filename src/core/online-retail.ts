import { columnIndices, readTable, splitCsvLine } from './csv';
import { LocalrecError } from './errors';

/**
 * The one reader of the UCI Online Retail CSV (Chen 2015). Click sessions, purchase logs and the
 * demo catalog all derive from these rows, so they agree on what a row means; each user decides
 * which rows it keeps.
 */

/** One invoice line of the file, fields trimmed. */
export interface OnlineRetailRow {
  readonly invoice: string;
  /** The invoice number starts with "C" (either case): the row cancels an earlier sale. */
  readonly cancelled: boolean;
  readonly stockCode: string;
  /** May be empty: the file has lines without one. */
  readonly description: string;
  /** Negative on cancellations and stock adjustments. */
  readonly quantity: number;
  /** InvoiceDate as epoch milliseconds; the file gives no zone, so it is read as UTC. */
  readonly time: number;
  readonly unitPrice: number;
  /** Undefined on anonymous sales; "17850.0" is read as "17850". */
  readonly customerId: string | undefined;
}

const COLUMNS = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'] as const;
const INVOICE_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/;

function bad(line: number, what: string): LocalrecError {
  return new LocalrecError('invalid_data', `Online Retail line ${line}: ${what}`);
}

/** Epoch ms of `DD/MM/YYYY HH:MM`, or undefined when it is not that or names no real moment. */
function invoiceTime(text: string): number | undefined {
  const m = INVOICE_DATE.exec(text);
  if (!m) return undefined;
  const [day, month, year, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute);
  // Date.UTC rolls 31/02 over into March, so only a date that reads back the same exists.
  const t = new Date(ms);
  const same = t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day
    && t.getUTCHours() === hour && t.getUTCMinutes() === minute;
  return same ? ms : undefined;
}

function finite(text: string, line: number, column: string): number {
  const v = text === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) throw bad(line, `${column} must be a number, got "${text}"`);
  return v;
}

/**
 * Reads every data row of the file, in file order. Throws `LocalrecError('invalid_data')` for a
 * missing column or, naming its line, a row without InvoiceNo or StockCode, with a Quantity or
 * UnitPrice that is not a number, or an InvoiceDate that is not a real DD/MM/YYYY HH:MM.
 */
export function readOnlineRetail(text: string): OnlineRetailRow[] {
  const table = readTable(text, splitCsvLine, 'Online Retail CSV');
  const at = columnIndices(table.header, COLUMNS, 'Online Retail CSV');
  return table.rows.map(({ line, cols }) => {
    const [invoice, stockCode, description, quantity, date, unitPrice, customer] = at.map((i) => (cols[i] ?? '').trim()) as
      [string, string, string, string, string, string, string];
    if (invoice === '') throw bad(line, 'InvoiceNo is empty');
    if (stockCode === '') throw bad(line, 'StockCode is empty');
    const time = invoiceTime(date);
    if (time === undefined) throw bad(line, `InvoiceDate must be DD/MM/YYYY HH:MM, got "${date}"`);
    return {
      invoice,
      cancelled: /^c/i.test(invoice),
      stockCode,
      description,
      quantity: finite(quantity, line, 'Quantity'),
      time,
      unitPrice: finite(unitPrice, line, 'UnitPrice'),
      customerId: customer === '' ? undefined : /^\d+(\.0+)?$/.test(customer) ? String(Number(customer)) : customer,
    };
  });
}
