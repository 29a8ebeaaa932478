/**
 * Readers of the logs stores have, into the one table the build's SQL starts from:
 * `events(session_id, item_id, time, seq)` (time in seconds since the epoch, seq the order in
 * the file). Each reader checks first that the file is what it claims (its header or schema),
 * and stops with a LocalrecError before loading anything when it is not; then a malformed row
 * is counted and skipped, with a summary of how many, why, and the first few. Loading is the
 * engine's own business (DuckDB's read_csv / read_json / read_parquet here); only the SQL after
 * it is portable.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { LocalrecError } from '../../src/core/errors';
import { sqlString, type Engine } from './engine';

/** The formats the store-side build reads. */
export const STORE_LOG_FORMATS = ['tsv', 'diginetica', 'online-retail', 'parquet', 'ga4-json', 'ga4-parquet'] as const;
export type StoreLogFormat = (typeof STORE_LOG_FORMATS)[number];

/** GA4 events that are looks at items, as the SDK's adapters map them (view, click, cart add, purchase). */
export const GA4_ITEM_EVENTS = ['view_item', 'select_item', 'add_to_cart', 'purchase'] as const;

/** What a reader met: rows read, rows kept, and the malformed ones it skipped. */
export interface ReadSummary {
  readonly file: string;
  readonly format: StoreLogFormat;
  /** Data rows (or JSON lines) in the file. */
  readonly rows: number;
  /** Events loaded (a GA4 row gives one per item). */
  readonly events: number;
  /** Rows left out on purpose, not errors: cancelled invoices, GA4 events that are not item looks. */
  readonly ignored: number;
  /** Malformed rows skipped, in all and per reason. */
  readonly skipped: number;
  readonly reasons: Readonly<Record<string, number>>;
  /** The first malformed rows: where (line in the file, or row for Parquet), why, and what. */
  readonly examples: readonly { readonly at: string; readonly reason: string; readonly text: string }[];
}

const EXAMPLES = 5;
/** seq = row × this + the item's place in the row (GA4 rows hold several items). */
const ITEMS_PER_ROW = 65536;
/** Past this share of malformed rows, the file is not what it claims to be. */
const MAX_BAD_SHARE = 0.5;

/** Guesses a file's format from its first bytes (Parquet magic, a JSON object, a header line). */
export function detectStoreLogFormat(file: string): StoreLogFormat {
  const head = readHead(file);
  if (head.startsWith('PAR1')) throw new LocalrecError('invalid_argument', `${file} is Parquet: say which with --format parquet or --format ga4-parquet.`);
  if (head.trimStart().startsWith('{')) return 'ga4-json';
  const header = firstLine(head).toLowerCase();
  if (header.startsWith('session_id;')) return 'diginetica';
  if (header.startsWith('invoiceno,')) return 'online-retail';
  return 'tsv';
}

/**
 * Loads `file` as `format` into a new table `events`, replacing none: the caller gives a fresh
 * engine. Throws LocalrecError('invalid_data') when the file is not that format or when more
 * than half its rows are malformed; otherwise returns what was skipped.
 */
export async function loadEvents(engine: Engine, file: string, format: StoreLogFormat): Promise<ReadSummary> {
  if (!statSync(file).isFile()) throw new LocalrecError('invalid_argument', `${file} is not a file.`);
  const staged = await stageRows(engine, file, format);
  const summary = await summarise(engine, file, format, staged);
  // seq: the row's place in the file (and the item's in a GA4 row); only its order matters.
  await engine.run(`CREATE TABLE events AS
    SELECT session_id, item_id, time, row_no * ${ITEMS_PER_ROW} + item_no AS seq
    FROM staged WHERE problem IS NULL AND NOT ignored`);
  const events = (await engine.number('SELECT COUNT(*) FROM events')) ?? 0;
  await engine.run('DROP TABLE staged');
  return { ...summary, events };
}

/**
 * What `staged(row_no, item_no, place, text, session_id, item_id, time, ignored, problem)` holds:
 * one row per event candidate, `problem` saying why a row is malformed (NULL when it is not).
 * Throws when the file is empty or mostly malformed: then it is not what it claims.
 */
