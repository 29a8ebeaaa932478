/**
 * Offline replay of test sessions through the same ranking code the worker runs
 * (SequenceRanker + topK), with the session-rec protocol (see ../shared/EVALUATION.md §1).
 *
 *   npm run eval -- --train FILE --test FILE [--json] [--bundle-min-support K] [--no-fit]
 *   npm run eval -- --train FILE --split-days 1      # validation: the train file's last day
 *   npm run eval -- --train FILE --test FILE --full-path [--item-categories FILE] [--json]
 *
 * localrec ranks with the weights `npm run build-bundle` would fit and publish: fitted on the
 * train file's own most recent sessions (never on the test file). --no-fit ranks with
 * DEFAULT_RANKER_PARAMS instead, as bundles built before the fit did.
 *
 * --full-path also replays the test sessions through the worker's whole path (tools/lib/full-path.ts:
 * the profile update event by event, tfjs cosine on the cpu backend, `rank()` with its blend,
 * filters and novelty damping) on a catalog built from the data set (tools/lib/eval-catalog.ts:
 * Online Retail's titles and prices when the log is Online Retail; Diginetica's categories from
 * --item-categories product-categories.csv; otherwise ids only). Its figures join `results` as
 * `localrec-full-next-click` (no damping of items already seen) and `localrec-full-strip` (the
 * defaults a shopper sees), next to `localrec`, the session ranker alone; `fullPath` says what
 * the catalog held and what the replay met (duplicates, automated-traffic holds, session gaps).
 *
 * --embeddings learns item vectors (item2vec on tfjs, src/core/embeddings/) into the bundle and,
 * in the full path, sets them beside the catalog's content vectors as the worker would
 * (`withLearnedEmbeddings`); --embedding-options JSON overrides the trainer's options and
 * --learned-share the learned part's share of a row. The report's `bundle.embeddings` gives the
 * section's bytes and the training time.
 *
 * --diversity L (0..1) and --explore S (0..1) set the full path's request (`recommend({ k: 20,
 * diversity, explore })`, src/core/ranking/diversity.ts); `fullPath.modes[mode].diversity` gives
 * the top 20's intra-list diversity (mean pairwise 1 − cosine of the catalog's item vectors) and
 * distinct categories, with or without them.
 *
 * Every report has `reach` (tools/lib/reach.ts): the shares of next clicks that repeat a session
 * item, that the bundle publishes as a neighbour of one, and that shared a training session with
 * one but were withheld by the minimum support (out of the session ranker's reach).
 *
 * Files are TSV `SessionId ItemId Time`, Diginetica's train-item-views.csv or Online Retail CSV
 * (detected from the header, or --format). Ranker/builder options for tuning: --params JSON
 * (overrides on top of the fitted or default weights), --build JSON.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { LocalrecError } from '../src/core/errors';
import { choiceOption, isEntryPoint, numberOption, parseOptions, runTool } from './lib/cli';
import { PopBaseline, SequentialRulesBaseline, SessionKnnBaseline, SessionPopBaseline, type NextItemScorer } from '../src/core/sequence/baselines';
import { parseCatalog } from '../src/core/catalog';
import { CatalogSequenceRanker } from '../src/core/ranking/signals/sequence';
import { buildSequenceBundle } from '../src/core/sequence/bundle-builder';
import { decodeBundle, encodeBundle } from '../src/core/sequence/bundle-format';
import { buildFittedBundle, type FitResult } from '../src/core/sequence/fit';
import { ItemIndex } from '../src/core/sequence/item-index';
import type { MetricSummary } from '../src/core/sequence/next-item-metrics';
import { detectLogFormat, groupSessions, LOG_FORMATS, parseLog, type LogFormat } from '../src/core/sequence/click-logs';
import { SequenceRanker } from '../src/core/sequence/ranker';
import { replaySessions } from '../src/core/sequence/replay';
import type { LogSession } from '../src/core/sequence/types';
import { splitLastDays } from '../src/core/sequence/validation-split';
import { digineticaContents, evalCatalog, onlineRetailContents, type EvalCatalogStats, type ItemContents } from './lib/eval-catalog';
import { FULL_PATH_MODES, replayFullPath, useCpuBackend, type FullPathEvents, type FullPathMode, type ListDiversity } from './lib/full-path';
import { evidenceReach, type EvidenceReach } from './lib/reach';
import { validateRequest, type RecommendRequest } from '../src/core/ranking/request';
import { trainItem2Vec, type Item2VecOptions } from '../src/core/embeddings/item2vec';
import { LEARNED_SHARE, withLearnedEmbeddings } from '../src/core/embeddings/combine';

/** Options of {@link evaluate}. */
export interface EvalOptions {
  readonly minSupport?: number;
  readonly params?: Record<string, number>;
  readonly build?: Record<string, number>;
  /** Fit the ranker's weights on the train sessions, as the bundle builder does (default true). */
  readonly fit?: boolean;
  /** Methods to run; default all. */
  readonly methods?: readonly string[];
  /**
   * Learn item embeddings (item2vec) into the bundle, with these options over the defaults; the
   * tfjs backend must be set first (`useCpuBackend`). Only the full path uses them.
   */
  readonly embeddings?: Partial<Item2VecOptions>;
}

