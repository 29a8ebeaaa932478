import { describe, expect, it } from 'vitest';
import { seededRandom as random } from '../src/core/lifecycle/classifier-metrics';
import { normalize } from '../src/core/hash-embedding';
import { Int8Scorer } from './int8-scorer';

/** Rows as a catalog has them (L2-normalised), with adversarial ones: one-hot, constant, zero, values on half steps of the int8 grid. */
function matrixOf(rows: number, dim: number, seed: number): Float32Array {
  const rnd = random(seed);
  const m = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const row = new Float32Array(dim);
    const kind = r % 5;
    for (let j = 0; j < dim; j++) {
      row[j] = kind === 0 ? (j === r % dim ? 1 : 0)
        : kind === 1 ? 1
        : kind === 2 ? (r % 10 === 2 ? 0 : (j % 2 ? 127 : 63.5) * (rnd() < 0.5 ? -1 : 1)) // halfway between int8 steps
        : rnd() - 0.5;
    }
    m.set(row.some((x) => x !== 0) ? normalize(row) : row, r * dim);
  }
  return m;
}

function exactScores(m: Float32Array, rows: number, dim: number, q: Float32Array): Float64Array {
  return Float64Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += m[r * dim + j]! * q[j]!;
    return s;
  });
}

describe('Int8Scorer', () => {
  it('runs our wasm kernel in Node, and its scores are bit for bit those of the JS loop', () => {
    const m = matrixOf(500, 37, 1);
    const wasm = new Int8Scorer(m, 500, 37);
    const js = new Int8Scorer(m, 500, 37, { wasm: false });
    expect(wasm.kind).toBe('int8-wasm');
    expect(js.kind).toBe('int8-js');
    expect(js.wasmError).toBe('turned off');
    const q = normalize(Float32Array.from({ length: 37 }, (_, j) => Math.sin(j + 1)));
    expect(Array.from(wasm.score(q).values)).toEqual(Array.from(js.score(q).values));
  });

  it('keeps every score within its bound (rowScale × queryError), on many rows and queries, adversarial ones included', () => {
    for (const [dim, seed] of [[64, 2], [16, 3], [8, 4], [100, 5], [1, 6]] as const) {
      const rows = 400;
      const m = matrixOf(rows, dim, seed);
      const scorer = new Int8Scorer(m, rows, dim);
      const rnd = random(seed * 7);
      for (let t = 0; t < 20; t++) {
        const raw = Float32Array.from({ length: dim }, (_, j) => (t % 4 === 0 ? (j === t % dim ? 1 : 1e-9) : t % 4 === 1 ? 1 : rnd() - 0.5));
        const q = normalize(raw);
        const exact = exactScores(m, rows, dim, q);
        const { values, rowScale, queryError } = scorer.score(q);
        let worst = 0;
        for (let r = 0; r < rows; r++) {
          const bound = rowScale[r]! * queryError;
          expect(Math.abs(exact[r]! - values[r]!), `dim ${dim}, query ${t}, row ${r}`).toBeLessThanOrEqual(bound);
          worst = Math.max(worst, Math.abs(exact[r]! - values[r]!) / (bound || 1));
        }
        // The bound is not vacuous: an int8 grid's error is a real share of it.
        if (dim >= 16 && t % 4 === 3) expect(worst).toBeGreaterThan(0.01);
      }
    }
  });

  it('the bound is half an int8 step of the row times |q|₁, and little more (the query\'s own int16 rounding)', () => {
    const m = matrixOf(1000, 64, 9);
    const q = normalize(Float32Array.from({ length: 64 }, (_, j) => Math.cos(j * 1.3)));
    const l1 = q.reduce((s, x) => s + Math.abs(x), 0);
    const { rowScale, queryError } = new Int8Scorer(m, 1000, 64).score(q);
    for (let r = 0; r < 1000; r++) {
      let max = 0;
      for (let j = 0; j < 64; j++) max = Math.max(max, Math.abs(m[r * 64 + j]!));
      expect(rowScale[r]! * queryError).toBeLessThanOrEqual((max / 127 / 2) * l1 * 1.005 + 1e-12);
    }
  });

  it('rejects a query or a matrix of the wrong size with a typed error', () => {
    const scorer = new Int8Scorer(new Float32Array(8), 2, 4);
    expect(() => scorer.score(new Float32Array(3))).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => new Int8Scorer(new Float32Array(7), 2, 4)).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('takes an all-zero query and all-zero rows: every score 0, exactly', () => {
    const scorer = new Int8Scorer(new Float32Array(32), 2, 16);
    const { values, queryError } = scorer.score(new Float32Array(16));
    expect(Array.from(values)).toEqual([0, 0]);
    expect(queryError).toBe(0);
  });
});
