import { concat, expandDims, mul, reshape, sigmoid, sub, sum, tensor2d, tensor3d, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { LocalrecError } from '../errors';
import { seededRandom } from '../lifecycle/classifier-metrics';
import type { LogSession } from '../sequence/types';
import type { ItemEmbeddings } from './quantise';

/**
 * Item2vec (Barkan & Koenigstein 2016): skip-gram with negative sampling over the store's
 * sessions, each session a sentence and each item a word. Items that occur near each other in
 * many sessions get close vectors; an item's learned vector is its input embedding, L2-normalised.
 *
 * The math of each mini-batch (dot products, sigmoids, the gradients of the negative-sampling
 * loss) runs on TensorFlow.js with whichever backend the caller set (the builder uses tfjs-core's
 * cpu backend in Node). The gradients are written out (as word2vec does) rather than taken by
 * autodiff, since tfjs-core's Node build registers no gradient functions; the batch's rows are
 * gathered from, and its gradients added back into, plain Float32Arrays, since the cpu backend's
 * scatter (UnsortedSegmentSum) costs items × batch per step. Plain SGD over mini-batches, the learning rate
 * falling linearly to zero (word2vec's schedule). Every random
 * choice (initial weights, pair order, negatives) comes from a seeded PRNG, and the cpu backend
 * computes in plain single-threaded JavaScript float32, so two runs with one seed give identical
 * vectors (the tests check the bytes).
 */
export interface Item2VecOptions {
  /** Learned dimensions. */
  readonly dim: number;
  /** Context positions on each side of an item. */
  readonly window: number;
  /** Negative samples per positive pair (drawn from counts^0.75). */
  readonly negatives: number;
  /** Passes over all pairs. */
  readonly epochs: number;
  /** Pairs per SGD step. */
  readonly batch: number;
  readonly learningRate: number;
  /** Items seen in fewer distinct sessions than this get no learned vector (privacy floor and noise). */
  readonly minSupport: number;
  readonly seed: number;
}

/** Defaults of {@link Item2VecOptions} (chosen on YooChoose's validation split, see docs/quality.md). */
export const DEFAULT_ITEM2VEC_OPTIONS: Item2VecOptions = {
  dim: 32, window: 3, negatives: 5, epochs: 5, batch: 256, learningRate: 0.05, minSupport: 5, seed: 1,
};

/** Learned vectors, on `itemIds` order, and what training cost. */
export interface TrainedEmbeddings extends ItemEmbeddings {
  readonly pairs: number;
  readonly events: number;
  readonly ms: number;
}

/**
 * Trains item vectors for `itemIds` (the bundle's items, in its order) from `sessions`. Events of
 * items not in `itemIds` are skipped. Items below `minSupport` sessions keep a zero row and
 * `has[i] = 0`.
 */
export function trainItem2Vec(
  sessions: readonly LogSession[],
  itemIds: readonly string[],
  options: Partial<Item2VecOptions> = {},
  now: () => number = () => 0,
): TrainedEmbeddings {
  const o = { ...DEFAULT_ITEM2VEC_OPTIONS, ...options };
  if (!(o.dim >= 1 && o.window >= 1 && o.negatives >= 1 && o.epochs >= 0 && o.batch >= 1 && o.learningRate > 0)) {
    throw new LocalrecError('invalid_argument', `Bad item2vec options ${JSON.stringify(o)}.`);
  }
  const t0 = now();
  const n = itemIds.length;
  const index = new Map(itemIds.map((id, i) => [id, i]));
  const counts = new Float64Array(n);
  const sessionsOf = new Float64Array(n);
  const centers: number[] = [];
  const contexts: number[] = [];
  let events = 0;
  for (const s of sessions) {
    const items = s.events.map((e) => index.get(e.itemId)).filter((i): i is number => i !== undefined);
    events += items.length;
    for (const i of new Set(items)) sessionsOf[i]! += 1;
    for (let p = 0; p < items.length; p++) {
      counts[items[p]!]! += 1;
      for (let q = Math.max(0, p - o.window); q <= Math.min(items.length - 1, p + o.window); q++) {
        if (q !== p && items[q] !== items[p]) {
          centers.push(items[p]!);
          contexts.push(items[q]!);
        }
      }
    }
  }
  const has = new Uint8Array(n);
  for (let i = 0; i < n; i++) has[i] = sessionsOf[i]! >= o.minSupport ? 1 : 0;
  const vectors = new Float32Array(n * o.dim);
  const pairs = centers.length;
  if (pairs === 0 || n < 2) return { dim: o.dim, has: new Uint8Array(n), vectors, pairs, events, ms: now() - t0 };

  const rand = seededRandom(o.seed);
  // Negatives: the unigram distribution to the 3/4 (word2vec's), by binary search on its CDF.
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cdf[i] = acc += Math.pow(counts[i]!, 0.75);
  const sampleNegative = (): number => {
    const x = rand() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const init = (scale: number): Float32Array => {
    const m = new Float32Array(n * o.dim);
    for (let i = 0; i < m.length; i++) m[i] = (rand() - 0.5) * scale;
    return m;
  };
  const win = init(1 / o.dim);
  const wout = new Float32Array(n * o.dim);
  const order = new Int32Array(pairs);
  for (let k = 0; k < pairs; k++) order[k] = k;
  const B = o.batch;
  const K1 = o.negatives + 1;
  const d = o.dim;
  const cBuf = new Int32Array(B);
  const xBuf = new Int32Array(B * K1);
  const uBuf = new Float32Array(B * d);
  const vBuf = new Float32Array(B * K1 * d);
  const steps = o.epochs * Math.ceil(pairs / B);
  let step = 0;
  {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      for (let k = pairs - 1; k > 0; k--) {
        const j = Math.floor(rand() * (k + 1));
        const t = order[k]!;
        order[k] = order[j]!;
        order[j] = t;
      }
      for (let start = 0; start < pairs; start += B) {
        const size = Math.min(B, pairs - start);
        // Row b: the context item, then the negatives; label 1 for the first, 0 for the rest.
        for (let b = 0; b < size; b++) {
          const c = (cBuf[b] = centers[order[start + b]!]!);
          uBuf.set(win.subarray(c * d, c * d + d), b * d);
          for (let q = 0; q < K1; q++) {
            const x = (xBuf[b * K1 + q] = q === 0 ? contexts[order[start + b]!]! : sampleNegative());
            vBuf.set(wout.subarray(x * d, x * d + d), (b * K1 + q) * d);
          }
        }
        const lr = o.learningRate * Math.max(1e-4, 1 - step++ / steps);
        const [gu, gv] = tidy((): Tensor[] => {
          const u = tensor2d(uBuf.subarray(0, size * d), [size, d]);
          const v = tensor3d(vBuf.subarray(0, size * K1 * d), [size, K1, d]);
          const scores = sum(mul(expandDims(u, 1), v), 2); // size × K1
          const labels = concat([tensor2d(new Float32Array(size).fill(1), [size, 1]), tensor2d(new Float32Array(size * (K1 - 1)), [size, K1 - 1])], 1);
          // d(loss)/d(score) for loss = −log σ(s⁺) − Σ log σ(−s⁻) is σ(s) − label.
          const g = expandDims(sub(sigmoid(scores), labels), 2);
          return [sum(mul(g, v), 1), reshape(mul(g, expandDims(u, 1)), [size * K1, d])];
        });
        const du = gu!.dataSync();
        const dv = gv!.dataSync();
        gu!.dispose();
        gv!.dispose();
        for (let b = 0; b < size; b++) {
          const row = cBuf[b]! * d;
          for (let k = 0; k < d; k++) win[row + k]! -= lr * du[b * d + k]!;
        }
        for (let r = 0; r < size * K1; r++) {
          const row = xBuf[r]! * d;
          for (let k = 0; k < d; k++) wout[row + k]! -= lr * dv[r * d + k]!;
        }
      }
    }
    const learned = win;
    for (let i = 0; i < n; i++) {
      if (!has[i]) continue;
      let norm = 0;
      for (let d = 0; d < o.dim; d++) norm += learned[i * o.dim + d]! ** 2;
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let d = 0; d < o.dim; d++) vectors[i * o.dim + d] = learned[i * o.dim + d]! * inv;
    }
  }
  return { dim: o.dim, has, vectors, pairs, events, ms: now() - t0 };
}

