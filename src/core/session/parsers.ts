import { splitCsvLine } from '../csv';
import { LocalrecError } from '../errors';
import type { LogEvent, LogSession, SessionEvent } from './types';

/** The log formats the Node tools read. */
export type LogFormat = 'tsv' | 'diginetica' | 'online-retail';

/** Parses `text` in `format` into events (file order kept). Throws LocalrecError('invalid_data'). */
export function parseLog(text: string, format: LogFormat): LogEvent[] {
  switch (format) {
    case 'tsv':
      return parseSessionTsv(text);
    case 'diginetica':
      return parseDigineticaViews(text);
    case 'online-retail':
      return parseOnlineRetail(text);
  }
}

/** Guesses the format from the header line, so tools work without a --format flag. */
export function detectLogFormat(text: string): LogFormat {
  const header = firstLine(text).toLowerCase();
  if (header.startsWith('session_id;')) return 'diginetica';
  if (header.startsWith('invoiceno,')) return 'online-retail';
  return 'tsv';
}

/**
 * Parses a session-rec style TSV with a header naming `SessionId`, `ItemId` and `Time`
 * (epoch seconds), in any column order.
 */
export function parseSessionTsv(text: string): LogEvent[] {
  const lines = splitLines(text);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim());
  const si = header.indexOf('SessionId');
  const ii = header.indexOf('ItemId');
  const ti = header.indexOf('Time');
  if (si < 0 || ii < 0 || ti < 0) {
    throw new LocalrecError('invalid_data', 'TSV header must name SessionId, ItemId and Time (tab separated).');
  }
  const out: LogEvent[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '') continue;
    const cols = line.split('\t');
    const time = Number(cols[ti]);
    const sessionId = cols[si]?.trim() ?? '';
    const itemId = cols[ii]?.trim() ?? '';
    if (sessionId === '' || itemId === '' || !Number.isFinite(time)) {
      throw new LocalrecError('invalid_data', `TSV line ${n + 1} needs a session id, an item id and a numeric time.`);
    }
    out.push({ sessionId, itemId, time });
  }
  return out;
}

/**
 * Parses Diginetica's raw `train-item-views.csv` (`session_id;user_id;item_id;timeframe;eventdate`).
 * Time = the event date (UTC midnight) plus `timeframe` milliseconds, which orders a session's views.
 */
export function parseDigineticaViews(text: string): LogEvent[] {
  const lines = splitLines(text);
  const header = (lines[0] ?? '').split(';').map((h) => h.trim());
  const si = header.indexOf('session_id');
  const ii = header.indexOf('item_id');
  const fi = header.indexOf('timeframe');
  const di = header.indexOf('eventdate');
  if (si < 0 || ii < 0 || fi < 0 || di < 0) {
    throw new LocalrecError('invalid_data', 'Diginetica header must name session_id, item_id, timeframe and eventdate (; separated).');
  }
  const out: LogEvent[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '') continue;
    const cols = line.split(';');
    const day = Date.parse(`${cols[di]?.trim() ?? ''}T00:00:00Z`);
    const frame = Number(cols[fi]);
    const sessionId = cols[si]?.trim() ?? '';
    const itemId = cols[ii]?.trim() ?? '';
    if (sessionId === '' || itemId === '' || !Number.isFinite(day) || !Number.isFinite(frame)) {
      throw new LocalrecError('invalid_data', `Diginetica line ${n + 1} needs session_id, item_id, a numeric timeframe and a YYYY-MM-DD eventdate.`);
    }
    out.push({ sessionId, itemId, time: day / 1000 + frame / 1000 });
  }
  return out;
}

/**
 * Parses the UCI Online Retail CSV. Each invoice is a session, the item is the trimmed StockCode;
 * cancellations (InvoiceNo starting with "C") are skipped. Dates are DD/MM/YYYY HH:MM, read as UTC.
 */
export function parseOnlineRetail(text: string): LogEvent[] {
  const lines = splitLines(text);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim());
  const vi = header.indexOf('InvoiceNo');
  const ci = header.indexOf('StockCode');
  const di = header.indexOf('InvoiceDate');
  if (vi < 0 || ci < 0 || di < 0) {
    throw new LocalrecError('invalid_data', 'Online Retail header must name InvoiceNo, StockCode and InvoiceDate.');
  }
  const out: LogEvent[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '') continue;
    const cols = splitCsvLine(line);
    const invoice = cols[vi]?.trim() ?? '';
    if (invoice.startsWith('C')) continue;
    const itemId = cols[ci]?.trim() ?? '';
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/.exec(cols[di]?.trim() ?? '');
    if (invoice === '' || itemId === '' || !m) {
      throw new LocalrecError('invalid_data', `Online Retail line ${n + 1} needs InvoiceNo, StockCode and an InvoiceDate like 01/12/2010 08:26.`);
    }
    const time = Date.UTC(+m[3]!, +m[2]! - 1, +m[1]!, +m[4]!, +m[5]!) / 1000;
    out.push({ sessionId: invoice, itemId, time });
  }
  return out;
}

/**
 * Groups events into sessions, each sorted by time (stable, so equal times keep file order).
 * Sessions come out in order of their first event in the file.
 */
export function groupSessions(events: readonly LogEvent[]): LogSession[] {
  const bySession = new Map<string, SessionEvent[]>();
  for (const e of events) {
    let list = bySession.get(e.sessionId);
    if (!list) bySession.set(e.sessionId, (list = []));
    list.push({ itemId: e.itemId, time: e.time });
  }
  const out: LogSession[] = [];
  for (const [sessionId, list] of bySession) {
    // Array.prototype.sort is stable (ES2019), which keeps file order for equal times.
    list.sort((a, b) => a.time - b.time);
    out.push({ sessionId, events: list });
  }
  return out;
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return (i < 0 ? text : text.slice(0, i)).replace(/\r$/, '');
}

