import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { rocAuc, seededRandom } from './classifier-metrics';
import { parsePurchaseModel, predictPurchaseProbability, trainPurchaseModel, updatePurchaseModel } from './purchase-model';
import { SESSION_FEATURE_NAMES } from './session-features';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function toySet(n: number, seed: number) {
  const rand = seededRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 2;
    // Feature 0 separates the classes; feature 1 is noise; feature 2 is constant.
    rows.push([y * 3 + rand(), rand() * 10, 5]);
    labels.push(y);
  }
  return { rows, labels };
}

describe('purchase model', () => {
  it('training on a separable toy set reaches a high AUC on fresh data', () => {
    const train = toySet(200, 1);
    const model = trainPurchaseModel(train.rows, train.labels, ['signal', 'noise', 'constant'], { l2: 0.01 });
    const test = toySet(200, 2);
    const scores = test.rows.map((r) => predictPurchaseProbability(model, r));
    expect(rocAuc(scores, test.labels)).toBeGreaterThan(0.99);
    expect(Math.abs(model.weights[0]!)).toBeGreaterThan(Math.abs(model.weights[1]!));
    expect(model.weights[2]).toBeCloseTo(0, 6); // constant column learns nothing
    expect(model.prior.weights).toEqual(model.weights);
  });

  it('an update step moves the prediction toward the label and stays near the prior', () => {
    const model = {
      featureNames: ['a', 'b'], mean: [0, 0], std: [1, 1], weights: [0.5, -0.2], bias: -1,
      prior: { weights: [0.5, -0.2], bias: -1 },
    };
    const features = [1, 2];
    const before = predictPurchaseProbability(model, features);
    const up = updatePurchaseModel(model, features, 1, 0.1);
    const down = updatePurchaseModel(model, features, 0, 0.1);
    expect(predictPurchaseProbability(up, features)).toBeGreaterThan(before);
    expect(predictPurchaseProbability(down, features)).toBeLessThan(before);
    expect(model.weights).toEqual([0.5, -0.2]); // pure: the input is untouched
    // Many positive updates with a strong pull stay bounded near the prior.
    let m = model;
    for (let i = 0; i < 2000; i++) m = updatePurchaseModel(m, features, 1, 0.05, 1);
    expect(Math.abs(m.weights[0]! - 0.5)).toBeLessThan(1);
    expect(() => updatePurchaseModel(model, [1], 1, 0.1)).toThrow(/expected 2/);
  });

  it('parsePurchaseModel validates shapes', () => {
    expect(() => parsePurchaseModel({ featureNames: ['a'], mean: [0], std: [0], weights: [1], bias: 0 })).toThrow(/std/);
    expect(() => parsePurchaseModel(null)).toThrow();
    const ok = parsePurchaseModel({ featureNames: ['a'], mean: [0], std: [1], weights: [1], bias: 0 });
    expect(ok.prior).toEqual({ weights: [1], bias: 0 });
  });

  it('the shipped demo model loads and ranks a cart session above a bounce', () => {
    // The model is committed with the demo, so a missing file is a failure, not a reason to skip.
    const shipped = fileURLToPath(new URL('../../../demo/data/purchase-model.json', import.meta.url));
    const model = parsePurchaseModel(JSON.parse(readFileSync(shipped, 'utf8')));
    expect(model.featureNames).toEqual([...SESSION_FEATURE_NAMES]);
    const bounce = [Math.log(2), 0, 0, 0, 0, Math.log(2), Math.log(2), 0, 0, 0, 0, 0, 1, 1];
    const cart = [Math.log(4), 0, Math.log(2), 0, 0, Math.log(3), Math.log(2), Math.log(121), Math.log(41), 0, Math.log(31), 0, 1, 1];
    expect(predictPurchaseProbability(model, cart)).toBeGreaterThan(predictPurchaseProbability(model, bounce));
  });
});