/** What the learned embeddings cost: their section's bytes and the training time. */
export interface EmbeddingsReport {
  readonly dim: number;
  /** Bundle items with a learned vector. */
  readonly items: number;
  /** The section's bytes, raw and gzip (the bundle with it minus the bundle without it). */
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly trainMs: number;
  readonly events: number;
  readonly pairs: number;
  readonly msPerMillionEvents: number;
}

/** The --json report. */
export interface EvalReport {
  train: string;
  test: string;
  predictions: number;
  bundle: { items: number; bytes: number; gzipBytes: number; embeddings?: EmbeddingsReport };
  /** The weights localrec ranked with (the fit's, then --params), and the fit (null with --no-fit). */
  ranker: { params: Record<string, number>; fit: FitResult | null };
  results: Record<string, Record<string, number>>;
  /** Where the test's next clicks could come from: repeats, published pairs, pairs the minimum support withheld. */
  reach: EvidenceReach;
  /** With --full-path: the catalog it ranked on and what the replay met (figures are in `results`). */
  fullPath?: FullPathReport;
}

/** What --full-path adds besides its two `results` entries. */
export interface FullPathReport {
  /** What the catalog was built from, and how many of its items have a title, category and price from it. */
  catalog: EvalCatalogStats & { source: string };
  backend: 'cpu';
  events: FullPathEvents;
  /** The request fields beside k (--diversity, --explore); empty when neither is given. */
  request: Omit<RecommendRequest, 'k'>;
  /** Per mode: the metrics over repeat targets only, the top 20's diversity, and the replay's wall time. */
  modes: Record<FullPathMode, { repeats: MetricSummary; diversity: ListDiversity; wallSeconds: number }>;
}

/** The published bundle evaluate() ranks with, and the fit behind its weights (null with fit: false). */
export interface EvalBundle {
  readonly bytes: Uint8Array;
  readonly fit: FitResult | null;
  readonly embeddings?: EmbeddingsReport;
}

/** Key of a full-path mode in `results`. */
export const fullPathKey = (mode: FullPathMode) => `localrec-full-${mode}`;

/** Reads a log file (format from --format or its header) into sessions. */
export function readSessions(file: string, format?: LogFormat): LogSession[] {
  const text = readFileSync(file, 'utf8');
  return groupSessions(parseLog(text, format ?? detectLogFormat(text)));
}

/** Builds the bundle from `train` as `npm run build-bundle` would (fitted unless `opts.fit` is false), encoded. */
export function evalBundle(train: readonly LogSession[], opts: EvalOptions = {}): EvalBundle {
  const build = { ...opts.build, ...(opts.minSupport ? { minSupport: opts.minSupport } : {}) };
  const fitted = opts.fit === false ? undefined : buildFittedBundle(train, build, { now: () => performance.now() });
  const bundle = fitted ? fitted.bundle : buildSequenceBundle(train, build);
  const plain = encodeBundle(bundle);
  if (!opts.embeddings) return { bytes: plain, fit: fitted?.fit ?? null };
  const learned = trainItem2Vec(train, bundle.itemIds, opts.embeddings, () => performance.now());
  const bytes = encodeBundle({ ...bundle, embeddings: learned });
  const gz = (b: Uint8Array) => gzipSync(b, { level: 9 }).length;
  const embeddings: EmbeddingsReport = {
    dim: learned.dim,
    items: learned.has.reduce((a, b) => a + b, 0),
    bytes: bytes.length - plain.length,
    gzipBytes: gz(bytes) - gz(plain),
    trainMs: learned.ms,
    events: learned.events,
    pairs: learned.pairs,
    msPerMillionEvents: (learned.ms / Math.max(learned.events, 1)) * 1e6,
  };
  return { bytes, fit: fitted?.fit ?? null, embeddings };
}

