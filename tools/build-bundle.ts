/**
 * Builds the public session-ranking bundle from a store's own event log (training data only).
 *
 *   npm run build-bundle -- --events FILE --out DIR [--catalog FILE] [--min-support K]
 *                           [--format tsv|diginetica|online-retail|parquet|ga4-json|ga4-parquet] [--no-fit]
 *                           [--engine duckdb|memory] [--state DIR] [--keep-weights] [--half-life-days H] [--fit-events N]
 *                           [--memory-limit 1GB] [--threads N] [--aggregates DIR (instead of --events)] [--embeddings]
 *
 * Writes DIR/session-bundle.bin (what the worker fetches) and DIR/session-bundle.json (a
 * human-readable summary: sizes, build options, the ranker weights, provenance). With --catalog
 * (catalog JSON with `items[].id`, a JSON array of ids/items, or one id per line), events of items
 * missing from the catalog are dropped and catalog items without events still get a slot.
 *
 * Two engines build the same bundle. The default, DuckDB (tools/store-build/, docs/store-build.md),
 * counts in SQL with bounded memory (--memory-limit, spilling to disk), reads Parquet and GA4
 * exports besides the text formats, counts and skips malformed rows, and can add a day's log to
 * kept aggregates (--state DIR, decaying with --half-life-days) instead of re-reading history;
 * --keep-weights then publishes the weights the last run fitted instead of fitting again.
 * --engine memory is the original builder: the whole log in this process, strict about every row.
 * --aggregates DIR encodes the output tables of the same .sql files run elsewhere (Spark, a
 * warehouse), exported as Parquet.
 *
 * The ranker's weights are fitted to the store first: on its most recent sessions, replayed
 * through a bundle built from the older ones (src/core/sequence/fit.ts); the published bundle is
 * then built from every session and carries the fitted weights. The DuckDB engine fits on the
 * most recent sessions up to --fit-events events (default 1,000,000; the whole log when smaller,
 * which is then the in-memory engine's fit). --no-fit skips that: the bundle carries no weights
 * and the SDK ranks with its defaults. Both outputs are deterministic.
 *
 * --embeddings (memory engine) also learns item vectors from the sessions (item2vec on
 * TensorFlow.js's cpu backend, seeded: src/core/embeddings/) and writes them into the bundle
 * (format version 3, int8). Off by default: on the full-path evaluation they cost accuracy
 * (docs/quality.md, "Learned embeddings"), and the worker does not read them yet.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LocalrecError } from '../src/core/errors';
import { choiceOption, isEntryPoint, numberOption, parseOptions, runTool } from './lib/cli';
import { buildSequenceBundle, DEFAULT_BUILD_OPTIONS } from '../src/core/sequence/bundle-builder';
import { decodeBundle, encodeBundle } from '../src/core/sequence/bundle-format';
import { buildFittedBundle } from '../src/core/sequence/fit';
import { detectLogFormat, groupSessions, LOG_FORMATS, parseLog, type LogFormat } from '../src/core/sequence/click-logs';
import type { FitResult } from '../src/core/sequence/fit';
import type { SequenceBundle } from '../src/core/sequence/types';
import { buildFromAggregates, storeBuild } from './store-build/build';
import { describeReasons, detectStoreLogFormat, STORE_LOG_FORMATS } from './store-build/readers';
import { trainItem2Vec } from '../src/core/embeddings/item2vec';
import { useCpuBackend } from './lib/full-path';

/** Reads catalog item ids from JSON (`{items:[{id}]}` or an array) or a one-id-per-line file. */
export function readCatalogIds(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const json: unknown = JSON.parse(text);
    const items = Array.isArray(json) ? json : (json as { items?: unknown }).items;
    if (!Array.isArray(items)) throw new LocalrecError('invalid_data', `Catalog ${file} has no items array.`);
    return items.map((it, i) => {
      const id = typeof it === 'string' ? it : (it as { id?: unknown }).id;
      if (typeof id !== 'string' || id === '') throw new LocalrecError('invalid_data', `Catalog item ${i} has no string id.`, `items[${i}].id`);
      return id;
    });
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
}

/** What either engine built, for the files and the summary. */
interface Built {
  bundle: SequenceBundle;
  fit: FitResult | undefined;
  learned: ReturnType<typeof trainItem2Vec> | undefined;
  source: Record<string, unknown>;
  format: string;
}

