/**
 * The store-side bundle build on DuckDB: a log file in, the session bundle out, in bounded
 * memory. The counting is SQL (tools/store-build/sql/, portable to Spark SQL and BigQuery, see
 * docs/store-build.md); Node keeps what SQL does badly: the final encoding
 * ({@link bundleFromCounts}) and the ranker-weight fit, which replays the most recent sessions
 * (at most `fitEvents` events of them, read back from the engine).
 *
 * Every build is one step from kept aggregates: a full build starts from none, a daily run from
 * the ones the last run kept (`state`, Parquet files), so a full rebuild and a chain of daily
 * runs over the same sessions give the same bundle. Counts can decay: with `halfLifeDays` H, a
 * session's counts weigh 0.5^(days since its last event / H) at the build's last day. Session
 * counts (the privacy floor) never decay.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalrecError } from '../../src/core/errors';
import { buildOptions, bundleFromCounts, type BuildOptions, type PairRows } from '../../src/core/sequence/bundle-builder';
import { groupSessions } from '../../src/core/sequence/click-logs';
import { fitRankerParams, type FitResult } from '../../src/core/sequence/fit';
import type { RankerParams } from '../../src/core/sequence/ranker-params';
import type { LogEvent, SequenceBundle } from '../../src/core/sequence/types';
import { Engine, sqlString, type EngineOptions, type SqlParams } from './engine';
import { loadEvents, type ReadSummary, type StoreLogFormat } from './readers';

/** Options of {@link storeBuild}. */
export interface StoreBuildOptions {
  /** Builder options, as for the in-memory builder (extraItems: the catalog). */
  readonly build?: Partial<BuildOptions>;
  /** Only events of these items count (the catalog); undefined keeps every item. */
  readonly catalog?: readonly string[];
  /** Half-life of counts in days; 0 or undefined: no decay. Kept aggregates remember theirs. */
  readonly halfLifeDays?: number;
  /** Fit the ranker's weights on the most recent sessions, at most this many events (default 1,000,000); false: no fit. */
  readonly fitEvents?: number | false;
  /**
   * With `state`: publish the weights the last run fitted instead of fitting again (a fast daily
   * run; refit weekly). The window of recent sessions is still kept up to date for the next fit.
   */
  readonly keepWeights?: boolean;
  /** Folder of kept aggregates: read when it holds some (this run adds to them), written after a successful run. */
  readonly state?: string;
  readonly engine?: EngineOptions;
  /** Clock in ms, for the stage timings. */
  readonly now?: () => number;
}

/** What {@link storeBuild} produced and met. */
export interface StoreBuildResult {
  readonly bundle: SequenceBundle;
  readonly read: ReadSummary;
  /** The fit on the window, or null without one. */
  readonly fit: FitResult | null;
  /** Events this run counted (after the catalog filter), all counted so far (with the kept ones'), and those in the fit's window. */
  readonly batchEvents: number;
  readonly totalEvents: number;
  readonly windowEvents: number;
  /** True when this run added to kept aggregates. */
  readonly incremental: boolean;
  readonly halfLifeDays: number;
  /** Milliseconds per stage. */
  readonly ms: Readonly<Record<string, number>>;
}

/** The kept aggregates' description (state.json): what must match for a run to add to them. */
interface StateMeta {
  readonly format: 'localrec-store-build-state';
  readonly version: 1;
  readonly options: Record<string, number>;
  readonly halfLifeDays: number;
  readonly lastDay: number;
  /** Events counted so far. */
  readonly events: number;
  /** Where the next batch's seq starts (past every kept one). */
  readonly seqEnd: number;
  /** The weights the bundle carried (fitted, or kept from an earlier fit); null: none. */
  readonly params: Partial<RankerParams> | null;
}

const STATE_TABLES = ['item_codes', 'items', 'recent', 'pairs', 'window_events'] as const;
const DEFAULT_FIT_EVENTS = 1_000_000;

/** Builder options that shape the kept counts (a run with others cannot add to them). */
function countingOptions(o: BuildOptions): Record<string, number> {
  return { ruleSteps: o.ruleSteps, simWindow: o.simWindow, simDecay: o.simDecay, simBackward: o.simBackward, simLengthNorm: o.simLengthNorm, recentDays: o.recentDays };
}