async function summarise(engine: Engine, file: string, format: StoreLogFormat, { total, rejects, lineOf }: Staged): Promise<ReadSummary> {
  const reasons: Record<string, number> = {};
  for (const r of await engine.rows(`SELECT problem, COUNT(DISTINCT row_no) AS n FROM staged WHERE problem IS NOT NULL GROUP BY problem ORDER BY problem`)) {
    reasons[String(r.problem)] = Number(r.n);
  }
  for (const r of rejects) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
  const skipped = Object.values(reasons).reduce((a, b) => a + b, 0);
  const examples = [
    ...rejects.slice(0, EXAMPLES),
    ...(await engine.rows(`SELECT MIN(place) AS place, MIN(problem) AS reason, MIN(text) AS text FROM staged WHERE problem IS NOT NULL GROUP BY row_no ORDER BY row_no LIMIT ${EXAMPLES}`))
      .map((r) => ({ at: lineOf ? `line ${lineOf(Number(String(r.place).slice(4)))}` : String(r.place), reason: String(r.reason), text: String(r.text) })),
  ].sort((a, b) => place(a.at) - place(b.at)).slice(0, EXAMPLES);
  if (total === 0) throw new LocalrecError('invalid_data', `${file}: no rows to read as ${format}.`);
  if (skipped > total * MAX_BAD_SHARE) {
    throw new LocalrecError('invalid_data', `${file}: ${skipped} of ${total} rows are malformed (${describeReasons(reasons)}); is it really ${format}? First: ${examples.map((e) => `${e.at}: ${e.reason}`).join('; ')}`);
  }
  const ignored = (await engine.number(`SELECT COUNT(DISTINCT row_no) FROM staged WHERE problem IS NULL AND ignored`)) ?? 0;
  return { file, format, rows: total, events: 0, ignored, skipped, reasons, examples };
}

/** "3 empty item id, 1 time is not a number" */
export function describeReasons(reasons: Readonly<Record<string, number>>): string {
  return Object.entries(reasons).map(([r, n]) => `${n} ${r}`).join(', ') || 'none';
}

interface Staged {
  total: number;
  rejects: { at: string; reason: string; text: string }[];
  /** The file line of the n-th row read (1-based), for a text file: rows after rejected lines shift. */
  lineOf?: (row: number) => number;
}

async function stageRows(engine: Engine, file: string, format: StoreLogFormat): Promise<Staged> {
  switch (format) {
    case 'tsv':
      return stageCsv(engine, file, '\t', 'session-rec TSV', ['SessionId', 'ItemId', 'Time'],
        `TRIM(SessionId) AS session_id, TRIM(ItemId) AS item_id, TRY_CAST(TRIM(Time) AS DOUBLE) AS time, FALSE AS ignored`,
        `CASE WHEN COALESCE(TRIM(SessionId), '') = '' THEN 'empty session id'
              WHEN COALESCE(TRIM(ItemId), '') = '' THEN 'empty item id'
              WHEN TRY_CAST(TRIM(Time) AS DOUBLE) IS NULL OR NOT isfinite(TRY_CAST(TRIM(Time) AS DOUBLE)) THEN 'time is not a number' END`);
    case 'diginetica':
      // Time = the event date (UTC midnight) plus `timeframe` milliseconds, as click-logs.ts reads it.
      return stageCsv(engine, file, ';', 'Diginetica views', ['session_id', 'item_id', 'timeframe', 'eventdate'],
        `TRIM(session_id) AS session_id, TRIM(item_id) AS item_id,
         CAST(epoch_ms(TRY_CAST(TRIM(eventdate) AS DATE)) AS DOUBLE) / 1000 + TRY_CAST(TRIM(timeframe) AS DOUBLE) / 1000 AS time, FALSE AS ignored`,
        `CASE WHEN COALESCE(TRIM(session_id), '') = '' THEN 'empty session id'
              WHEN COALESCE(TRIM(item_id), '') = '' THEN 'empty item id'
              WHEN TRY_CAST(TRIM(timeframe) AS DOUBLE) IS NULL THEN 'timeframe is not a number'
              WHEN NOT regexp_full_match(TRIM(eventdate), '\\d{4}-\\d{2}-\\d{2}') OR TRY_CAST(TRIM(eventdate) AS DATE) IS NULL THEN 'eventdate is not a YYYY-MM-DD date' END`);
    case 'online-retail':
      // Each invoice is a session of its stock codes; cancellations (invoice "C…") are left out.
      return stageOnlineRetail(engine, file, `TRIM(InvoiceNo) AS session_id, TRIM(StockCode) AS item_id,
         CAST(epoch_ms(TRY_STRPTIME(TRIM(InvoiceDate), '%d/%m/%Y %H:%M')) AS DOUBLE) / 1000 AS time,
         COALESCE(lower(TRIM(InvoiceNo)) LIKE 'c%', FALSE) AS ignored`);
    case 'parquet':
      return stageParquet(engine, file);
    case 'ga4-json':
      return stageGa4Json(engine, file);
    case 'ga4-parquet':
      return stageGa4Parquet(engine, file);
  }
}

