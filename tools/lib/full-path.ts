/**
 * The full-path replay of `npm run eval -- --full-path`: test sessions through the code the
 * worker runs for `track()` and `recommend()`, with the session-rec protocol of
 * `replaySessions` (events of items unknown to training dropped; every event after a session's
 * first predicted from the prefix before it; all training items candidates; HR/MRR@k by the
 * target's place in the top 20).
 *
 * Each test session is a new shopper: an empty profile, to which each event of the prefix is
 * added as the worker's write path adds it (`validateEvent` at the log's time, `isDuplicate`
 * against the previous event, then `applyUpdate`, automated-traffic watch included). Each
 * prediction is then what `Engine.recommend({ k: 20 })` computes: the candidates, the profile's
 * query vector, its cosine to every candidate on TensorFlow.js through the worker's own
 * `TfScorer` (here on the cpu backend of tfjs-core), the bundle's scores through
 * `CatalogSequenceRanker`, and `rank()` with its filters, blend, novelty damping and top-k.
 *
 * Two settings: 'strip' is the defaults a shopper sees; 'next-click' turns the damping of items
 * already seen this session off (`RankContext.seenDamping = 1`), since a strip may rightly damp
 * what was just seen while a next-click prediction must not. No filter hides a viewed item (only
 * the cart, purchases, exclusions, the shown item and removed interests are filtered, and a
 * click log has none of those), so nothing else needs turning off.
 */
import '@tensorflow/tfjs-backend-cpu';
import { setBackend } from '@tensorflow/tfjs-core';
import { categoryKey, type Catalog } from '../../src/core/catalog';
import { isDuplicate, validateEvent, type CleanEvent } from '../../src/core/events';
import { emptyProfile } from '../../src/core/profile/state';
import { applyUpdate } from '../../src/core/profile/update';
import { candidateIndices } from '../../src/core/ranking/candidates';
import { queryVector } from '../../src/core/ranking/query';
import { rank } from '../../src/core/ranking/rank';
import type { RecommendRequest } from '../../src/core/ranking/request';
import type { CatalogSequenceRanker } from '../../src/core/ranking/signals/sequence';
import { catalogVariety } from '../../src/core/ranking/signals/variety';
import { MetricAccumulator, type MetricSummary } from '../../src/core/sequence/next-item-metrics';
import type { LogSession } from '../../src/core/sequence/types';
import { TfScorer } from '../../workers/scorer';

/** The two settings the full path is measured in (see the module comment). */
export const FULL_PATH_MODES = {
  'next-click': { seenDamping: 1 },
  strip: {},
} as const satisfies Record<string, { seenDamping?: number }>;

export type FullPathMode = keyof typeof FULL_PATH_MODES;

/** What one event-by-event replay saw on its way; the same in both modes. */
export interface FullPathEvents {
  /** Test events of training items, in sessions of two or more such events. */
  readonly events: number;
  /** Dropped by `isDuplicate` (the same item again within a second), as the worker drops them. */
  readonly duplicates: number;
  /** Predictions made while the automated-traffic watch held events back from the profile. */
  readonly predictionsWhileHeld: number;
  /** Events the watch kept out of the profile, and sessions it judged automated. */
  readonly ignored: number;
  readonly judgedSessions: number;
  /** Predictions made after a 30-minute gap had started a new profile session within the log's session. */
  readonly predictionsAfterGap: number;
}

/** One mode's figures. */
export interface FullPathResult {
  readonly metrics: MetricSummary;
  /** The same metrics over the predictions whose target the session had already looked at. */
  readonly repeats: MetricSummary;
  /** Mean milliseconds per prediction of what `recommend()` times: query, tfjs cosine, sequence scores, rank. */
  readonly msPerPrediction: number;
  /** Seconds for the whole replay, profile updates included. */
  readonly wallSeconds: number;
  readonly events: FullPathEvents;
  /** What the lists held, mean per prediction: see {@link ListDiversity}. */
  readonly diversity: ListDiversity;
}

/**
 * Intra-list diversity of the top 20, mean per prediction: `ild` the mean pairwise 1 − cosine of
 * the items' catalog vectors; `categories` the distinct leaf categories (null where the catalog's
 * categories do not tell items apart).
 */
export interface ListDiversity {
  readonly ild: number;
  readonly categories: number | null;
}

