import { LocalrecError } from '../errors';

/** One entry of a top-k list. */
export interface Scored {
  readonly index: number;
  readonly score: number;
}

/** Options for {@link topK}. */
export interface TopKOptions {
  /** Skip indices for which this returns true (already bought, out of stock, ...). */
  readonly exclude?: (index: number) => boolean;
  /**
   * Rank of each index in a deterministic order (for example item ids sorted): among equal
   * scores the lower rank wins. Without it the lower index wins.
   */
  readonly tieOrder?: Int32Array | Uint32Array;
}

/**
 * The k best indices of `scores`, best first, with deterministic tie breaking. O(n log k):
 * a bounded min-heap whose root is the worst kept entry, so most candidates cost one compare.
 * NaN scores are never returned.
 *
 * @example
 * topK(new Float32Array([0.1, 0.9, 0.5]), 2); // [{index: 1, score: 0.9}, {index: 2, score: 0.5}]
 */
export function topK(scores: Float32Array, k: number, opts: TopKOptions = {}): Scored[] {
  if (!Number.isInteger(k) || k < 0) {
    throw new LocalrecError('invalid_argument', `topK needs a whole number k >= 0, got ${k}.`);
  }
  const tie = opts.tieOrder;
  if (tie && tie.length < scores.length) {
    throw new LocalrecError('invalid_argument', 'topK tieOrder must have one rank per score.');
  }
  const exclude = opts.exclude;
  const n = scores.length;
  if (k === 0 || n === 0) return [];
  const heapIdx = new Int32Array(k);
  const heapScore = new Float64Array(k);
  let size = 0;
  const rank = (i: number): number => (tie ? tie[i]! : i);
  // a is worse than b: lower score, or equal score and later in the tie order.
  const worse = (sa: number, ia: number, sb: number, ib: number): boolean =>
    sa < sb || (sa === sb && rank(ia) > rank(ib));

  const siftDown = (pos: number): void => {
    const s = heapScore[pos]!;
    const idx = heapIdx[pos]!;
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= size) break;
      const r = l + 1;
      let c = l;
      if (r < size && worse(heapScore[r]!, heapIdx[r]!, heapScore[l]!, heapIdx[l]!)) c = r;
      if (!worse(heapScore[c]!, heapIdx[c]!, s, idx)) break;
      heapScore[pos] = heapScore[c]!;
      heapIdx[pos] = heapIdx[c]!;
      pos = c;
    }
    heapScore[pos] = s;
    heapIdx[pos] = idx;
  };

  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (s !== s) continue; // NaN
    if (size === k) {
      const rootScore = heapScore[0]!;
      // Fast reject before the (rare) exclude call and tie comparison.
      if (s < rootScore) continue;
      if (s === rootScore && rank(i) > rank(heapIdx[0]!)) continue;
      if (exclude && exclude(i)) continue;
      heapScore[0] = s;
      heapIdx[0] = i;
      siftDown(0);
    } else {
      if (exclude && exclude(i)) continue;
      // Sift up.
      let pos = size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(s, i, heapScore[parent]!, heapIdx[parent]!)) break;
        heapScore[pos] = heapScore[parent]!;
        heapIdx[pos] = heapIdx[parent]!;
        pos = parent;
      }
      heapScore[pos] = s;
      heapIdx[pos] = i;
    }
  }
  const out: Scored[] = [];
  for (let j = 0; j < size; j++) out.push({ index: heapIdx[j]!, score: heapScore[j]! });
  out.sort((a, b) => b.score - a.score || rank(a.index) - rank(b.index));
  return out;
}
