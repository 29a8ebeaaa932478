import { LocalrecError } from '../src/core/errors';
import { dispose, gather, matMul, tensor1d, tensor2d, tidy, getBackend, type Tensor2D } from '@tensorflow/tfjs-core';

/**
 * Cosine scores of catalog rows against a query vector on whichever TensorFlow.js backend is
 * active. The catalog matrix is uploaded once and stays resident on the backend (on WebGL a
 * texture, on wasm its heap); a query then moves only `dim` floats in and the scores out.
 */
export class TfScorer {
  private matrix: Tensor2D | undefined;

  constructor(readonly dim: number) {}

  get backend(): string {
    return getBackend();
  }

  /** Replaces the resident matrix (rows are L2-normalised item embeddings). */
  load(matrix: Float32Array, rows: number): void {
    this.dispose();
    this.matrix = tensor2d(matrix, [rows, this.dim]);
  }

  /** One score per row, or per candidate index when given. */
  async score(q: Float32Array, candidates?: Int32Array): Promise<Float32Array> {
    const m = this.matrix;
    if (!m) throw new LocalrecError('not_ready', 'The catalog is not loaded on the tfjs backend yet.');
    const all = !candidates;
    const out = tidy(() => {
      const rows = all ? m : gather(m, tensor1d(candidates!, 'int32'));
      return matMul(rows, tensor2d(q, [this.dim, 1]));
    });
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  dispose(): void {
    if (this.matrix) dispose(this.matrix);
    this.matrix = undefined;
  }
}