/** UCI Online Retail rows, checked as src/core/online-retail.ts checks them; `select` maps a row. */
function stageOnlineRetail(engine: Engine, file: string, select: string): Promise<Staged> {
  return stageCsv(engine, file, ',', 'Online Retail CSV', ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'], select,
    `CASE WHEN COALESCE(TRIM(InvoiceNo), '') = '' THEN 'empty InvoiceNo'
          WHEN COALESCE(TRIM(StockCode), '') = '' THEN 'empty StockCode'
          WHEN NOT regexp_full_match(TRIM(InvoiceDate), '\\d{1,2}/\\d{1,2}/\\d{4} \\d{1,2}:\\d{2}') OR TRY_STRPTIME(TRIM(InvoiceDate), '%d/%m/%Y %H:%M') IS NULL THEN 'InvoiceDate is not DD/MM/YYYY HH:MM'
          WHEN TRY_CAST(TRIM(Quantity) AS DOUBLE) IS NULL THEN 'Quantity is not a number'
          WHEN TRY_CAST(TRIM(UnitPrice) AS DOUBLE) IS NULL THEN 'UnitPrice is not a number' END`);
}

/**
 * UCI Online Retail as purchases, into a new table `purchases(customer_id, day, amount)`, as
 * src/core/lifecycle/purchase-logs.ts reads them: each sale to a known customer is Quantity ×
 * UnitPrice on its invoice day; cancellations, anonymous sales and non-positive quantities are
 * left out (ignored, not errors). Malformed rows are counted and skipped as for events.
 */
export async function loadPurchases(engine: Engine, file: string): Promise<ReadSummary> {
  const staged = await stageOnlineRetail(engine, file, `
    CASE WHEN regexp_full_match(TRIM(CustomerID), '\\d+(\\.0+)?') THEN CAST(CAST(TRY_CAST(TRIM(CustomerID) AS DOUBLE) AS BIGINT) AS VARCHAR)
         ELSE NULLIF(TRIM(CustomerID), '') END AS session_id,
    TRIM(StockCode) AS item_id,
    CAST(epoch_ms(TRY_STRPTIME(TRIM(InvoiceDate), '%d/%m/%Y %H:%M')) AS DOUBLE) / 1000 AS time,
    TRY_CAST(TRIM(Quantity) AS DOUBLE) * TRY_CAST(TRIM(UnitPrice) AS DOUBLE) AS amount,
    COALESCE(lower(TRIM(InvoiceNo)) LIKE 'c%' OR NULLIF(TRIM(CustomerID), '') IS NULL OR TRY_CAST(TRIM(Quantity) AS DOUBLE) <= 0, FALSE) AS ignored`);
  const summary = await summarise(engine, file, 'online-retail', staged);
  await engine.run(`CREATE TABLE purchases AS
    SELECT session_id AS customer_id, CAST(FLOOR(time / 86400) AS BIGINT) AS day, amount FROM staged WHERE problem IS NULL AND NOT ignored`);
  const events = (await engine.number('SELECT COUNT(*) FROM purchases')) ?? 0;
  await engine.run('DROP TABLE staged');
  return { ...summary, events };
}

/**
 * A delimited file with a header naming `required` columns (any order, others allowed): read
 * as text, rows with the wrong number of fields rejected by DuckDB's reader (and counted),
 * then `select` maps a row to an event and `problem` says what is wrong with it.
 */