/** Builds the bundle from `train` (or takes it), replays `test` through localrec and the baselines. */
export function evaluate(
  train: readonly LogSession[],
  test: readonly LogSession[],
  opts: EvalOptions = {},
  bundle: EvalBundle = evalBundle(train, opts),
): Omit<EvalReport, 'train' | 'test'> {
  const bundleBytes = bundle.bytes;
  // Evaluate the decoded bytes, so quantisation is part of what is measured.
  const decoded = decodeBundle(bundleBytes);
  const ranker = new SequenceRanker(decoded, opts.params ?? {});
  // Bundle items are numbered in tie order (by item id), so index order breaks ties.
  const index = new ItemIndex(train.flatMap((s) => s.events.map((e) => e.itemId)));
  const scorers: [string, () => NextItemScorer][] = [
    ['localrec', () => ranker],
    ['pop', () => new PopBaseline(train, index)],
    ['spop', () => new SessionPopBaseline(train, index)],
    ['sr', () => new SequentialRulesBaseline(train, index)],
    ['sknn', () => new SessionKnnBaseline(train, index)],
  ];
  const results: Record<string, Record<string, number>> = {};
  let predictions = 0;
  for (const [name, make] of scorers) {
    if (opts.methods && !opts.methods.includes(name)) continue;
    const r = replaySessions(make(), test, { itemCount: index.size, indexOf: (id) => index.indexOf(id), now: () => performance.now() });
    predictions = r.metrics.predictions;
    const { predictions: _n, ...m } = r.metrics;
    results[name] = { ...m, msPerPrediction: r.msPerPrediction };
  }
  return {
    predictions,
    bundle: {
      items: ranker.itemIds.length, bytes: bundleBytes.length, gzipBytes: gzipSync(bundleBytes, { level: 9 }).length,
      ...(bundle.embeddings ? { embeddings: bundle.embeddings } : {}),
    },
    ranker: { params: { ...ranker.params }, fit: bundle.fit },
    results,
    reach: evidenceReach(train, test, decoded),
  };
}

/** Options of {@link evaluateFullPath}. */
export interface FullPathOptions {
  /** What the data set says about its items (eval-catalog.ts), and where that came from. */
  readonly contents: ItemContents;
  readonly source: string;
  /** Ranker weight overrides, as --params gives them to the session ranker. */
  readonly params?: Record<string, number>;
  /** Share of a row's squared length for its learned part, when the bundle has embeddings. */
  readonly learnedShare?: number;
  /** Request fields beside `k: 20` for every prediction: `diversity`, `explore` (--diversity, --explore). */
  readonly request?: Omit<RecommendRequest, 'k'>;
}

/**
 * Replays `test` through the worker's whole path in both modes (tools/lib/full-path.ts), on a
 * catalog of the training items built from `opts.contents` and the same bundle `evaluate` ranks
 * with. Returns the two `results` entries and the report's `fullPath` part.
 */
export async function evaluateFullPath(
  train: readonly LogSession[],
  test: readonly LogSession[],
  bundle: EvalBundle,
  opts: FullPathOptions,
): Promise<{ results: Record<string, Record<string, number>>; fullPath: FullPathReport }> {
  const { json, stats } = evalCatalog(train, opts.contents, 'eval');
  const decoded = decodeBundle(bundle.bytes);
  // As the worker binds a bundle's learned vectors: beside the catalog's content vectors.
  const catalog = decoded.embeddings
    ? withLearnedEmbeddings(parseCatalog(json), decoded.itemIds, decoded.embeddings, opts.learnedShare ?? LEARNED_SHARE)
    : parseCatalog(json);
  const sequence = new CatalogSequenceRanker(new SequenceRanker(decoded, opts.params ?? {}), catalog);
  const results: Record<string, Record<string, number>> = {};
  const modes = {} as FullPathReport['modes'];
  let events: FullPathEvents | undefined;
  for (const mode of Object.keys(FULL_PATH_MODES) as FullPathMode[]) {
    const r = await replayFullPath(catalog, sequence, test, mode, opts.request);
    const { predictions: _n, ...m } = r.metrics;
    results[fullPathKey(mode)] = { ...m, msPerPrediction: r.msPerPrediction };
    modes[mode] = { repeats: r.repeats, diversity: r.diversity, wallSeconds: r.wallSeconds };
    events = r.events;
  }
  return { results, fullPath: { catalog: { source: opts.source, ...stats }, backend: 'cpu', events: events!, request: { ...opts.request }, modes } };
}