/** Today's builder: the whole log in this process's memory. */
async function buildInMemory(events: string, format: LogFormat | undefined, catalog: string[] | undefined, minSupport: number, noFit: boolean, embeddings: boolean): Promise<Built> {
  const text = readFileSync(events, 'utf8');
  const fmt = format ?? detectLogFormat(text);
  let log = parseLog(text, fmt);
  if (catalog) {
    const known = new Set(catalog);
    log = log.filter((e) => known.has(e.itemId));
  }
  const sessions = groupSessions(log);
  const build = { minSupport, ...(catalog ? { extraItems: catalog } : {}) };
  const fitted = noFit ? undefined : buildFittedBundle(sessions, build, { now: () => performance.now() });
  const bundle = fitted ? fitted.bundle : buildSequenceBundle(sessions, build);
  if (embeddings) await useCpuBackend();
  const learned = embeddings ? trainItem2Vec(sessions, bundle.itemIds, {}, () => performance.now()) : undefined;
  return { bundle, fit: fitted?.fit, learned, source: { format: fmt, events: log.length }, format: fmt };
}

export async function main(): Promise<void> {
  const args = parseOptions({
    events: { type: 'string' },
    out: { type: 'string' },
    catalog: { type: 'string' },
    'min-support': { type: 'string' },
    format: { type: 'string' },
    'no-fit': { type: 'boolean', default: false },
    embeddings: { type: 'boolean', default: false },
    engine: { type: 'string' },
    aggregates: { type: 'string' },
    state: { type: 'string' },
    'half-life-days': { type: 'string' },
    'fit-events': { type: 'string' },
    'keep-weights': { type: 'boolean', default: false },
    'memory-limit': { type: 'string' },
    threads: { type: 'string' },
  });
  const { events, out, aggregates } = args;
  if ((!events && !aggregates) || (events && aggregates) || !out) throw new LocalrecError('invalid_argument', '--out DIR and one of --events FILE or --aggregates DIR are required.');
  const minSupport = numberOption('min-support', args['min-support']) ?? DEFAULT_BUILD_OPTIONS.minSupport;
  const engine = choiceOption('engine', args.engine, ENGINES) ?? 'duckdb';
  const catalog = args.catalog ? readCatalogIds(args.catalog) : undefined;
  const t0 = performance.now();
  let built: Built;
  if (aggregates) {
    // Counted elsewhere (the .sql files on Spark or a warehouse, docs/store-build.md): encode and fit here.
    const r = await buildFromAggregates(aggregates, {
      build: { minSupport }, ...(catalog ? { catalog } : {}), ...(args['no-fit'] ? { fitEvents: false as const } : {}),
    });
    built = { bundle: r.bundle, fit: r.fit ?? undefined, learned: undefined, format: 'aggregates', source: { format: 'aggregates', aggregates, fitWindowEvents: r.windowEvents } };
  } else if (engine === 'memory') {
    if (args['keep-weights']) throw new LocalrecError('invalid_argument', '--keep-weights is an option of the DuckDB engine with --state, not of --engine memory.');
    for (const flag of ['state', 'half-life-days', 'fit-events', 'memory-limit', 'threads'] as const) {
      if (args[flag] !== undefined) throw new LocalrecError('invalid_argument', `--${flag} is an option of the DuckDB engine, not of --engine memory.`);
    }
    built = await buildInMemory(events!, choiceOption('format', args.format, LOG_FORMATS), catalog, minSupport, args['no-fit'], args.embeddings);
  } else {
    if (args.embeddings) throw new LocalrecError('invalid_argument', '--embeddings needs every session in memory: add --engine memory.');
    const format = choiceOption('format', args.format, STORE_LOG_FORMATS) ?? detectStoreLogFormat(events!);
    const threads = numberOption('threads', args.threads);
    const fitEvents = numberOption('fit-events', args['fit-events']);
    const r = await storeBuild(events!, format, {
      build: { minSupport },
      ...(catalog ? { catalog } : {}),
      ...(args.state ? { state: args.state } : {}),
      ...(args['half-life-days'] !== undefined ? { halfLifeDays: numberOption('half-life-days', args['half-life-days'])! } : {}),
      ...(args['no-fit'] ? { fitEvents: false as const } : fitEvents !== undefined ? { fitEvents } : {}),
      ...(args['keep-weights'] ? { keepWeights: true } : {}),
      engine: { ...(args['memory-limit'] ? { memoryLimit: args['memory-limit'] } : {}), ...(threads !== undefined ? { threads } : {}) },
    });
    const read = r.read;
    console.log(`stages (s): ${Object.entries(r.ms).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')}`);
    if (read.skipped > 0) {
      console.warn(`${events}: skipped ${read.skipped} malformed of ${read.rows} rows (${describeReasons(read.reasons)}); first: ${read.examples.map((e) => `${e.at}: ${e.reason} [${e.text}]`).join('; ')}`);
    }
    built = {
      bundle: r.bundle, fit: r.fit ?? undefined, learned: undefined, format,
      source: {
        format, events: r.batchEvents, engine: 'duckdb',
        read: { rows: read.rows, events: read.events, ignored: read.ignored, skipped: read.skipped, reasons: read.reasons }, incremental: r.incremental, totalEvents: r.totalEvents, halfLifeDays: r.halfLifeDays, fitWindowEvents: r.windowEvents,
      },
    };
  }
  const { fit: fitted, learned } = built;
  const bundle = learned ? { ...built.bundle, embeddings: learned } : built.bundle;
  const bytes = encodeBundle(bundle);
  decodeBundle(bytes); // self-check: never publish a file the worker would reject
  const gzipBytes = gzipSync(bytes, { level: 9 }).length;
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'session-bundle.bin'), bytes);
  const n = bundle.itemIds.length;
  const summary = {
    format: 'localrec-session-bundle',
    file: 'session-bundle.bin',
    items: n,
    bytes: bytes.length,
    gzipBytes,
    gzipBytesPerItem: Math.round((gzipBytes / Math.max(n, 1)) * 10) / 10,
    rules: bundle.next.targets.length,
    similarPairs: bundle.similar.targets.length,
    ...(learned ? { embeddings: { dim: learned.dim, items: learned.has.reduce((a, b) => a + b, 0) } } : {}),
    meta: bundle.meta,
    // No timings here: the summary is as deterministic as the bundle.
    ranker: fitted
      ? { params: bundle.params ?? null, fitted: fitted.fitted, validation: { ...fitted.validation, before: fitted.before, after: fitted.after }, evaluations: fitted.evaluations }
      : { params: null, fitted: false },
    source: built.source,
    ...(built.format === 'online-retail'
      ? { attribution: 'Derived from: Chen, D. (2015). Online Retail [Dataset]. UCI Machine Learning Repository. https://doi.org/10.24432/C5BW33 (CC BY 4.0).' }
      : {}),
  };
  writeFileSync(join(out, 'session-bundle.json'), JSON.stringify(summary, null, 2) + '\n');
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  console.log(`${join(out, 'session-bundle.bin')}: ${n} items, ${bytes.length} bytes, ${gzipBytes} gzip (${summary.gzipBytesPerItem} B/item), min support ${minSupport}, built (${engine}) in ${seconds(performance.now() - t0)}`);
  if (learned) console.log(`learned embeddings: ${summary.embeddings!.items} items × ${learned.dim} (int8), trained in ${seconds(learned.ms)} on ${learned.events} events`);
  if (fitted) {
    const f = fitted;
    const m = (x: typeof f.before): string => `${x['hr@20'].toFixed(4)} / ${x['mrr@20'].toFixed(4)}`;
    console.log(f.fitted
      ? `ranker weights fitted in ${seconds(f.ms)} (${f.evaluations} replays of ${f.validation.predictions} predictions in the ${f.validation.sessions} most recent sessions): validation HR@20 / MRR@20 ${m(f.before)} with the defaults, ${m(f.after)} fitted\n${JSON.stringify(f.params)}`
      : `ranker weights: defaults (only ${f.validation.predictions} validation predictions, too few to fit)`);
  }
}

/** The builders: DuckDB (default, bounded memory, tools/store-build/) or today's in-memory one. */
export const ENGINES = ['duckdb', 'memory'] as const;

export const USAGE = `npm run build-bundle -- --events FILE --out DIR [--catalog FILE] [--min-support K] [--format ${STORE_LOG_FORMATS.join('|')}] [--no-fit] [--engine duckdb|memory] [--state DIR] [--keep-weights] [--half-life-days H] [--fit-events N] [--memory-limit 1GB] [--threads N] [--aggregates DIR (instead of --events)] [--embeddings (memory engine)]`;

if (isEntryPoint(import.meta.url)) await runTool('build-bundle', USAGE, main);
