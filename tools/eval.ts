/**
 * Offline replay of test sessions through the same ranking code the worker runs
 * (SequenceRanker + topK), with the session-rec protocol (see ../shared/EVALUATION.md §1).
 *
 *   npm run eval -- --train FILE --test FILE [--json] [--bundle-min-support K]
 *   npm run eval -- --train FILE --split-days 1      # validation: the train file's last day
 *
 * Files are TSV `SessionId ItemId Time`, Diginetica's train-item-views.csv or Online Retail CSV
 * (detected from the header, or --format). Ranker/builder options for tuning: --params JSON,
 * --build JSON.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { LocalrecError } from '../src/core/errors';
import { runTool } from './lib/cli';
import { PopBaseline, SequentialRulesBaseline, SessionPopBaseline, type NextItemScorer } from '../src/core/sequence/baselines';
import { buildSequenceBundle } from '../src/core/sequence/bundle-builder';
import { decodeBundle, encodeBundle } from '../src/core/sequence/bundle-format';
import { ItemIndex } from '../src/core/sequence/item-index';
import { detectLogFormat, groupSessions, parseLog, type LogFormat } from '../src/core/sequence/click-logs';
import { SequenceRanker } from '../src/core/sequence/ranker';
import { replaySessions } from '../src/core/sequence/replay';
import type { LogSession } from '../src/core/sequence/types';
import { splitLastDays } from '../src/core/sequence/validation-split';

/** Options of {@link evaluate}. */
export interface EvalOptions {
  readonly minSupport?: number;
  readonly params?: Record<string, number>;
  readonly build?: Record<string, number>;
  /** Methods to run; default all. */
  readonly methods?: readonly string[];
}

/** The --json report. */
export interface EvalReport {
  train: string;
  test: string;
  predictions: number;
  bundle: { items: number; bytes: number; gzipBytes: number };
  results: Record<string, Record<string, number>>;
}

/** Reads a log file (format from --format or its header) into sessions. */
export function readSessions(file: string, format?: LogFormat): LogSession[] {
  const text = readFileSync(file, 'utf8');
  return groupSessions(parseLog(text, format ?? detectLogFormat(text)));
}

/** Builds the bundle from `train`, replays `test` through localrec and the baselines. */
export function evaluate(train: readonly LogSession[], test: readonly LogSession[], opts: EvalOptions = {}): Omit<EvalReport, 'train' | 'test'> {
  const bundleBytes = encodeBundle(buildSequenceBundle(train, { ...opts.build, ...(opts.minSupport ? { minSupport: opts.minSupport } : {}) }));
  // Evaluate the decoded bytes, so quantisation is part of what is measured.
  const ranker = new SequenceRanker(decodeBundle(bundleBytes), opts.params ?? {});
  // Bundle items are numbered in tie order (by item id), so index order breaks ties.
  const index = new ItemIndex(train.flatMap((s) => s.events.map((e) => e.itemId)));
  const scorers: [string, () => NextItemScorer][] = [
    ['localrec', () => ranker],
    ['pop', () => new PopBaseline(train, index)],
    ['spop', () => new SessionPopBaseline(train, index)],
    ['sr', () => new SequentialRulesBaseline(train, index)],
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
    results,
  };
}

function parseArgs(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new LocalrecError('invalid_argument', `Unexpected argument "${a}".`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out.set(a.slice(2), 'true');
    else out.set(a.slice(2), (i++, next));
  }
  return out;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const trainFile = args.get('train');
  const testFile = args.get('test');
  const splitDays = args.has('split-days') ? Number(args.get('split-days')) : undefined;
  if (!trainFile || (!testFile && splitDays === undefined)) {
    throw new LocalrecError('invalid_argument', 'Usage: npm run eval -- --train FILE (--test FILE | --split-days N) [--json] [--bundle-min-support K]');
  }
  const format = args.get('format') as LogFormat | undefined;
  let train = readSessions(trainFile, format);
  let test: LogSession[];
  if (splitDays !== undefined) ({ train, validation: test } = splitLastDays(train, splitDays));
  else test = readSessions(testFile!, format);
  const k = args.has('bundle-min-support') ? Number(args.get('bundle-min-support')) : undefined;
  const report: EvalReport = {
    train: trainFile,
    test: testFile ?? `${trainFile} (last ${splitDays} day(s))`,
    ...evaluate(train, test, {
      ...(k !== undefined ? { minSupport: k } : {}),
      ...(args.has('params') ? { params: JSON.parse(args.get('params')!) } : {}),
      ...(args.has('build') ? { build: JSON.parse(args.get('build')!) } : {}),
      ...(args.has('methods') ? { methods: args.get('methods')!.split(',') } : {}),
    }),
  };
  if (args.has('json')) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(`train ${report.train}\ntest  ${report.test}\n${report.predictions} predictions`);
  const b = report.bundle;
  console.log(`bundle: ${b.items} items, ${b.bytes} bytes, ${b.gzipBytes} gzip (${(b.gzipBytes / b.items).toFixed(1)} B/item)\n`);
  const cols = ['hr@20', 'mrr@20', 'hr@10', 'mrr@10', 'ndcg@20', 'msPerPrediction'];
  console.log(['method'.padEnd(10), ...cols.map((c) => c.padStart(9))].join(' '));
  for (const [name, m] of Object.entries(report.results)) {
    console.log([name.padEnd(10), ...cols.map((c) => m[c]!.toFixed(4).padStart(9))].join(' '));
  }
}

// Run only as a script, so tests can import evaluate().
if (process.argv[1] && /eval\.ts$/.test(process.argv[1])) {
  await runTool('eval', 'npm run eval -- --train FILE (--test FILE | --split-days N) [--json] [--bundle-min-support K] [--format F]', main);
}
