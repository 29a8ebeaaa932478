/**
 * Learned item vectors as the bundle carries them: int8, one scale per item implied. Each vector
 * is unit length, and the device only needs its direction (rows are L2-normalised again), so a
 * vector is stored as round(127 · v / max|v|) with no scale at all: d bytes per item. The error of
 * a component before renormalising is at most max|v| / 254.
 */
export interface ItemEmbeddings {
  readonly dim: number;
  /** 1 where the item has a learned vector. */
  readonly has: Uint8Array;
  /** items × dim, row-major; unit rows where `has`, zero rows elsewhere. */
  readonly vectors: Float32Array;
}

/** int8 codes of one vector (all zero for a zero vector). */
export function quantiseRow(v: Float32Array): Int8Array {
  let max = 0;
  for (const x of v) max = Math.max(max, Math.abs(x));
  const out = new Int8Array(v.length);
  if (max > 0) for (let i = 0; i < v.length; i++) out[i] = Math.round((127 * v[i]!) / max);
  return out;
}

/** The unit vector of int8 codes (zero when all codes are zero). */
export function dequantiseRow(q: Int8Array): Float32Array {
  const out = new Float32Array(q.length);
  let norm = 0;
  for (let i = 0; i < q.length; i++) norm += q[i]! * q[i]!;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < q.length; i++) out[i] = q[i]! * inv;
  }
  return out;
}
