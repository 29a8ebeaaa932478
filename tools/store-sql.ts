/**
 * Writes the store-side build's .sql files with their placeholders filled in, ready to run on
 * another engine (Spark SQL, BigQuery, DuckDB) over a table `events(session_id, item_id, time,
 * seq)`; docs/store-build.md shows the whole job.
 *
 *   npm run store-sql -- --out DIR --last-day N [--min-support K] [--half-life-days H] [--fit-events N]
 *   npm run store-sql -- --last-day-of FILE [--format F]
 *   npm run store-sql -- --run DIR --events FILE [--format F] --export DIR
 *   npm run store-sql -- --customers FILE --calibration-end YYYY-MM-DD --summary OUT.csv
 *
 * --last-day is the UTC day number of the log's last event (`SELECT CAST(FLOOR(MAX(time) / 86400)
 * AS BIGINT) FROM events`; --last-day-of prints it for a file). The files are a first build's
 * (from empty aggregates); their output tables, exported as Parquet, are what
 * `build-bundle --aggregates DIR` encodes. --run is the reference run on DuckDB: it loads FILE as
 * `events`, runs DIR's .sql files in name order, as `spark-sql -f` or `bq query` would, and exports
 * the output tables to the --export folder. --customers runs sql/customers.sql on DuckDB over an
 * Online Retail CSV's purchases and writes the per-customer summary `fit-lifecycle --format
 * cdnow-summary` fits on (frequency, recency and T in weeks, monetary_value).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalrecError } from '../src/core/errors';
import { DEFAULT_BUILD_OPTIONS } from '../src/core/sequence/bundle-builder';
import { choiceOption, isEntryPoint, numberOption, parseOptions, runTool } from './lib/cli';
import { Engine, fillSql, sqlFile, sqlString } from './store-build/engine';
import { detectStoreLogFormat, loadEvents, loadPurchases, STORE_LOG_FORMATS, type StoreLogFormat } from './store-build/readers';
import { parseDay } from '../src/core/lifecycle/transactions';
import { OUTPUT_TABLES, SQL_FILES, sqlParams } from './store-build/build';

/** Writes the filled-in files to `out`; returns their paths in the order they run. */
export function writeSqlJob(out: string, run: { lastDay: number; minSupport?: number; halfLifeDays?: number; fitEvents?: number }): string[] {
  if (!Number.isInteger(run.lastDay)) throw new LocalrecError('invalid_argument', `--last-day must be a whole day number, got ${run.lastDay}.`);
  const o = { ...DEFAULT_BUILD_OPTIONS, ...(run.minSupport !== undefined ? { minSupport: run.minSupport } : {}) };
  const params = sqlParams(o, { lastDay: run.lastDay, halfLifeDays: run.halfLifeDays ?? 0, fitEvents: run.fitEvents ?? 1_000_000 });
  mkdirSync(out, { recursive: true });
  return SQL_FILES.map((name) => {
    const file = join(out, name);
    writeFileSync(file, fillSql(sqlFile(name), params));
    return file;
  });
}

/** Loads `events` into a fresh engine and hands it to `use`. */
async function withEvents<T>(events: string, format: StoreLogFormat | undefined, use: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open();
  try {
    await loadEvents(engine, events, format ?? detectStoreLogFormat(events));
    return await use(engine);
  } finally {
    engine.close();
  }
}

/** The UTC day number of the last event of `events`. */
export async function lastDayOf(events: string, format?: StoreLogFormat): Promise<number> {
  return withEvents(events, format, async (engine) => (await engine.number('SELECT CAST(FLOOR(MAX(time) / 86400) AS BIGINT) FROM events'))!);
}