/** The mean pairwise 1 − cosine of catalog items `list` (rows are L2-normalised); 0 for fewer than two. */
export function intraListDistance(catalog: Catalog, list: readonly number[]): number {
  const { dim, matrix: m } = catalog;
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < list.length; a++) {
    for (let b = a + 1; b < list.length; b++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += m[list[a]! * dim + d]! * m[list[b]! * dim + d]!;
      sum += 1 - dot;
      pairs++;
    }
  }
  return pairs ? sum / pairs : 0;
}

/** Makes tfjs-core compute on its cpu backend (the one backend that runs in plain Node). */
export async function useCpuBackend(): Promise<void> {
  if (!(await setBackend('cpu'))) throw new Error('The tfjs cpu backend could not be initialised.');
}

/** Seconds since the epoch, as the logs give them, to the milliseconds events carry. */
const toMs = (seconds: number) => Math.round(seconds * 1000);

/**
 * Replays `test` through the worker's path on `catalog` (see the module comment). `sequence` is
 * the bundle bound to the catalog, as the worker loads it; undefined ranks without a bundle.
 */
export async function replayFullPath(
  catalog: Catalog,
  sequence: CatalogSequenceRanker | undefined,
  test: readonly LogSession[],
  mode: FullPathMode,
  /** Request fields beside `k: 20` (`diversity`, `explore`, caps: eval's --diversity and --explore). */
  extra: Omit<RecommendRequest, 'k'> = {},
): Promise<FullPathResult> {
  await useCpuBackend();
  const started = performance.now();
  const scorer = new TfScorer(catalog.dim);
  scorer.load(catalog.matrix, catalog.items.length);
  const request: RecommendRequest = { ...extra, k: 20 };
  const withCategories = catalogVariety(catalog).categories;
  let ild = 0;
  let categories = 0;
  const all = new MetricAccumulator();
  const repeats = new MetricAccumulator();
  const counts = { events: 0, duplicates: 0, predictionsWhileHeld: 0, ignored: 0, judgedSessions: 0, predictionsAfterGap: 0 };
  let recommendMs = 0;
  try {
    for (const s of test) {
      const events = s.events.filter((e) => catalog.index.has(e.itemId));
      if (events.length < 2) continue;
      counts.events += events.length;
      const profile = emptyProfile(catalog.dim, toMs(events[0]!.time));
      let last: CleanEvent | undefined;
      for (let t = 0; t < events.length; t++) {
        if (t > 0) {
          const target = events[t]!.itemId;
          const now = toMs(events[t - 1]!.time);
          const t0 = performance.now();
          const candidates = candidateIndices(catalog, request);
          const q = queryVector(profile, catalog, now, request.context);
          const similarity = q ? await scorer.score(q) : new Float32Array(candidates.length);
          const ctx = { catalog, profile, request, now, sequence: sequence?.scoresFor(profile), ...FULL_PATH_MODES[mode] };
          const top = rank(ctx, candidates, similarity);
          recommendMs += performance.now() - t0;
          const r = top.findIndex((item) => item.id === target) + 1;
          const shown = top.map((item) => catalog.index.get(item.id)!);
          ild += intraListDistance(catalog, shown);
          categories += new Set(shown.map((i) => categoryKey(catalog.items[i]!.category))).size;
          all.add(r);
          if (events.slice(0, t).some((e) => e.itemId === target)) repeats.add(r);
          if (profile.botWatch?.held.length) counts.predictionsWhileHeld++;
          if (profile.sessions > 1) counts.predictionsAfterGap++;
        }
        const e = events[t]!;
        const event = validateEvent({ type: 'view', itemId: e.itemId, time: toMs(e.time) }, toMs(e.time));
        if (isDuplicate(last, event)) {
          counts.duplicates++;
          continue;
        }
        applyUpdate(profile, event, { catalog, lifecycle: undefined, now: event.time });
        last = event;
      }
      counts.ignored += profile.automated?.ignored ?? 0;
      counts.judgedSessions += profile.automated?.visits ? 1 : 0;
    }
  } finally {
    scorer.dispose();
  }
  const metrics = all.summary();
  return {
    metrics,
    repeats: repeats.summary(),
    msPerPrediction: metrics.predictions ? recommendMs / metrics.predictions : 0,
    wallSeconds: (performance.now() - started) / 1000,
    events: counts,
    diversity: {
      ild: metrics.predictions ? ild / metrics.predictions : 0,
      categories: withCategories && metrics.predictions ? categories / metrics.predictions : null,
    },
  };
}
