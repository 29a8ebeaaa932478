/// <reference path="./kernels/wat.d.ts" />
import { LocalrecError } from '../src/core/errors';
import type { ApproxSimilarity } from '../src/core/ranking/shortlist';
import kernelBytes from './kernels/int8-dot.wat';

/** The kernel's integer sums fit in an i32 lane up to this row length (see int8-dot.wat). */
const MAX_STRIDE = 2048;
/** Query values are rounded to int16 steps of max|q| / this. */
const QUERY_STEPS = 32767;
/** Row values are rounded to int8 steps of max|row| / this. */
const ROW_STEPS = 127;
const PAGE = 65536;

interface Kernel {
  memory: WebAssembly.Memory;
  score(rows: number, stride: number, matrix: number, scales: number, query: number, out: number, queryScale: number): void;
}

/** The kernel, compiled; undefined (with why) where WebAssembly or its SIMD is refused (a CSP without 'wasm-unsafe-eval'). */
function compileKernel(): { kernel?: Kernel; error?: string } {
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(kernelBytes as BufferSource));
    return { kernel: instance.exports as unknown as Kernel };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Approximate cosines of every catalog row with a query, reading a quarter of the float32
 * matrix's bytes: each row is kept as int8 with a scale of its own (max|row| / 127), the query
 * is rounded to int16, and the dot products run in a small WebAssembly SIMD kernel
 * (kernels/int8-dot.wat), or a plain JS loop with the same integer arithmetic where WebAssembly
 * is refused. Every value comes with a bound on its error (`ApproxSimilarity`), which the ranking
 * uses to re-score only the rows that can still reach its top k (src/core/ranking/shortlist.ts).
 */
export class Int8Scorer {
  /** What scores: our wasm kernel, or the JS loop when WebAssembly is unavailable (and why). */
  readonly kind: 'int8-wasm' | 'int8-js';
  readonly wasmError: string | undefined;
  private readonly stride: number;
  private readonly kernel: Kernel | undefined;
  private readonly rowsInt8: Int8Array;
  private readonly scales: Float32Array;
  private readonly query: Int16Array;
  private readonly out: Float32Array;
  private readonly offsets: { matrix: number; scales: number; query: number; out: number };

  constructor(matrix: Float32Array, readonly rows: number, readonly dim: number, options: { wasm?: boolean } = {}) {
    if (matrix.length !== rows * dim) throw new LocalrecError('invalid_argument', `Int8Scorer: a ${rows} × ${dim} matrix needs ${rows * dim} values, got ${matrix.length}.`);
    this.stride = Math.ceil(dim / 16) * 16;
    const compiled = options.wasm === false ? { error: 'turned off' } : this.stride > MAX_STRIDE ? { error: `dimension ${dim} is over ${MAX_STRIDE}` } : compileKernel();
    this.kernel = compiled.kernel;
    this.wasmError = compiled.error;
    this.kind = this.kernel ? 'int8-wasm' : 'int8-js';
    // One layout for both: in the kernel's memory, or in a plain buffer for the JS loop.
    const matrixBytes = rows * this.stride;
    const at = (bytes: number, align: number) => Math.ceil(bytes / align) * align;
    this.offsets = { matrix: 0, scales: at(matrixBytes, 16), query: 0, out: 0 };
    this.offsets.query = at(this.offsets.scales + rows * 4, 16);
    this.offsets.out = at(this.offsets.query + this.stride * 2, 16);
    const total = this.offsets.out + rows * 4;
    let buffer: ArrayBuffer;
    if (this.kernel) {
      const { memory } = this.kernel;
      const need = Math.ceil(total / PAGE) - memory.buffer.byteLength / PAGE;
      if (need > 0) memory.grow(need);
      buffer = memory.buffer;
    } else {
      buffer = new ArrayBuffer(total);
    }
    this.rowsInt8 = new Int8Array(buffer, this.offsets.matrix, matrixBytes);
    this.scales = new Float32Array(buffer, this.offsets.scales, rows);
    this.query = new Int16Array(buffer, this.offsets.query, this.stride);
    this.out = new Float32Array(buffer, this.offsets.out, rows);
    this.quantise(matrix);
  }

  /** Bytes this scorer keeps (the int8 rows, their scales, the query and the output). */
  get bytes(): number {
    return this.offsets.out + this.rows * 4;
  }

  /**
   * Approximate cosine of every row with `q` (length `dim`). The values are a view into this
   * scorer's memory: valid until the next call.
   */
  score(q: Float32Array): ApproxSimilarity {
    if (q.length !== this.dim) throw new LocalrecError('invalid_argument', `Int8Scorer: the query has ${q.length} values, the catalog ${this.dim}.`);
    let max = 0;
    let l1 = 0;
    for (let j = 0; j < q.length; j++) {
      const a = Math.abs(q[j]!);
      max = Math.max(max, a);
      l1 += a;
    }
    const step = Math.fround(max / QUERY_STEPS);
    // What rounding the query to int16 steps left over, summed: part of the error bound below.
    let residual = 0;
    for (let j = 0; j < q.length; j++) {
      const v = step === 0 ? 0 : Math.max(-QUERY_STEPS, Math.min(QUERY_STEPS, Math.round(q[j]! / step)));
      this.query[j] = v;
      residual += Math.abs(q[j]! - v * step);
    }
    if (this.kernel) {
      const o = this.offsets;
      this.kernel.score(this.rows, this.stride, o.matrix, o.scales, o.query, o.out, step);
    } else {
      this.scoreInJs(step);
    }
    // For row i, with its scale s_i (so |row - s_i·R| ≤ s_i/2 per value, |s_i·R| ≤ 127·s_i):
    // |row·q - s_i·step·R·Q| ≤ s_i/2·|q|₁ + 127·s_i·residual; the kernel's two f32 roundings add
    // at most 3·2⁻²⁴·128·s_i·(|q|₁ + residual) < 2⁻¹⁵·s_i·(|q|₁ + residual). So the error of row
    // i is at most s_i × queryError, with a little to spare for the float64 sums above.
    const spare = 2 ** -15;
    const queryError = (0.5 + spare + 1e-6) * l1 + (128 + spare) * residual;
    return { values: this.out, rowScale: this.scales, queryError };
  }

  /** Rows rounded to int8 with a scale each (max|row| / 127): |row - scale·R| ≤ scale/2 per value. */
  private quantise(matrix: Float32Array): void {
    const { rows, dim, stride } = this;
    for (let r = 0; r < rows; r++) {
      const base = r * dim;
      let max = 0;
      for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(matrix[base + j]!));
      const scale = Math.fround(max / ROW_STEPS);
      this.scales[r] = scale;
      const out = r * stride;
      for (let j = 0; j < dim; j++) this.rowsInt8[out + j] = scale === 0 ? 0 : Math.max(-ROW_STEPS, Math.min(ROW_STEPS, Math.round(matrix[base + j]! / scale)));
    }
  }

  /** The kernel's arithmetic in JS: the same exact integer sums and the same two f32 roundings. */
  private scoreInJs(step: number): void {
    const { rows, stride, rowsInt8, query, scales, out } = this;
    for (let r = 0, base = 0; r < rows; r++, base += stride) {
      let dot = 0;
      for (let j = 0; j < stride; j++) dot += rowsInt8[base + j]! * query[j]!;
      out[r] = Math.fround(Math.fround(dot) * Math.fround(scales[r]! * step));
    }
  }
}
