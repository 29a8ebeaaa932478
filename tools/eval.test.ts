import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithSharedData } from '../src/core/testing/shared-data';
import { evaluate, readSessions } from './eval';

describeWithSharedData('diginetica-sample', 'offline evaluation harness on the Diginetica sample', (dir) => {
  it('replays the test sessions: 99 predictions, sane metrics, localrec beats POP', () => {
    const r = evaluate(readSessions(join(dir, 'train.tsv')), readSessions(join(dir, 'test.tsv')));
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
    expect(readSessions(join(dir, 'train-item-views.csv')).length).toBe(2986);
  });
});

describeWithSharedData('yoochoose-100k', 'offline evaluation on YooChoose-100k', (dir) => {
  // Two replays serve every assertion below: the old defaults with every baseline (about 3 s),
  // and localrec alone with the weights fitted on the train file (about 5 s, most of it the fit).
  let report: ReturnType<typeof evaluate> | undefined;
  let fittedReport: ReturnType<typeof evaluate> | undefined;
  const sessions = () => [readSessions(join(dir, 'train.tsv')), readSessions(join(dir, 'test.tsv'))] as const;
  const yoochoose = () => (report ??= evaluate(...sessions(), { fit: false }));
  const fitted = () => (fittedReport ??= evaluate(...sessions(), { methods: ['localrec'] }));

  it('reproduces EVALUATION.md baselines within ±0.005', () => {
    const r = yoochoose();
    expect(r.predictions).toBe(10152);
    const published = { pop: [0.0894, 0.0264], spop: [0.3813, 0.2637], sr: [0.6185, 0.3524], sknn: [0.6428, 0.3204] } as const;
    for (const [name, [hr, mrr]] of Object.entries(published)) {
      expect(Math.abs(r.results[name]!['hr@20']! - hr)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(r.results[name]!['mrr@20']! - mrr)).toBeLessThanOrEqual(0.005);
    }
  });

  it("gives the README's headline HR@20 .7016 / MRR@20 .3787 with localrec's default ranker (--no-fit), within ±0.0005", () => {
    const r = yoochoose();
    const localrec = r.results.localrec!;
    // toBeCloseTo(x, 3) allows |difference| < 0.0005.
    expect(localrec['hr@20']).toBeCloseTo(0.7016, 3);
    expect(localrec['mrr@20']).toBeCloseTo(0.3787, 3);
    expect(r.ranker.fit).toBeNull();
  });

  it('with the weights fitted on the train file (the default), gives HR@20 .7000 / MRR@20 .3828: above VSTAN, and the defaults within noise', () => {
    const r = fitted();
    expect(r.predictions).toBe(10152);
    expect(r.ranker.fit).toMatchObject({ fitted: true });
    const localrec = r.results.localrec!;
    expect(localrec['hr@20']).toBeCloseTo(0.7, 3);
    expect(localrec['mrr@20']).toBeCloseTo(0.3828, 3);
    // VSTAN, the best peer in EVALUATION.md.
    expect(localrec['hr@20']).toBeGreaterThanOrEqual(0.6908);
    expect(localrec['mrr@20']).toBeGreaterThanOrEqual(0.3759);
    // Noise: one standard error of a HR@20 near .70 over 10,152 predictions is .0045.
    const defaults = yoochoose().results.localrec!;
    expect(localrec['hr@20']! + localrec['mrr@20']!).toBeGreaterThan(defaults['hr@20']! + defaults['mrr@20']! - 0.0045);
  });
});