/** Builds the bundle of `file` (plus the kept aggregates in `opts.state`, if any). */
export async function storeBuild(file: string, format: StoreLogFormat, opts: StoreBuildOptions = {}): Promise<StoreBuildResult> {
  const now = opts.now ?? (() => performance.now());
  const o = buildOptions(opts.build);
  const kept = opts.state ? readStateMeta(opts.state) : undefined;
  const halfLife = kept ? kept.halfLifeDays : (opts.halfLifeDays ?? 0);
  if (!(halfLife >= 0) || !Number.isFinite(halfLife)) throw new LocalrecError('invalid_argument', `The half-life must be a number of days >= 0 (0: no decay), got ${halfLife}.`);
  if (kept && opts.halfLifeDays !== undefined && opts.halfLifeDays !== kept.halfLifeDays) {
    throw new LocalrecError('invalid_argument', `The kept aggregates in ${opts.state} decay with a half-life of ${kept.halfLifeDays} days, not ${opts.halfLifeDays}; rebuild them in full to change it.`);
  }
  if (kept && JSON.stringify(kept.options) !== JSON.stringify(countingOptions(o))) {
    throw new LocalrecError('invalid_argument', `The kept aggregates in ${opts.state} were counted with ${JSON.stringify(kept.options)}, this run asks for ${JSON.stringify(countingOptions(o))}; rebuild them in full.`);
  }
  const fitEvents = opts.fitEvents === undefined ? DEFAULT_FIT_EVENTS : opts.fitEvents;
  if (opts.keepWeights && !kept?.params) {
    throw new LocalrecError('invalid_argument', `--keep-weights needs kept aggregates whose last run fitted weights${opts.state ? ` (${opts.state} has none)` : ' (give --state DIR)'}.`);
  }
  const ms: Record<string, number> = {};
  let t = now();
  const lap = (stage: string): void => {
    const t1 = now();
    ms[stage] = Math.round(t1 - t);
    t = t1;
  };

  const engine = await Engine.open(opts.engine);
  try {
    const read = await loadEvents(engine, file, format);
    if (opts.catalog) {
      await engine.run('CREATE TABLE catalog_items (item_id VARCHAR)');
      for (let i = 0; i < opts.catalog.length; i += 1000) {
        await engine.run(`INSERT INTO catalog_items VALUES ${opts.catalog.slice(i, i + 1000).map((id) => `(${sqlString(id)})`).join(', ')}`);
      }
      await engine.run('DELETE FROM events WHERE item_id NOT IN (SELECT item_id FROM catalog_items)');
    }
    const batchEvents = (await engine.number('SELECT COUNT(*) FROM events')) ?? 0;
    // The next batch's seq starts past this one's (seq only orders events).
    const seqEnd = (kept?.seqEnd ?? 0) + ((await engine.number('SELECT MAX(seq) + 1 FROM events')) ?? 0);
    if (batchEvents === 0 && !kept) throw new LocalrecError('invalid_data', `${file}: no events left to build a bundle from.`);
    lap('read');

    const batchLastDay = await engine.number('SELECT CAST(FLOOR(MAX(time) / 86400) AS BIGINT) FROM events');
    const lastDay = Math.max(kept?.lastDay ?? -Infinity, batchLastDay ?? -Infinity);
    const params = sqlParams(o, { lastDay, halfLifeDays: halfLife, fitEvents, ...(kept ? { kept: { lastDay: kept.lastDay, seqEnd: kept.seqEnd } } : {}) });
    if (kept) await loadState(engine, opts.state!);
    else await engine.runFile('00-empty-state.sql', params);
    await engine.runFile('01-sessions.sql', params);
    await engine.runFile('02-counts.sql', params);
    lap('count');
    await engine.runFile('03-merge.sql', params);
    lap('merge');
    await engine.runFile('04-neighbours.sql', params);
    await engine.runFile('05-window.sql', params);
    const { bundle, fit, windowEvents } = await encodeFromEngine(engine, o, {
      ...(opts.catalog ? { catalog: opts.catalog } : {}), fitEvents, lastDay, now, lap, ...(opts.keepWeights ? { keptParams: kept!.params! } : {}),
    });
    const totalEvents = (kept?.events ?? 0) + batchEvents;
    if (opts.state) {
      const meta: StateMeta = { format: 'localrec-store-build-state', version: 1, options: countingOptions(o), halfLifeDays: halfLife, lastDay, events: totalEvents, seqEnd, params: bundle.params ?? null };
      await writeState(engine, opts.state, meta);
      lap('state');
    }
    return {
      bundle, read, fit, batchEvents, totalEvents, windowEvents, incremental: kept !== undefined, halfLifeDays: halfLife, ms,
    };
  } finally {
    engine.close();
  }
}

/** What the placeholders of the .sql files are, for one build. */
export interface SqlRun {
  /** Days since 1970-01-01 (UTC) of the last event, this batch's or the kept ones'. */
  readonly lastDay: number;
  /** 0: no decay. */
  readonly halfLifeDays: number;
  /** The fit window's bound in events (false or 0: none). */
  readonly fitEvents: number | false;
  /** The kept aggregates this run adds to: their last day and where this batch's seq starts. */
  readonly kept?: { readonly lastDay: number; readonly seqEnd: number };
}