/** What --full-path builds the catalog from: Online Retail's own rows, --item-categories, or ids only. */
function catalogContents(trainFile: string, format: LogFormat | undefined, categoriesFile: string | undefined): { contents: ItemContents; source: string } {
  if (categoriesFile !== undefined) return { contents: digineticaContents(readFileSync(categoriesFile, 'utf8')), source: `categories from ${categoriesFile}` };
  const text = readFileSync(trainFile, 'utf8');
  if ((format ?? detectLogFormat(text)) === 'online-retail') return { contents: onlineRetailContents(text), source: `titles and prices from ${trainFile}` };
  return { contents: new Map(), source: 'ids only' };
}

/** `fields` without its undefined entries. */
function numbersOrNothing(fields: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, number>;
}

/** A JSON object of numbers, as --params and --build take (undefined when not given). */
function numbersOption(name: string, text: string | undefined): Record<string, number> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // reported below, with what the option takes
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'number')) {
    throw new LocalrecError('invalid_argument', `--${name} must be a JSON object of numbers, got ${text}`);
  }
  return value as Record<string, number>;
}

async function main(): Promise<void> {
  const args = parseOptions({
    train: { type: 'string' },
    test: { type: 'string' },
    'split-days': { type: 'string' },
    json: { type: 'boolean', default: false },
    'bundle-min-support': { type: 'string' },
    format: { type: 'string' },
    params: { type: 'string' },
    build: { type: 'string' },
    methods: { type: 'string' },
    'no-fit': { type: 'boolean', default: false },
    'full-path': { type: 'boolean', default: false },
    'item-categories': { type: 'string' },
    embeddings: { type: 'boolean', default: false },
    'embedding-options': { type: 'string' },
    'learned-share': { type: 'string' },
    diversity: { type: 'string' },
    explore: { type: 'string' },
  });
  const { train: trainFile, test: testFile } = args;
  const splitDays = numberOption('split-days', args['split-days']);
  if (!trainFile || (!testFile && splitDays === undefined)) {
    throw new LocalrecError('invalid_argument', '--train FILE and one of --test FILE or --split-days N are required.');
  }
  if (args['item-categories'] !== undefined && !args['full-path']) {
    throw new LocalrecError('invalid_argument', '--item-categories builds the catalog of --full-path; add --full-path.');
  }
  if ((args.diversity !== undefined || args.explore !== undefined) && !args['full-path']) {
    throw new LocalrecError('invalid_argument', '--diversity and --explore set the request of --full-path; add --full-path.');
  }
  const { k: _k, ...request } = validateRequest({
    k: 20, ...numbersOrNothing({ diversity: numberOption('diversity', args.diversity), explore: numberOption('explore', args.explore) }),
  });
  const format = choiceOption('format', args.format, LOG_FORMATS);
  const minSupport = numberOption('bundle-min-support', args['bundle-min-support']);
  const params = numbersOption('params', args.params);
  const build = numbersOption('build', args.build);
  let train = readSessions(trainFile, format);
  let test: LogSession[];
  if (splitDays !== undefined) ({ train, validation: test } = splitLastDays(train, splitDays));
  else test = readSessions(testFile!, format);
  const embeddingOptions = numbersOption('embedding-options', args['embedding-options']);
  const withEmbeddings = args.embeddings || embeddingOptions !== undefined;
  if (withEmbeddings) await useCpuBackend();
  const opts: EvalOptions = {
    ...(withEmbeddings ? { embeddings: embeddingOptions ?? {} } : {}),
    ...(minSupport !== undefined ? { minSupport } : {}),
    ...(params ? { params } : {}),
    ...(build ? { build } : {}),
    ...(args.methods !== undefined ? { methods: args.methods.split(',') } : {}),
    fit: !args['no-fit'],
  };
  const learnedShare = numberOption('learned-share', args['learned-share']);
  const bundle = evalBundle(train, opts);
  const report: EvalReport = {
    train: trainFile,
    test: testFile ?? `${trainFile} (last ${splitDays} day(s))`,
    ...evaluate(train, test, opts, bundle),
  };
  if (args['full-path']) {
    const full = await evaluateFullPath(train, test, bundle, { ...catalogContents(trainFile, format, args['item-categories']), ...(params ? { params } : {}), ...(learnedShare !== undefined ? { learnedShare } : {}), request });
    Object.assign(report.results, full.results);
    report.fullPath = full.fullPath;
  }
  if (args.json) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(`train ${report.train}\ntest  ${report.test}\n${report.predictions} predictions`);
  const b = report.bundle;
  console.log(`bundle: ${b.items} items, ${b.bytes} bytes, ${b.gzipBytes} gzip (${(b.gzipBytes / b.items).toFixed(1)} B/item)`);
  const e = b.embeddings;
  if (e) console.log(`learned embeddings: ${e.items} items × ${e.dim}, ${e.bytes} bytes (${e.gzipBytes} gzip, ${(e.gzipBytes / Math.max(e.items, 1)).toFixed(1)} B/learned item), trained in ${(e.trainMs / 1000).toFixed(1)} s on ${e.events} events (${e.pairs} pairs): ${(e.msPerMillionEvents / 1000).toFixed(1)} s per million events`);
  const f = report.ranker.fit;
  if (f) {
    const m = (x: typeof f.before) => `${x['hr@20'].toFixed(4)} / ${x['mrr@20'].toFixed(4)}`;
    console.log(`fit: ${f.fitted ? 'fitted' : 'kept the defaults'} on ${f.validation.sessions} recent train sessions (${f.validation.predictions} predictions), ${f.evaluations} evaluations, ${(f.ms / 1000).toFixed(1)} s; validation HR@20 / MRR@20 ${m(f.before)} -> ${m(f.after)}`);
  }
  console.log(`ranker: ${JSON.stringify(report.ranker.params)}`);
  const r = report.reach;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(`next clicks: ${pct(r.repeat)} repeats; of the others, ${pct(r.sharedSession)} of all predictions shared a training session with a session item, ${pct(r.published)} are published neighbours, ${pct(r.withheld)} withheld by the minimum support or the neighbour cut`);
  const full = report.fullPath;
  if (full) {
    const c = full.catalog;
    const e = full.events;
    console.log(`full path: catalog of ${c.items} items (${c.source}: ${c.titled} titled, ${c.categorised} categorised, ${c.priced} priced), tfjs ${full.backend}; ${e.events} events, ${e.duplicates} duplicates dropped, ${e.predictionsWhileHeld} predictions while events were held, ${e.ignored} events ignored in ${e.judgedSessions} sessions judged automated, ${e.predictionsAfterGap} predictions after a 30-minute gap`);
    if (Object.keys(full.request).length) console.log(`  request: ${JSON.stringify(full.request)}`);
    for (const [mode, m] of Object.entries(full.modes)) {
      const d = m.diversity;
      console.log(`  ${mode}: ${m.wallSeconds.toFixed(1)} s; repeat targets (${m.repeats.predictions}) HR@20 / MRR@20 ${m.repeats['hr@20'].toFixed(4)} / ${m.repeats['mrr@20'].toFixed(4)}; top-20 diversity ${d.ild.toFixed(4)}${d.categories === null ? '' : `, ${d.categories.toFixed(2)} categories`}`);
    }
  }
  console.log('');
  const cols = ['hr@20', 'mrr@20', 'hr@10', 'mrr@10', 'ndcg@20', 'msPerPrediction'];
  const width = Math.max(10, ...Object.keys(report.results).map((name) => name.length));
  console.log(['method'.padEnd(width), ...cols.map((c) => c.padStart(9))].join(' '));
  for (const [name, m] of Object.entries(report.results)) {
    console.log([name.padEnd(width), ...cols.map((c) => m[c]!.toFixed(4).padStart(9))].join(' '));
  }
}

const USAGE = `npm run eval -- --train FILE (--test FILE | --split-days N) [--json] [--bundle-min-support K] [--format ${LOG_FORMATS.join('|')}] [--params JSON] [--build JSON] [--methods localrec,pop,spop,sr,sknn] [--no-fit] [--full-path [--item-categories FILE]] [--embeddings [--embedding-options JSON] [--learned-share S]] [--diversity L] [--explore S]`;

if (isEntryPoint(import.meta.url)) await runTool('eval', USAGE, main);