async function stageCsv(engine: Engine, file: string, delim: string, what: string, required: readonly string[], select: string, problem: string): Promise<Staged> {
  const header = firstLine(readHead(file)).split(delim).map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new LocalrecError('invalid_data', `${file} is not a ${what} file: its header lacks ${missing.join(', ')} (found: ${header.slice(0, 8).join(', ').slice(0, 200)}).`);
  }
  if (new Set(header).size !== header.length || header.some((h) => !/^\w+$/.test(h))) {
    throw new LocalrecError('invalid_data', `${file}: the ${what} header must name each column once, in letters, digits and _ (found: ${header.join(', ').slice(0, 200)}).`);
  }
  const columns = `{${header.map((h) => `'${h}': 'VARCHAR'`).join(', ')}}`;
  const read = async (encoding: string): Promise<Staged['rejects']> => {
    await engine.run('DROP TABLE IF EXISTS raw_rejects; DROP TABLE IF EXISTS raw_scans');
    await engine.run(`CREATE OR REPLACE TABLE raw_rows AS SELECT * FROM read_csv(${sqlString(file)}, delim=${sqlString(delim)}, quote='"', escape='"', header=true,
      auto_detect=false, columns=${columns}, encoding='${encoding}', store_rejects=true, rejects_scan='raw_scans', rejects_table='raw_rejects')`);
    return (await engine.rows(`SELECT line, error_type, csv_line FROM raw_rejects ORDER BY line`))
      .map((r) => ({ at: `line ${String(r.line)}`, reason: String(r.error_type).toLowerCase(), text: String(r.csv_line).slice(0, 200) }));
  };
  let rejects = await read('utf-8');
  // A file with bytes that are not UTF-8 (UCI's Online Retail has a Latin-1 pound sign) is
  // Latin-1: read again as that rather than lose the rows.
  if (rejects.some((r) => r.reason === 'invalid encoding')) rejects = await read('latin-1');
  // rowid is the row's place in the file among the rows read (the reader keeps file order).
  // Where and what only for malformed rows: building them for every row would double the load's cost.
  await engine.run(`CREATE TABLE staged AS
    SELECT rowid AS row_no, 0 AS item_no,
           CASE WHEN (${problem}) IS NOT NULL THEN 'row ' || CAST(rowid + 1 AS VARCHAR) END AS place,
           CASE WHEN (${problem}) IS NOT NULL THEN left(concat_ws(${sqlString(delim === '\t' ? ' ' : delim)}, ${header.map((h) => `COALESCE(${h}, '')`).join(', ')}), 200) END AS text,
           ${select}, ${problem} AS problem
    FROM raw_rows`);
  const total = ((await engine.number('SELECT COUNT(*) FROM raw_rows')) ?? 0) + rejects.length;
  await engine.run('DROP TABLE raw_rows; DROP TABLE raw_rejects; DROP TABLE raw_scans');
  // Row n (1-based) is line n + 1 (the header) plus the rejected lines before it.
  const rejected = rejects.map((r) => place(r.at)).sort((a, b) => a - b);
  const lineOf = (row: number): number => rejected.reduce((line, l) => (l <= line ? line + 1 : line), row + 1);
  return { total, rejects, lineOf };
}

/** Column names of a Parquet file (lower-cased) with their DuckDB types; a file that is not Parquet stops here. */
async function parquetColumns(engine: Engine, file: string, what: string): Promise<Map<string, string>> {
  if (!readHead(file, 4).startsWith('PAR1')) throw new LocalrecError('invalid_data', `${file} is not a Parquet file (no PAR1 magic), so not ${what}.`);
  try {
    const rows = await engine.rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file)})`);
    return new Map(rows.map((r) => [String(r.column_name).toLowerCase(), String(r.column_type)]));
  } catch (e) {
    throw new LocalrecError('invalid_data', `${file} is not a readable Parquet file: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * A Parquet event log: a session column (session_id / SessionId), an item column (item_id /
 * ItemId) and a time column (time / Time: seconds since the epoch, or a TIMESTAMP).
 */
