import * as tf from '@tensorflow/tfjs-core';
import { LocalrecError } from '../errors';

/**
 * Session purchase-probability model: L2-regularised logistic regression on standardised
 * session features. Training uses tfjs-core ops on whatever backend the host registered;
 * prediction and the on-device update are plain JS (a dot product) so the worker can run
 * them on every event without touching the tfjs backend.
 */

/** The model as shipped in JSON (demo/data/purchase-model.json) and as updated on device. */
export interface PurchaseModel {
  featureNames: string[];
  /** Standardisation: z = (feature − mean) / std. */
  mean: number[];
  std: number[];
  weights: number[];
  bias: number;
  /** The shipped weights; on-device updates are pulled back toward them (L2 to the prior). */
  prior: { weights: number[]; bias: number };
}

/** Options for {@link trainPurchaseModel}. */
export interface TrainOptions {
  /** L2 penalty on the weights (per example, on the standardised scale; the bias is not penalised). Default 0.01. */
  l2?: number;
  /** Newton iterations at most. Default 50. */
  maxIterations?: number;
}

function sigmoid(v: number): number {
  return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
}

/** Column means and standard deviations; constant columns get std 1 so they standardise to 0. */
export function standardisation(rows: readonly number[][]): { mean: number[]; std: number[] } {
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) std[j]! += (r[j]! - mean[j]!) ** 2 / rows.length;
  return { mean, std: std.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

/** Solves the small symmetric system H x = g by Gaussian elimination with partial pivoting. */
function solve(h: number[][], g: number[]): number[] {
  const n = g.length;
  const m = h.map((row, i) => [...row, g[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / pivot;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/**
 * Fits the model by Newton's method (iteratively reweighted least squares) on mean log-loss
 * + l2/2·|w|². The gradient and Hessian are tfjs-core matrix ops; the (d+1)² Newton system is
 * solved in plain JS. Analytic derivatives keep tfjs's autodiff (and its gradient registry)
 * out of the worker bundle, and Newton reaches the exact optimum of this convex loss in a few
 * steps with no learning rate to tune.
 *
 * @example
 * await tf.setBackend('cpu');
 * const model = trainPurchaseModel(rows, labels, names);
 */
export function trainPurchaseModel(
  rows: readonly number[][],
  labels: readonly number[],
  featureNames: readonly string[],
  options: TrainOptions = {},
): PurchaseModel {
  const n = rows.length;
  const d = featureNames.length;
  if (n === 0 || labels.length !== n || rows.some((r) => r.length !== d)) {
    throw new LocalrecError('invalid_argument', `need ${n} rows of ${d} features and as many labels (got ${labels.length})`);
  }
  if (labels.some((y) => y !== 0 && y !== 1)) throw new LocalrecError('invalid_argument', 'labels must be 0 or 1');
  const l2 = options.l2 ?? 0.01;
  if (!(l2 >= 0)) throw new LocalrecError('invalid_argument', `l2 must be >= 0, got ${l2}`);
  const { mean, std } = standardisation(rows);
  const design = rows.map((r) => [...r.map((v, j) => (v - mean[j]!) / std[j]!), 1]); // last column: bias
  const rate = Math.min(Math.max(labels.reduce((s, y) => s + y, 0) / n, 1e-4), 1 - 1e-4);
  // Penalty per coefficient: l2 on weights (plus a tiny ridge so constant columns stay solvable), none on the bias.
  const penalty = [...new Array<number>(d).fill(l2 + 1e-9), 0];

  const x = tf.tensor2d(design, [n, d + 1]);
  const y = tf.tensor2d(labels as number[], [n, 1]);
  let beta = [...new Array<number>(d).fill(0), Math.log(rate / (1 - rate))];
  const objective = (b: number[]): number =>
    tf.tidy(() => {
      const logits = tf.matMul(x, tf.tensor2d(b, [d + 1, 1]));
      const nll = tf.mean(tf.sub(tf.softplus(logits), tf.mul(y, logits)));
      return nll.dataSync()[0]! + b.reduce((s, v, j) => s + (penalty[j]! / 2) * v * v, 0);
    });
  try {
    let current = objective(beta);
    for (let it = 0; it < (options.maxIterations ?? 50); it++) {
      const [gradData, hessData] = tf.tidy(() => {
        const p = tf.sigmoid(tf.matMul(x, tf.tensor2d(beta, [d + 1, 1])));
        const grad = tf.div(tf.matMul(x, tf.sub(p, y), true, false), n);
        const weighted = tf.mul(x, tf.mul(p, tf.sub(1, p)));
        const hess = tf.div(tf.matMul(x, weighted, true, false), n);
        return [grad.dataSync(), hess.dataSync()];
      });
      const g = beta.map((v, j) => gradData[j]! + penalty[j]! * v);
      const h = Array.from({ length: d + 1 }, (_, i) =>
        Array.from({ length: d + 1 }, (_, j) => hessData[i * (d + 1) + j]! + (i === j ? penalty[i]! : 0)),
      );
      const step = solve(h, g);
      // Halve the step until the loss does not rise (guards nearly separable data).
      let scale = 1;
      let next = beta.map((v, j) => v - step[j]!);
      let value = objective(next);
      while (!(value <= current) && scale > 1e-6) {
        scale /= 2;
        next = beta.map((v, j) => v - scale * step[j]!);
        value = objective(next);
      }
      const moved = Math.max(...next.map((v, j) => Math.abs(v - beta[j]!)));
      beta = next;
      current = value;
      if (moved < 1e-9) break;
    }
    const weights = beta.slice(0, d);
    const bias = beta[d]!;
    return { featureNames: [...featureNames], mean, std, weights, bias, prior: { weights: [...weights], bias } };
  } finally {
    tf.dispose([x, y]);
  }
}

function checkFeatures(model: PurchaseModel, features: readonly number[]): void {
  if (features.length !== model.weights.length || !features.every(Number.isFinite)) {
    throw new LocalrecError('invalid_argument', `expected ${model.weights.length} finite features, got ${features.length}`);
  }
}

function logit(model: PurchaseModel, features: readonly number[]): number {
  let s = model.bias;
  for (let j = 0; j < features.length; j++) s += model.weights[j]! * ((features[j]! - model.mean[j]!) / model.std[j]!);
  return s;
}

/**
 * P(purchase in this session) for one feature vector (see extractSessionFeatures).
 *
 * @example predictPurchaseProbability(model, extractSessionFeatures(events, context))
 */
export function predictPurchaseProbability(model: PurchaseModel, features: readonly number[]): number {
  checkFeatures(model, features);
  return sigmoid(logit(model, features));
}

/**
 * One on-device SGD step on a single session outcome. Pure: returns a new model. The L2 term
 * pulls the weights toward `model.prior` (not toward zero), so a handful of local sessions
 * nudge the shipped model instead of overwriting it.
 *
 * @example model = updatePurchaseModel(model, features, 1, 0.05)
 */
export function updatePurchaseModel(
  model: PurchaseModel,
  features: readonly number[],
  label: 0 | 1,
  learningRate: number,
  l2 = 0.01,
): PurchaseModel {
  checkFeatures(model, features);
  if (!(learningRate > 0) || !(l2 >= 0)) {
    throw new LocalrecError('invalid_argument', `need learningRate > 0 and l2 >= 0, got ${learningRate}, ${l2}`);
  }
  const err = sigmoid(logit(model, features)) - label;
  const weights = model.weights.map((w, j) => {
    const zj = (features[j]! - model.mean[j]!) / model.std[j]!;
    return w - learningRate * (err * zj + l2 * (w - model.prior.weights[j]!));
  });
  const bias = model.bias - learningRate * (err + l2 * (model.bias - model.prior.bias));
  return { ...model, weights, bias };
}

function numberArray(v: unknown, len: number | null, field: string): number[] {
  if (!Array.isArray(v) || !v.every((e) => typeof e === 'number' && Number.isFinite(e)) || (len !== null && v.length !== len)) {
    throw new LocalrecError('invalid_data', `purchase model: ${field} must be an array of ${len ?? 'some'} finite numbers`, field);
  }
  return v as number[];
}

/**
 * Checks a parsed JSON object (for example demo/data/purchase-model.json) and returns the model
 * part; extra fields (notes, evaluation) are ignored.
 */
export function parsePurchaseModel(json: unknown): PurchaseModel {
  if (typeof json !== 'object' || json === null) throw new LocalrecError('invalid_data', 'purchase model must be an object');
  const o = json as Record<string, unknown>;
  const names = o['featureNames'];
  if (!Array.isArray(names) || !names.every((s) => typeof s === 'string')) {
    throw new LocalrecError('invalid_data', 'purchase model: featureNames must be strings', 'featureNames');
  }
  const d = names.length;
  const std = numberArray(o['std'], d, 'std');
  if (std.some((s) => s <= 0)) throw new LocalrecError('invalid_data', 'purchase model: std must be positive', 'std');
  const weights = numberArray(o['weights'], d, 'weights');
  const bias = numberArray([o['bias']], 1, 'bias')[0]!;
  const prior = (o['prior'] ?? { weights, bias }) as Record<string, unknown>;
  return {
    featureNames: names as string[],
    mean: numberArray(o['mean'], d, 'mean'),
    std,
    weights,
    bias,
    prior: { weights: numberArray(prior['weights'], d, 'prior.weights'), bias: numberArray([prior['bias']], 1, 'prior.bias')[0]! },
  };
}