/** The values of the .sql files' placeholders. */
export function sqlParams(o: BuildOptions, run: SqlRun): SqlParams {
  const decay = (dayExpr: string): { sql: string } => ({ sql: run.halfLifeDays > 0 ? `POWER(0.5, ({{last_day}} - ${dayExpr}) / {{half_life_days}})` : '1' });
  const maxD = Math.max(o.ruleSteps, o.simWindow);
  return {
    rule_steps: o.ruleSteps, sim_window: o.simWindow, sim_decay: o.simDecay, sim_backward: o.simBackward,
    sim_length_norm: o.simLengthNorm, sim_pop_norm: o.simPopNorm, min_support: o.minSupport, neighbours: o.neighbours,
    recent_days: o.recentDays, last_day: run.lastDay, half_life_days: run.halfLifeDays,
    distances: { sql: `(${Array.from({ length: maxD }, (_, i) => `SELECT ${i + 1} AS d`).join(' UNION ALL ')})` },
    batch_decay: decay('day'), kept_decay: run.kept ? decay(String(run.kept.lastDay)) : { sql: '1' },
    seq_offset: run.kept?.seqEnd ?? 0, window_events: run.fitEvents === false ? 0 : run.fitEvents,
  };
}

/** The .sql files in the order they run; 00 only on a first build. */
export const SQL_FILES = ['00-empty-state.sql', '01-sessions.sql', '02-counts.sql', '03-merge.sql', '04-neighbours.sql', '05-window.sql'] as const;

/** The tables the encoder reads (what a cluster run exports, as Parquet, for `build-bundle --aggregates`). */
export const OUTPUT_TABLES = ['item_codes_next', 'items_next', 'recent_next', 'bundle_recent', 'bundle_next', 'bundle_similar', 'window_next'] as const;

/**
 * The bundle from the output tables of the SQL (OUTPUT_TABLES) in `engine`: the encoding, then
 * the fit on the window's sessions (read back in file order), whose weights the bundle carries.
 */
export async function encodeFromEngine(
  engine: Engine,
  o: BuildOptions,
  opts: {
    catalog?: readonly string[]; fitEvents: number | false; lastDay: number; now: () => number; lap?: (stage: string) => void;
    /** Weights to publish instead of fitting. */
    keptParams?: Partial<RankerParams>;
  },
): Promise<{ bundle: SequenceBundle; fit: FitResult | null; windowEvents: number }> {
  const counts = await readCounts(engine, opts.lastDay);
  const bundle = bundleFromCounts(counts, { ...o, ...(opts.catalog ? { extraItems: opts.catalog } : {}) });
  opts.lap?.('encode');
  const windowEvents = (await engine.number('SELECT COUNT(*) FROM window_next')) ?? 0;
  if (opts.keptParams) return { bundle: { ...bundle, params: opts.keptParams }, fit: null, windowEvents };
  if (opts.fitEvents === false) return { bundle, fit: null, windowEvents };
  const log: LogEvent[] = [];
  await engine.eachChunk('SELECT session_id, item_id, time FROM window_next ORDER BY seq', (cols, n) => {
    for (let r = 0; r < n; r++) log.push({ sessionId: String(cols[0]![r]), itemId: String(cols[1]![r]), time: Number(cols[2]![r]) });
  });
  // As buildFittedBundle: the fit's bundles leave the catalog-only items out.
  const { extraItems: _catalogOnly, ...fitBuild } = o;
  const fit = fitRankerParams(groupSessions(log), { build: fitBuild, now: opts.now });
  opts.lap?.('fit');
  return { bundle: fit.fitted ? { ...bundle, params: fit.params } : bundle, fit, windowEvents };
}

/**
 * The bundle from the output tables of a run of the .sql files elsewhere (Spark, a warehouse),
 * exported as Parquet to `dir` (one `<table>.parquet` per OUTPUT_TABLES entry): the cluster
 * counts, this machine encodes and fits (docs/store-build.md).
 */
export async function buildFromAggregates(
  dir: string,
  opts: { build?: Partial<BuildOptions>; catalog?: readonly string[]; fitEvents?: number | false; engine?: EngineOptions } = {},
): Promise<{ bundle: SequenceBundle; fit: FitResult | null; windowEvents: number }> {
  const o = buildOptions(opts.build);
  // One file per table, or the shards an engine writes: a folder (Spark) or <table>-*.parquet (BigQuery's EXPORT DATA).
  const source = (t: string): string => {
    if (existsSync(join(dir, `${t}.parquet`))) return join(dir, `${t}.parquet`);
    if (existsSync(join(dir, t))) return join(dir, t, '*.parquet');
    if (readdirSync(dir).some((f) => f.startsWith(`${t}-`) && f.endsWith('.parquet'))) return join(dir, `${t}-*.parquet`);
    throw new LocalrecError('invalid_data', `${dir} lacks ${t}.parquet (or a ${t}/ folder of shards): export every output table of the .sql files (${OUTPUT_TABLES.join(', ')}).`);
  };
  const sources = OUTPUT_TABLES.map((t) => [t, source(t)] as const);
  const engine = await Engine.open(opts.engine);
  try {
    for (const [t, path] of sources) await engine.run(`CREATE TABLE ${t} AS SELECT * FROM read_parquet(${sqlString(path)})`);
    const lastDay = await engine.number('SELECT MAX(day) FROM recent_next');
    if (lastDay === null) throw new LocalrecError('invalid_data', `${dir}/recent_next.parquet is empty: the aggregates hold no events.`);
    return await encodeFromEngine(engine, o, { ...(opts.catalog ? { catalog: opts.catalog } : {}), fitEvents: opts.fitEvents ?? DEFAULT_FIT_EVENTS, lastDay, now: () => performance.now() });
  } finally {
    engine.close();
  }
}