async function stageParquet(engine: Engine, file: string): Promise<Staged> {
  const cols = await parquetColumns(engine, file, 'a Parquet event log');
  const pick = (names: string[]): string | undefined => names.find((n) => cols.has(n));
  const session = pick(['session_id', 'sessionid']);
  const item = pick(['item_id', 'itemid']);
  const time = pick(['time', 'timestamp', 'event_time']);
  if (!session || !item || !time) {
    throw new LocalrecError('invalid_data', `${file} is not a Parquet event log: it needs session_id, item_id and time columns (found: ${[...cols.keys()].join(', ').slice(0, 200)}).`);
  }
  const isTimestamp = cols.get(time)!.startsWith('TIMESTAMP');
  const timeExpr = isTimestamp ? `CAST(epoch_us("${time}") AS DOUBLE) / 1e6` : `TRY_CAST("${time}" AS DOUBLE)`;
  await engine.run(`CREATE TABLE staged AS
    SELECT file_row_number AS row_no, 0 AS item_no, 'row ' || CAST(file_row_number + 1 AS VARCHAR) AS place,
           left(concat_ws(' ', CAST("${session}" AS VARCHAR), CAST("${item}" AS VARCHAR), CAST("${time}" AS VARCHAR)), 200) AS text,
           TRIM(CAST("${session}" AS VARCHAR)) AS session_id, TRIM(CAST("${item}" AS VARCHAR)) AS item_id, ${timeExpr} AS time, FALSE AS ignored,
           CASE WHEN COALESCE(TRIM(CAST("${session}" AS VARCHAR)), '') = '' THEN 'empty session id'
                WHEN COALESCE(TRIM(CAST("${item}" AS VARCHAR)), '') = '' THEN 'empty item id'
                WHEN ${timeExpr} IS NULL OR NOT isfinite(${timeExpr}) THEN 'time is not a number' END AS problem
    FROM read_parquet(${sqlString(file)}, file_row_number=true)`);
  return { total: (await engine.number('SELECT COUNT(*) FROM staged')) ?? 0, rejects: [] };
}

/**
 * GA4's BigQuery export, one row per event: `event_name`, `event_timestamp` (microseconds),
 * `user_pseudo_id`, `event_params` (an array of {key, value: {string_value, int_value, …}}) holding
 * `ga_session_id`, and `items` (an array of {item_id, …}). A session is user_pseudo_id plus
 * ga_session_id (the id alone is only unique per user); each item of an item event is one event.
 * `source` is a query over rows with those columns (event_params and items as DuckDB lists of
 * structs); `rowNo` and `text` say where a row is and what it held.
 */
async function stageGa4(engine: Engine, source: string): Promise<void> {
  const names = GA4_ITEM_EVENTS.map((n) => `'${n}'`).join(', ');
  await engine.run(`CREATE TABLE ga4_rows AS
    SELECT row_no, place, text, event_name, user_pseudo_id, TRY_CAST(event_timestamp AS DOUBLE) AS ts,
           CAST(list_filter(event_params, p -> p.key = 'ga_session_id')[1].value.int_value AS VARCHAR) AS ga_session_id,
           items
    FROM (${source}) src`);
  await engine.run(`CREATE TABLE staged AS
    SELECT r.row_no, COALESCE(i.item_no, 0) AS item_no, r.place, r.text,
           r.user_pseudo_id || '.' || r.ga_session_id AS session_id, TRIM(i.item.item_id) AS item_id, r.ts / 1e6 AS time,
           COALESCE(r.event_name NOT IN (${names}), TRUE) AS ignored,
           CASE WHEN r.event_name IS NULL THEN 'no event_name'
                WHEN r.event_name NOT IN (${names}) THEN NULL
                WHEN COALESCE(r.user_pseudo_id, '') = '' THEN 'no user_pseudo_id'
                WHEN r.ga_session_id IS NULL THEN 'no ga_session_id in event_params'
                WHEN r.ts IS NULL OR NOT isfinite(r.ts) THEN 'event_timestamp is not a number'
                WHEN i.item IS NULL THEN 'item event without items'
                WHEN i.item_no >= ${ITEMS_PER_ROW} THEN 'more than ${ITEMS_PER_ROW - 1} items'
                WHEN COALESCE(TRIM(i.item.item_id), '') = '' THEN 'item without item_id' END AS problem
    FROM ga4_rows r
    LEFT JOIN (SELECT row_no, UNNEST(items) AS item, generate_subscripts(items, 1) AS item_no FROM ga4_rows) i ON i.row_no = r.row_no`);
  await engine.run('DROP TABLE ga4_rows');
}

const GA4_PARAMS_TYPE = `STRUCT("key" VARCHAR, "value" STRUCT(string_value VARCHAR, int_value BIGINT, float_value DOUBLE, double_value DOUBLE))[]`;
const GA4_ITEMS_TYPE = `STRUCT(item_id VARCHAR)[]`;

