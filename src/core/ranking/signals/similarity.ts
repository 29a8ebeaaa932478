import { itemTitle, itemVector } from '../../catalog';
import { EVENT_TABLE } from '../../events';
import type { Signal } from './signal';
import { hasContent } from './variety';

/** How many distinct recent items are searched for the one a "similar to" reason names. */
const RECENT_LOOKBACK = 15;
/** Below this cosine the closest recent item is too loose a likeness to name. */
const MIN_NAMED_COSINE = 0.2;

/** Cosine of the item to the profile's query vector (computed on tfjs by the worker; see Pool). */
export const similaritySignal: Signal = {
  values(_ctx, pool, out = new Float32Array(pool.similarity.length)) {
    for (let c = 0; c < out.length; c++) out[c] = Math.max(0, pool.similarity[c]!);
    return out;
  },
  // Hashed embeddings of items that share no content field are each item's identity: the cosine
  // says only "seen before" (the sequence signal's repeat weight, fitted to the store, says that)
  // plus hash collisions.
  informative: ({ catalog }) => hasContent(catalog),
  reason({ catalog, profile: p, request }, i, weight) {
    const ctx = request.context?.itemId;
    if (ctx !== undefined && catalog.index.has(ctx)) {
      return { kind: 'context', itemId: ctx, weight, text: `Similar to ${itemTitle(catalog, ctx)}, which you are looking at` };
    }
    // The remembered item closest to this one is the evidence a shopper recognises.
    const row = itemVector(catalog, i);
    let best: { id: string; verb: string; cos: number } | undefined;
    const seen = new Set<string>();
    for (let r = p.recent.length - 1; r >= 0 && seen.size < RECENT_LOOKBACK; r--) {
      const { itemId, type } = p.recent[r]!;
      const j = catalog.index.get(itemId);
      if (j === undefined || seen.has(itemId) || j === i) continue;
      seen.add(itemId);
      const other = itemVector(catalog, j);
      let cos = 0;
      for (let d = 0; d < row.length; d++) cos += row[d]! * other[d]!;
      if (!best || cos > best.cos) best = { id: itemId, verb: EVENT_TABLE[type].verb, cos };
    }
    if (!best || best.cos <= MIN_NAMED_COSINE) return undefined;
    return { kind: 'similar_to', itemId: best.id, weight, text: `Similar to ${itemTitle(catalog, best.id)}, which you ${best.verb}` };
  },
};
