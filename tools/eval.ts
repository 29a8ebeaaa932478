/**
 * Offline replay of test sessions through the same ranking code the worker runs
 * (SequenceRanker + topK), with the session-rec protocol (see ../shared/EVALUATION.md §1).
 *
 *   npm run eval -- --train FILE --test FILE [--json] [--bundle-min-support K] [--no-fit]
 *   npm run eval -- --train FILE --split-days 1      # validation: the train file's last day
 *
 * localrec ranks with the weights `npm run build-bundle` would fit and publish: fitted on the
 * train file's own most recent sessions (never on the test file). --no-fit ranks with
 * DEFAULT_RANKER_PARAMS instead, as bundles built before the fit did.
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
import { buildSequenceBundle } from '../src/core/sequence/bundle-builder';
import { decodeBundle, encodeBundle } from '../src/core/sequence/bundle-format';
import { buildFittedBundle, type FitResult } from '../src/core/sequence/fit';
import { ItemIndex } from '../src/core/sequence/item-index';
import { detectLogFormat, groupSessions, LOG_FORMATS, parseLog, type LogFormat } from '../src/core/sequence/click-logs';
import { SequenceRanker } from '../src/core/sequence/ranker';
import { replaySessions } from '../src/core/sequence/replay';
import type { LogSession } from '../src/core/sequence/types';
import { splitLastDays } from '../src/core/sequence/validation-split';

/** Options of {@link evaluate}. */
export interface EvalOptions {
  readonly minSupport?: number;
  readonly params?: Record<string, number>;
  readonly build?: Record<string, number>;
  /** Fit the ranker's weights on the train sessions, as the bundle builder does (default true). */
  readonly fit?: boolean;
  /** Methods to run; default all. */
  readonly methods?: readonly string[];
}

/** The --json report. */
export interface EvalReport {
  train: string;
  test: string;
  predictions: number;
  bundle: { items: number; bytes: number; gzipBytes: number };
  /** The weights localrec ranked with (the fit's, then --params), and the fit (null with --no-fit). */
  ranker: { params: Record<string, number>; fit: FitResult | null };
  results: Record<string, Record<string, number>>;
}

/** Reads a log file (format from --format or its header) into sessions. */
export function readSessions(file: string, format?: LogFormat): LogSession[] {
  const text = readFileSync(file, 'utf8');
  return groupSessions(parseLog(text, format ?? detectLogFormat(text)));
}

/** Builds the bundle from `train`, replays `test` through localrec and the baselines. */
export function evaluate(train: readonly LogSession[], test: readonly LogSession[], opts: EvalOptions = {}): Omit<EvalReport, 'train' | 'test'> {
  const build = { ...opts.build, ...(opts.minSupport ? { minSupport: opts.minSupport } : {}) };
  const fitted = opts.fit === false ? undefined : buildFittedBundle(train, build, { now: () => performance.now() });
  const bundleBytes = encodeBundle(fitted ? fitted.bundle : buildSequenceBundle(train, build));
  // Evaluate the decoded bytes, so quantisation is part of what is measured.
  const ranker = new SequenceRanker(decodeBundle(bundleBytes), opts.params ?? {});
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
    bundle: { items: ranker.itemIds.length, bytes: bundleBytes.length, gzipBytes: gzipSync(bundleBytes, { level: 9 }).length },
    ranker: { params: { ...ranker.params }, fit: fitted?.fit ?? null },
    results,
  };
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

function main(): void {
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
  });
  const { train: trainFile, test: testFile } = args;
  const splitDays = numberOption('split-days', args['split-days']);
  if (!trainFile || (!testFile && splitDays === undefined)) {
    throw new LocalrecError('invalid_argument', '--train FILE and one of --test FILE or --split-days N are required.');
  }
  const format = choiceOption('format', args.format, LOG_FORMATS);
  const minSupport = numberOption('bundle-min-support', args['bundle-min-support']);
  const params = numbersOption('params', args.params);
  const build = numbersOption('build', args.build);
  let train = readSessions(trainFile, format);
  let test: LogSession[];
  if (splitDays !== undefined) ({ train, validation: test } = splitLastDays(train, splitDays));
  else test = readSessions(testFile!, format);
  const report: EvalReport = {
    train: trainFile,
    test: testFile ?? `${trainFile} (last ${splitDays} day(s))`,
    ...evaluate(train, test, {
      ...(minSupport !== undefined ? { minSupport } : {}),
      ...(params ? { params } : {}),
      ...(build ? { build } : {}),
      ...(args.methods !== undefined ? { methods: args.methods.split(',') } : {}),
      fit: !args['no-fit'],
    }),
  };
  if (args.json) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(`train ${report.train}\ntest  ${report.test}\n${report.predictions} predictions`);
  const b = report.bundle;
  console.log(`bundle: ${b.items} items, ${b.bytes} bytes, ${b.gzipBytes} gzip (${(b.gzipBytes / b.items).toFixed(1)} B/item)`);
  const f = report.ranker.fit;
  if (f) {
    const m = (x: typeof f.before) => `${x['hr@20'].toFixed(4)} / ${x['mrr@20'].toFixed(4)}`;
    console.log(`fit: ${f.fitted ? 'fitted' : 'kept the defaults'} on ${f.validation.sessions} recent train sessions (${f.validation.predictions} predictions), ${f.evaluations} evaluations, ${(f.ms / 1000).toFixed(1)} s; validation HR@20 / MRR@20 ${m(f.before)} -> ${m(f.after)}`);
  }
  console.log(`ranker: ${JSON.stringify(report.ranker.params)}\n`);
  const cols = ['hr@20', 'mrr@20', 'hr@10', 'mrr@10', 'ndcg@20', 'msPerPrediction'];
  console.log(['method'.padEnd(10), ...cols.map((c) => c.padStart(9))].join(' '));
  for (const [name, m] of Object.entries(report.results)) {
    console.log([name.padEnd(10), ...cols.map((c) => m[c]!.toFixed(4).padStart(9))].join(' '));
  }
}

const USAGE = `npm run eval -- --train FILE (--test FILE | --split-days N) [--json] [--bundle-min-support K] [--format ${LOG_FORMATS.join('|')}] [--params JSON] [--build JSON] [--methods localrec,pop,spop,sr,sknn] [--no-fit]`;

if (isEntryPoint(import.meta.url)) await runTool('eval', USAGE, main);
