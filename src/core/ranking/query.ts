import { itemVector, type Catalog } from '../catalog';
import { normalize } from '../hash-embedding';
import { decayFactor, PROFILE_SETTINGS, type Profile } from '../profile/state';
import type { RecommendRequest } from './request';

/** How much the session outweighs long-term interest in the query vector while the session is fresh. */
export const SESSION_SHARE = 0.65;

/**
 * The profile's query vector: long-term interest blended with the (time-decayed) session, plus
 * the context item. `undefined` when nothing is known yet, so ranking falls back to popularity.
 */
export function queryVector(p: Profile, catalog: Catalog, now: number, context?: RecommendRequest['context']): Float32Array | undefined {
  const q = new Float32Array(catalog.dim);
  const add = (v: Float32Array, w: number) => {
    let n = 0;
    for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
    if (n === 0 || w === 0) return;
    const s = w / Math.sqrt(n);
    for (let i = 0; i < q.length; i++) q[i] = q[i]! + s * v[i]!;
  };
  if (p.dim === catalog.dim) {
    const fresh = decayFactor(now - p.session.last, PROFILE_SETTINGS.sessionGapMs);
    const share = p.session.vector.weight > 0 ? SESSION_SHARE * fresh : 0;
    add(p.session.vector.vector, share);
    add(p.longTerm.vector, 1 - share);
  }
  const ctx = context?.itemId === undefined ? undefined : catalog.index.get(context.itemId);
  if (ctx !== undefined) add(itemVector(catalog, ctx), 1);
  if (!q.some((x) => x !== 0)) return undefined;
  return normalize(q);
}

/** Plain-JS cosine of each candidate row with `q` (the Node and test path; the worker uses tfjs). */
export function similarities(catalog: Catalog, candidates: Int32Array, q: Float32Array | undefined): Float32Array {
  const out = new Float32Array(candidates.length);
  if (!q) return out;
  const { matrix, dim } = catalog;
  for (let c = 0; c < candidates.length; c++) {
    const base = candidates[c]! * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) s += matrix[base + j]! * q[j]!;
    out[c] = s;
  }
  return out;
}
