import { readFileSync } from 'node:fs';
import { columnIndices, readTable, type Table } from '../../src/core/csv';
import { LocalrecError } from '../../src/core/errors';
import {
  parseCdnowSummary, parseCdnowTransactions, parseOnlineRetailPurchases,
  type SessionContext, type SessionEvent, type SummaryRow, type Transaction,
} from '../../src/core/lifecycle/index';

/** Input formats the lifecycle tool reads. */
export const TRANSACTION_FORMATS = ['cdnow', 'cdnow-summary', 'online-retail'] as const;
export type TransactionFormat = (typeof TRANSACTION_FORMATS)[number];

/** Input read from disk: raw transactions, or ready-made summaries. */
export type LoadedInput =
  | { format: 'cdnow' | 'online-retail'; transactions: Transaction[] }
  | { format: 'cdnow-summary'; summaries: SummaryRow[] };

/** Guesses the format from the first line: a CSV header names it, otherwise CDNOW whitespace columns. */
export function detectFormat(text: string): TransactionFormat {
  const first = (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').toLowerCase();
  if (first.includes('invoiceno')) return 'online-retail';
  if (first.includes('frequency') && first.includes('recency')) return 'cdnow-summary';
  return 'cdnow';
}

/** Reads and parses an input file; errors name the file. */
export function loadTransactions(path: string, format?: TransactionFormat): LoadedInput {
  const text = readFileSync(path, 'utf8');
  const fmt = format ?? detectFormat(text);
  try {
    if (fmt === 'cdnow-summary') return { format: fmt, summaries: parseCdnowSummary(text) };
    if (fmt === 'cdnow') return { format: fmt, transactions: parseCdnowTransactions(text) };
    return { format: fmt, transactions: parseOnlineRetailPurchases(text) };
  } catch (e) {
    if (e instanceof LocalrecError) throw new LocalrecError(e.code, `${path}: ${e.message}`, e.field);
    throw e;
  }
}

/** One labelled Diginetica session, as the purchase-model trainer uses it. */
export interface LabelledSession {
  sessionId: string;
  events: SessionEvent[];
  context: SessionContext;
  /** 1 when the session appears in train-purchases.csv. */
  label: 0 | 1;
}

/** A `;`-separated file of the Diginetica sample, with the named columns' indices. */
function readSemicolonCsv(path: string, names: readonly string[]): { rows: Table['rows']; at: number[] } {
  const table = readTable(readFileSync(path, 'utf8'), (l) => l.split(';'), path);
  return { rows: table.rows, at: columnIndices(table.header, names, path) };
}

const DAY_MS = 86_400_000;

function dateMs(path: string, line: number, text: string): number {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !Number.isFinite(ms)) {
    throw new LocalrecError('invalid_data', `${path} line ${line}: eventdate must be YYYY-MM-DD, got "${text}"`);
  }
  return ms;
}

/**
 * Reads the Diginetica sample (train-item-views.csv, train-purchases.csv, product-categories.csv)
 * into labelled view sessions. In buying sessions, views timed after the first purchase are
 * dropped so the features only see what happened before the label. A known user's
 * days-since-last-purchase comes from their purchases on earlier days; anonymous users count
 * as never having purchased, as a fresh on-device profile would.
 */
export function loadDigineticaSessions(dir: string): LabelledSession[] {
  const viewsPath = `${dir}/train-item-views.csv`;
  const purchasesPath = `${dir}/train-purchases.csv`;
  const categoriesPath = `${dir}/product-categories.csv`;
  const cats = readSemicolonCsv(categoriesPath, ['itemId', 'categoryId']);
  const [cItem, cCat] = cats.at as [number, number];
  const categoryOf = new Map(cats.rows.map(({ cols: r }) => [r[cItem]!, r[cCat]!]));

  const purchases = readSemicolonCsv(purchasesPath, ['sessionId', 'userId', 'timeframe', 'eventdate']);
  const [pSession, pUser, pTime, pDate] = purchases.at as [number, number, number, number];
  const firstPurchaseTime = new Map<string, number>();
  const userPurchaseDays = new Map<string, number[]>();
  purchases.rows.forEach(({ line, cols: r }) => {
    const t = Number(r[pTime]);
    if (!Number.isFinite(t)) throw new LocalrecError('invalid_data', `${purchasesPath} line ${line}: timeframe must be a number`);
    const s = r[pSession]!;
    firstPurchaseTime.set(s, Math.min(firstPurchaseTime.get(s) ?? Infinity, t));
    const user = r[pUser]!;
    if (user !== 'NA' && user !== '') {
      const days = userPurchaseDays.get(user) ?? [];
      days.push(dateMs(purchasesPath, line, r[pDate]!) / DAY_MS);
      userPurchaseDays.set(user, days);
    }
  });

  const views = readSemicolonCsv(viewsPath, ['session_id', 'user_id', 'item_id', 'timeframe', 'eventdate']);
  const [vSession, vUser, vItem, vTime, vDate] = views.at as [number, number, number, number, number];
  const sessions = new Map<string, { user: string; day: number; events: SessionEvent[] }>();
  views.rows.forEach(({ line, cols: r }) => {
    const t = Number(r[vTime]);
    if (!Number.isFinite(t)) throw new LocalrecError('invalid_data', `${viewsPath} line ${line}: timeframe must be a number`);
    const id = r[vSession]!;
    const start = dateMs(viewsPath, line, r[vDate]!);
    let s = sessions.get(id);
    if (!s) sessions.set(id, (s = { user: r[vUser]!, day: start / DAY_MS, events: [] }));
    if (t > (firstPurchaseTime.get(id) ?? Infinity)) return;
    const item = r[vItem]!;
    const category = categoryOf.get(item);
    s.events.push({ type: 'view', itemId: item, ...(category !== undefined ? { category } : {}), time: start + t });
  });

  const out: LabelledSession[] = [];
  for (const [sessionId, s] of sessions) {
    const earlier = (userPurchaseDays.get(s.user) ?? []).filter((d) => d < s.day);
    const daysSinceLastPurchase = earlier.length > 0 ? s.day - Math.max(...earlier) : null;
    out.push({
      sessionId,
      events: s.events,
      context: { daysSinceLastPurchase, pAlive: null },
      label: firstPurchaseTime.has(sessionId) ? 1 : 0,
    });
  }
  return out;
}
