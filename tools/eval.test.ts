import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, readSessions } from './eval';

// Real data lives beside the project; a fresh clone has none, CI always does.
const DATA = join(__dirname, '..', '..', 'shared', 'data');
const hasData = existsSync(join(DATA, 'diginetica-sample', 'train.tsv'));
if (!hasData) console.warn(`[eval.test] skipped: no evaluation data at ${DATA} (see ../shared/data/README.md)`);

describe.skipIf(!hasData)('offline evaluation harness on real sessions', () => {
  it('replays the Diginetica sample: 99 predictions, sane metrics, localrec beats POP', () => {
    const train = readSessions(join(DATA, 'diginetica-sample', 'train.tsv'));
    const test = readSessions(join(DATA, 'diginetica-sample', 'test.tsv'));
    const r = evaluate(train, test);
    expect(r.predictions).toBe(99);
    for (const m of Object.values(r.results)) {
      expect(m['hr@20']!).toBeGreaterThanOrEqual(m['hr@10']!);
      expect(m['hr@20']!).toBeGreaterThanOrEqual(m['mrr@20']!);
      expect(m['ndcg@20']!).toBeLessThanOrEqual(m['hr@20']!);
    }
    expect(r.results.localrec!['hr@20']!).toBeGreaterThan(r.results.pop!['hr@20']!);
    expect(r.bundle.gzipBytes / r.bundle.items).toBeLessThan(1024);
  });

  it('reads the raw Diginetica views format', () => {
    const sessions = readSessions(join(DATA, 'diginetica-sample', 'train-item-views.csv'));
    expect(sessions.length).toBe(2986);
  });

  it('reproduces EVALUATION.md baselines on YooChoose-100k within ±0.005', () => {
    const dir = join(DATA, 'yoochoose-100k');
    const r = evaluate(readSessions(join(dir, 'train.tsv')), readSessions(join(dir, 'test.tsv')), { methods: ['pop', 'spop', 'sr'] });
    expect(r.predictions).toBe(10152);
    const published = { pop: [0.0894, 0.0264], spop: [0.3813, 0.2637], sr: [0.6185, 0.3524] } as const;
    for (const [name, [hr, mrr]] of Object.entries(published)) {
      expect(Math.abs(r.results[name]!['hr@20']! - hr)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(r.results[name]!['mrr@20']! - mrr)).toBeLessThanOrEqual(0.005);
    }
  });
});