/** GA4 export as newline-delimited JSON (BigQuery's JSON export; INT64 values may be strings). */
async function stageGa4Json(engine: Engine, file: string): Promise<Staged> {
  const first = firstLine(readHead(file)).trim();
  let json: unknown;
  try {
    json = JSON.parse(first);
  } catch {
    throw new LocalrecError('invalid_data', `${file} is not GA4 NDJSON: its first line is not a JSON object.`);
  }
  const keys = json && typeof json === 'object' ? Object.keys(json) : [];
  const missing = ['event_name', 'event_timestamp', 'user_pseudo_id'].filter((k) => !keys.includes(k));
  if (missing.length > 0) throw new LocalrecError('invalid_data', `${file} is not a GA4 BigQuery export: its first event lacks ${missing.join(', ')}.`);
  // One row per line (a byte no JSON text holds as the delimiter), parsed per line so a broken
  // line is counted instead of stopping the load.
  await engine.run(`CREATE TABLE ga4_lines AS SELECT line FROM read_csv(${sqlString(file)}, columns={'line': 'VARCHAR'}, header=false,
    delim='\\x1e', quote='', escape='', auto_detect=false, strict_mode=false)`);
  await engine.run(`CREATE TABLE ga4_json AS SELECT rowid AS row_no, line FROM ga4_lines WHERE TRIM(COALESCE(line, '')) <> ''`);
  await stageGa4(engine, `SELECT row_no, 'line ' || CAST(row_no + 1 AS VARCHAR) AS place, left(line, 200) AS text,
      CASE WHEN json_valid(line) THEN json_extract_string(line, '$.event_name') END AS event_name,
      CASE WHEN json_valid(line) THEN json_extract_string(line, '$.user_pseudo_id') END AS user_pseudo_id,
      CASE WHEN json_valid(line) THEN json_extract_string(line, '$.event_timestamp') END AS event_timestamp,
      CASE WHEN json_valid(line) THEN TRY_CAST(json_extract(line, '$.event_params') AS ${GA4_PARAMS_TYPE}) END AS event_params,
      CASE WHEN json_valid(line) THEN TRY_CAST(json_extract(line, '$.items') AS ${GA4_ITEMS_TYPE}) END AS items,
      json_valid(line) AS valid
    FROM ga4_json`);
  // A line that is not JSON has no event_name: name the real reason.
  await engine.run(`UPDATE staged SET problem = 'not a JSON object' WHERE row_no IN (SELECT row_no FROM ga4_json WHERE NOT json_valid(line))`);
  const total = (await engine.number('SELECT COUNT(*) FROM ga4_json')) ?? 0;
  await engine.run('DROP TABLE ga4_lines; DROP TABLE ga4_json');
  return { total, rejects: [] };
}

/** GA4 export as Parquet (BigQuery's Parquet export: nested columns as lists of structs). */
async function stageGa4Parquet(engine: Engine, file: string): Promise<Staged> {
  const cols = await parquetColumns(engine, file, 'a GA4 export');
  const missing = ['event_name', 'event_timestamp', 'user_pseudo_id', 'event_params', 'items'].filter((c) => !cols.has(c));
  if (missing.length > 0) throw new LocalrecError('invalid_data', `${file} is not a GA4 BigQuery export: it lacks ${missing.join(', ')}.`);
  await stageGa4(engine, `SELECT file_row_number AS row_no, 'row ' || CAST(file_row_number + 1 AS VARCHAR) AS place,
      left(concat_ws(' ', event_name, CAST(event_timestamp AS VARCHAR), user_pseudo_id), 200) AS text,
      event_name, user_pseudo_id, CAST(event_timestamp AS VARCHAR) AS event_timestamp,
      TRY_CAST(event_params AS ${GA4_PARAMS_TYPE}) AS event_params, TRY_CAST(items AS ${GA4_ITEMS_TYPE}) AS items
    FROM read_parquet(${sqlString(file)}, file_row_number=true)`);
  return { total: (await engine.number('SELECT COUNT(*) FROM read_parquet(' + sqlString(file) + ')')) ?? 0, rejects: [] };
}

/** The number in "line 7" / "row 3". */
function place(at: string): number {
  return Number(at.slice(at.indexOf(' ') + 1));
}

function readHead(file: string, bytes = 65536): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return (i < 0 ? text : text.slice(0, i)).replace(/\r$/, '');
}
