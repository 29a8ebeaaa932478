import type { Catalog } from '../src/core/catalog';
import type { RankContext } from '../src/core/ranking/context';
import { similarities } from '../src/core/ranking/query';
import { rank, type Recommendation } from '../src/core/ranking/rank';
import { rankShortlisted } from '../src/core/ranking/shortlist';
import type { BackendReport } from '../src/protocol';
import { Int8Scorer } from './int8-scorer';
import { TfScorer } from './scorer';

/**
 * What scores the catalog in this worker:
 * - `int8`: our kernel (int8-scorer.ts) scores every row approximately, and the ranking re-scores
 *   a shortlist exactly in float32 (src/core/ranking/shortlist.ts). Chosen at start without
 *   measuring anything: on a CPU it reads a quarter of the bytes any float32 backend reads;
 * - `tfjs`: a TensorFlow.js backend scores every row in float32 (scorer.ts): forced by the page,
 *   or a GPU measured faster in the background (`GPU_SWITCH_SHARE`).
 */
export type Scoring = { kind: 'int8'; scorer: Int8Scorer } | { kind: 'tfjs'; scorer: TfScorer };

/**
 * A GPU backend replaces our kernel only when it scores the whole matrix in under this share of
 * the kernel's time: with it, the ranking reads every candidate's total in JS (the exact path),
 * where the kernel's shortlist re-scores a few hundred.
 */
export const GPU_SWITCH_SHARE = 0.5;

/** Every backend a page may force (`EngineOptions.backend`). */
export const BACKEND_NAMES: readonly BackendReport['name'][] = ['int8-wasm', 'int8-js', 'wasm', 'webgl', 'cpu'];

export const isTfjsBackend = (name: string | undefined): name is 'webgl' | 'wasm' | 'cpu' => name === 'webgl' || name === 'wasm' || name === 'cpu';

/** Our kernel on the catalog, with its start-up report: the time of one scoring pass (and why wasm was refused, if it was). */
export function int8Scoring(catalog: Catalog, forced: BackendReport['name'] | undefined): { scoring: Scoring; report: BackendReport } {
  const scorer = new Int8Scorer(catalog.matrix, catalog.items.length, catalog.dim, { wasm: forced !== 'int8-js' });
  // Why WebAssembly was refused, unless the page asked for the JS loop.
  const measured: BackendReport['measured'] = scorer.wasmError && forced !== 'int8-js' ? [{ name: 'int8-wasm', ms: null, error: scorer.wasmError }] : [];
  measured.push({ name: scorer.kind, ms: Math.round(kernelMs(scorer, 1) * 1000) / 1000 });
  return { scoring: { kind: 'int8', scorer }, report: { name: scorer.kind, measured } };
}

/** Median ms of `runs` scoring passes of the kernel over every row (a unit query). */
export function kernelMs(scorer: Int8Scorer, runs: number): number {
  const q = new Float32Array(scorer.dim).fill(1 / Math.sqrt(scorer.dim));
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    scorer.score(q);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** recommend()'s ranking of the candidates for the query `q` (undefined: nothing known, every cosine 0). */
export async function rankWith(scoring: Scoring, ctx: RankContext, candidates: Int32Array, q: Float32Array | undefined, wholeCatalog: boolean): Promise<Recommendation[]> {
  if (scoring.kind === 'int8') {
    return rankShortlisted(ctx, candidates, () => q && scoring.scorer.score(q), (items) => similarities(ctx.catalog, items, q));
  }
  const similarity = q ? await scoring.scorer.score(q, wholeCatalog ? undefined : candidates) : new Float32Array(candidates.length);
  return rank(ctx, candidates, similarity);
}

/** The exact cosines of a few candidates (rerank()): the JS loop with our kernel (as its shortlist uses), else tfjs. */
export async function exactSimilarities(scoring: Scoring, catalog: Catalog, candidates: Int32Array, q: Float32Array | undefined): Promise<Float32Array> {
  if (!q || candidates.length === 0) return new Float32Array(candidates.length);
  return scoring.kind === 'int8' ? similarities(catalog, candidates, q) : scoring.scorer.score(q, candidates);
}
