import { LocalrecError } from '../errors';

/**
 * Evaluation metrics for probability models: ROC AUC, Brier score, reliability table and
 * expected calibration error, plus stratified fold assignment for cross-validation.
 */

function checkPair(scores: readonly number[], labels: readonly number[]): void {
  if (scores.length !== labels.length || scores.length === 0) {
    throw new LocalrecError('invalid_argument', `need equally long, non-empty scores and labels (${scores.length} vs ${labels.length})`);
  }
}

/**
 * ROC AUC as the Mann–Whitney statistic: the probability a random positive outscores a random
 * negative, ties counting one half. NaN when only one class is present.
 *
 * @example rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) // 0.75
 */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  checkPair(scores, labels);
  const order = scores.map((s, i) => ({ s, y: labels[i]! })).sort((p, q) => p.s - q.s);
  // Average ranks over ties, then AUC = (sum of positive ranks − n+(n+ + 1)/2) / (n+ n−).
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]!.s === order[i]!.s) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (order[k]!.y === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = order.length - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Mean squared error of predicted probabilities against 0/1 outcomes. */
export function brierScore(probs: readonly number[], labels: readonly number[]): number {
  checkPair(probs, labels);
  let s = 0;
  for (let i = 0; i < probs.length; i++) s += (probs[i]! - labels[i]!) ** 2;
  return s / probs.length;
}

/** One bin of a reliability table. */
export interface ReliabilityBin {
  count: number;
  minPredicted: number;
  maxPredicted: number;
  meanPredicted: number;
  observedRate: number;
}

/**
 * Reliability table with equal-count bins (sorted by prediction). Equal counts rather than
 * equal widths because purchase rates are low: equal-width bins would put nearly every
 * session in the first bin.
 */
export function reliabilityTable(probs: readonly number[], labels: readonly number[], bins = 5): ReliabilityBin[] {
  checkPair(probs, labels);
  const order = probs.map((p, i) => ({ p, y: labels[i]! })).sort((a, b) => a.p - b.p);
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * order.length) / bins);
    const to = Math.floor(((b + 1) * order.length) / bins);
    if (to <= from) continue;
    const slice = order.slice(from, to);
    out.push({
      count: slice.length,
      minPredicted: slice[0]!.p,
      maxPredicted: slice[slice.length - 1]!.p,
      meanPredicted: slice.reduce((s, e) => s + e.p, 0) / slice.length,
      observedRate: slice.reduce((s, e) => s + e.y, 0) / slice.length,
    });
  }
  return out;
}

/** Expected calibration error: count-weighted mean |predicted − observed| over the reliability bins. */
export function expectedCalibrationError(probs: readonly number[], labels: readonly number[], bins = 5): number {
  const table = reliabilityTable(probs, labels, bins);
  const n = table.reduce((s, b) => s + b.count, 0);
  return table.reduce((s, b) => s + (b.count / n) * Math.abs(b.meanPredicted - b.observedRate), 0);
}

/** Small seeded PRNG (mulberry32) so folds are reproducible without a dependency. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Assigns each example a fold in [0, k) so every fold has the same share of positives
 * (each class shuffled with the seed, then dealt round-robin).
 */
export function stratifiedFolds(labels: readonly number[], k: number, seed = 1): number[] {
  if (!(Number.isInteger(k) && k >= 2)) throw new LocalrecError('invalid_argument', `k must be an integer >= 2, got ${k}`);
  const rand = seededRandom(seed);
  const folds = new Array<number>(labels.length).fill(0);
  for (const cls of [0, 1]) {
    const idx = labels.map((y, i) => (y === cls ? i : -1)).filter((i) => i >= 0);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    idx.forEach((row, n) => (folds[row] = n % k));
  }
  return folds;
}