/** The items' counts and the published pair rows, from the engine to Node. */
async function readCounts(engine: Engine, lastDay: number): Promise<Parameters<typeof bundleFromCounts>[0]> {
  const itemRows = await engine.rows(`SELECT c.item_id, c.code, i.events, i.sessions, COALESCE(r.events, 0) AS recent_events, COALESCE(r.sessions, 0) AS recent_sessions
    FROM items_next i JOIN item_codes_next c ON c.code = i.item LEFT JOIN bundle_recent r ON r.item = i.item ORDER BY c.code`);
  const n = itemRows.length;
  const position = new Map<number, number>();
  const itemIds: string[] = [];
  const events = new Float64Array(n), sessions = new Float64Array(n), recentEvents = new Float64Array(n), recentSessions = new Float64Array(n);
  itemRows.forEach((r, k) => {
    position.set(Number(r.code), k);
    itemIds.push(String(r.item_id));
    events[k] = Number(r.events);
    sessions[k] = Number(r.sessions);
    recentEvents[k] = Number(r.recent_events);
    recentSessions[k] = Number(r.recent_sessions);
  });
  const pairs = async (table: string): Promise<PairRows> => {
    const count = (await engine.number(`SELECT COUNT(*) FROM ${table}`)) ?? 0;
    const src = new Int32Array(count), dst = new Int32Array(count), weight = new Float64Array(count);
    let k = 0;
    await engine.eachChunk(`SELECT src, dst, weight FROM ${table}`, (cols, rows) => {
      for (let r = 0; r < rows; r++, k++) {
        src[k] = position.get(Number(cols[0]![r]))!;
        dst[k] = position.get(Number(cols[1]![r]))!;
        weight[k] = Number(cols[2]![r]);
      }
    });
    return { src, dst, weight };
  };
  return { itemIds, events, sessions, recentEvents, recentSessions, next: await pairs('bundle_next'), similar: await pairs('bundle_similar'), lastDay };
}

function readStateMeta(dir: string): StateMeta | undefined {
  const file = join(dir, 'state.json');
  if (!existsSync(file)) return undefined;
  const meta = JSON.parse(readFileSync(file, 'utf8')) as Partial<StateMeta>;
  if (meta.format !== 'localrec-store-build-state' || meta.version !== 1) {
    throw new LocalrecError('invalid_data', `${file} is not kept aggregates of this build (format ${String(meta.format)}, version ${String(meta.version)}).`);
  }
  for (const t of STATE_TABLES) {
    if (!existsSync(join(dir, `${t}.parquet`))) throw new LocalrecError('invalid_data', `${dir} lacks ${t}.parquet: the kept aggregates are incomplete; rebuild them in full.`);
  }
  return meta as StateMeta;
}

async function loadState(engine: Engine, dir: string): Promise<void> {
  // Views: the merge streams the kept rows from the files instead of copying them in first.
  for (const t of STATE_TABLES) await engine.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet(${sqlString(join(dir, `${t}.parquet`))})`);
}

/** Writes the new aggregates beside the old ones, then swaps folders: a failed run leaves the old ones whole. */
async function writeState(engine: Engine, dir: string, meta: StateMeta): Promise<void> {
  const fresh = `${dir}.writing`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { recursive: true });
  const next: Record<(typeof STATE_TABLES)[number], string> = {
    item_codes: 'item_codes_next', items: 'items_next', recent: 'recent_next', pairs: 'pairs_next', window_events: 'window_next',
  };
  for (const t of STATE_TABLES) {
    await engine.run(`COPY (SELECT * FROM ${next[t]}) TO ${sqlString(join(fresh, `${t}.parquet`))} (FORMAT PARQUET)`);
  }
  writeFileSync(join(fresh, 'state.json'), JSON.stringify(meta, null, 2) + '\n');
  const old = `${dir}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(fresh, dir);
  rmSync(old, { recursive: true, force: true });
}
