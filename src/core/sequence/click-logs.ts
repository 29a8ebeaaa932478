import { columnIndices, readTable } from '../csv';
import { LocalrecError } from '../errors';
import { readOnlineRetail } from '../online-retail';
import type { LogEvent, LogSession, ItemLook } from './types';

/** The log formats the Node tools read. */
export const LOG_FORMATS = ['tsv', 'diginetica', 'online-retail'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Parses `text` in `format` into events (file order kept). Throws LocalrecError('invalid_data'). */
export function parseLog(text: string, format: LogFormat): LogEvent[] {
  switch (format) {
    case 'tsv':
      return parseSessionTsv(text);
    case 'diginetica':
      return parseDigineticaViews(text);
    case 'online-retail':
      return parseOnlineRetailClicks(text);
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
  const table = readTable(text, (l) => l.split('\t'), 'TSV');
  const [si, ii, ti] = columnIndices(table.header, ['SessionId', 'ItemId', 'Time'], 'TSV (tab separated)') as [number, number, number];
  return table.rows.map(({ line, cols }) => {
    const time = Number(cols[ti]);
    const sessionId = cols[si]?.trim() ?? '';
    const itemId = cols[ii]?.trim() ?? '';
    if (sessionId === '' || itemId === '' || !Number.isFinite(time)) {
      throw new LocalrecError('invalid_data', `TSV line ${line} needs a session id, an item id and a numeric time.`);
    }
    return { sessionId, itemId, time };
  });
}

/**
 * Parses Diginetica's raw `train-item-views.csv` (`session_id;user_id;item_id;timeframe;eventdate`).
 * Time = the event date (UTC midnight) plus `timeframe` milliseconds, which orders a session's views.
 */
export function parseDigineticaViews(text: string): LogEvent[] {
  const table = readTable(text, (l) => l.split(';'), 'Diginetica views');
  const [si, ii, fi, di] = columnIndices(table.header, ['session_id', 'item_id', 'timeframe', 'eventdate'], 'Diginetica views (; separated)') as [number, number, number, number];
  return table.rows.map(({ line, cols }) => {
    const day = Date.parse(`${cols[di]?.trim() ?? ''}T00:00:00Z`);
    const frame = Number(cols[fi]);
    const sessionId = cols[si]?.trim() ?? '';
    const itemId = cols[ii]?.trim() ?? '';
    if (sessionId === '' || itemId === '' || !Number.isFinite(day) || !Number.isFinite(frame)) {
      throw new LocalrecError('invalid_data', `Diginetica line ${line} needs session_id, item_id, a numeric timeframe and a YYYY-MM-DD eventdate.`);
    }
    return { sessionId, itemId, time: day / 1000 + frame / 1000 };
  });
}

/** UCI Online Retail as click sessions: each invoice is a session of its stock codes; cancellations are left out. */
export function parseOnlineRetailClicks(text: string): LogEvent[] {
  return readOnlineRetail(text)
    .filter((row) => !row.cancelled)
    .map((row) => ({ sessionId: row.invoice, itemId: row.stockCode, time: row.time / 1000 }));
}

/**
 * Groups events into sessions, each sorted by time (stable, so equal times keep file order).
 * Sessions come out in order of their first event in the file.
 */
export function groupSessions(events: readonly LogEvent[]): LogSession[] {
  const bySession = new Map<string, ItemLook[]>();
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

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return (i < 0 ? text : text.slice(0, i)).replace(/\r$/, '');
}