/** Runs the .sql files of `job` (name order) on DuckDB over `events`, exporting OUTPUT_TABLES to `exportDir`. */
export async function runSqlJob(job: string, events: string, format: StoreLogFormat | undefined, exportDir: string): Promise<void> {
  const files = readdirSync(job).filter((f) => f.endsWith('.sql')).sort();
  if (files.length === 0) throw new LocalrecError('invalid_argument', `${job} holds no .sql files; write them with --out first.`);
  await withEvents(events, format, async (engine) => {
    for (const f of files) await engine.run(readFileSync(join(job, f), 'utf8'));
    mkdirSync(exportDir, { recursive: true });
    for (const t of OUTPUT_TABLES) await engine.run(`COPY (SELECT * FROM ${t}) TO ${sqlString(join(exportDir, `${t}.parquet`))} (FORMAT PARQUET)`);
  });
}

/** Per-customer lifecycle summaries of an Online Retail CSV's purchases, by sql/customers.sql, written as a summary CSV. */
export async function writeCustomerSummary(file: string, calibrationEnd: string, out: string): Promise<number> {
  const engine = await Engine.open();
  try {
    await loadPurchases(engine, file);
    await engine.run(fillSql(sqlFile('customers.sql'), { calibration_end: parseDay(calibrationEnd), time_unit_days: 7 }));
    await engine.run(`COPY (SELECT * FROM customers ORDER BY ID) TO ${sqlString(out)} (FORMAT CSV, HEADER)`);
    return (await engine.number('SELECT COUNT(*) FROM customers')) ?? 0;
  } finally {
    engine.close();
  }
}

export async function main(): Promise<void> {
  const args = parseOptions({
    'last-day-of': { type: 'string' },
    customers: { type: 'string' },
    'calibration-end': { type: 'string' },
    summary: { type: 'string' },
    run: { type: 'string' },
    events: { type: 'string' },
    format: { type: 'string' },
    export: { type: 'string' },
    out: { type: 'string' },
    'last-day': { type: 'string' },
    'min-support': { type: 'string' },
    'half-life-days': { type: 'string' },
    'fit-events': { type: 'string' },
  });
  const format = choiceOption('format', args.format, STORE_LOG_FORMATS);
  if (args['last-day-of']) {
    console.log(await lastDayOf(args['last-day-of'], format));
    return;
  }
  if (args.customers) {
    if (!args['calibration-end'] || !args.summary) throw new LocalrecError('invalid_argument', '--customers FILE needs --calibration-end YYYY-MM-DD and --summary OUT.csv.');
    const n = await writeCustomerSummary(args.customers, args['calibration-end'], args.summary);
    console.log(`${args.summary}: ${n} customers (fit them with fit-lifecycle --transactions ${args.summary} --format cdnow-summary)`);
    return;
  }
  if (args.run) {
    if (!args.events || !args.export) throw new LocalrecError('invalid_argument', '--run DIR needs --events FILE and --export DIR.');
    await runSqlJob(args.run, args.events, format, args.export);
    console.log(`ran ${args.run}/*.sql on DuckDB; exported ${OUTPUT_TABLES.join(', ')} to ${args.export}`);
    return;
  }
  const lastDay = numberOption('last-day', args['last-day']);
  if (!args.out || lastDay === undefined) throw new LocalrecError('invalid_argument', '--out DIR and --last-day N are required.');
  const opt = (name: 'min-support' | 'half-life-days' | 'fit-events') => numberOption(name, args[name]);
  const files = writeSqlJob(args.out, {
    lastDay,
    ...(opt('min-support') !== undefined ? { minSupport: opt('min-support')! } : {}),
    ...(opt('half-life-days') !== undefined ? { halfLifeDays: opt('half-life-days')! } : {}),
    ...(opt('fit-events') !== undefined ? { fitEvents: opt('fit-events')! } : {}),
  });
  console.log(`${files.join('\n')}\nrun them in this order over a table events(session_id, item_id, time, seq); then export ${OUTPUT_TABLES.join(', ')} as <table>.parquet for build-bundle --aggregates`);
}

export const USAGE = 'npm run store-sql -- --out DIR --last-day N [--min-support K] [--half-life-days H] [--fit-events N] | --last-day-of FILE [--format F] | --run DIR --events FILE [--format F] --export DIR | --customers FILE --calibration-end YYYY-MM-DD --summary OUT.csv';

if (isEntryPoint(import.meta.url)) await runTool('store-sql', USAGE, main);
