import { topK } from '../ranking/top-k';
import type { NextItemScorer } from './baselines';
import { MetricAccumulator, type MetricSummary } from './next-item-metrics';
import type { LogSession } from './types';

/** Options of {@link replaySessions}. */
export interface ReplayOptions {
  /** Number of items the scorer scores (its candidate set: all training items). */
  readonly itemCount: number;
  /** Maps an item id to its candidate index (undefined = not a training item). */
  readonly indexOf: (id: string) => number | undefined;
  /** Rank of each index in the tie-break order (by item id); default = index order. */
  readonly tieOrder?: Int32Array | Uint32Array;
  /** A clock in milliseconds (performance.now in Node) to report time per prediction. */
  readonly now?: () => number;
}

/** What {@link replaySessions} measured. */
export interface ReplayResult {
  readonly metrics: MetricSummary;
  /** Mean milliseconds for score + top-20 per prediction (0 without a clock). */
  readonly msPerPrediction: number;
}

/**
 * Replays test sessions with the session-rec protocol: events of items unknown to training are
 * dropped and sessions left with fewer than two events skipped (as session-rec filters its test
 * set); the first event of each session is never predicted; every later event is predicted from
 * the full prefix before it; all training items are candidates, items already in the session
 * included; the rank is the target's place in `topK(scores, 20)` with deterministic ties.
 */
export function replaySessions(scorer: NextItemScorer, test: readonly LogSession[], opts: ReplayOptions): ReplayResult {
  const acc = new MetricAccumulator();
  const buf = new Float32Array(opts.itemCount);
  const now = opts.now;
  let ms = 0;
  const topOpts = opts.tieOrder ? { tieOrder: opts.tieOrder } : {};
  for (const s of test) {
    const events = s.events.filter((e) => opts.indexOf(e.itemId) !== undefined);
    for (let t = 1; t < events.length; t++) {
      const target = opts.indexOf(events[t]!.itemId)!;
      const prefix = events.slice(0, t);
      const t0 = now ? now() : 0;
      const scores = scorer.score(prefix, buf);
      const top = topK(scores, 20, topOpts);
      if (now) ms += now() - t0;
      let rank = 0;
      for (let r = 0; r < top.length; r++) {
        if (top[r]!.index === target) {
          rank = r + 1;
          break;
        }
      }
      acc.add(rank);
    }
  }
  const metrics = acc.summary();
  return { metrics, msPerPrediction: metrics.predictions ? ms / metrics.predictions : 0 };
}
