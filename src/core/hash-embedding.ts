/**
 * On-device item embeddings for items the catalog ships without one.
 *
 * Choice: signed feature hashing (Weinberger et al. 2009) of the item's text and category into a
 * fixed dimension. It needs no vocabulary, no model download and no training, gives the same
 * vector in every browser and in Node, and two items that share words or a category path end up
 * with a high cosine. Features and their weights:
 * - each category path prefix ("Home", "Home > Candles"), weight 1.5 for the leaf, 1 above it,
 *   so items in one leaf category are close and items under one parent are closer than strangers;
 * - each lower-cased title word of 3+ letters (weight 1) and each adjacent word pair (0.5);
 * - the brand (1.0) and the price band (0.5).
 * The vector is L2-normalised so a dot product is a cosine.
 */

export const DEFAULT_DIM = 64;

/** FNV-1a, 32 bit: fast, dependency free and identical everywhere. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Adds one hashed feature: the bucket from one hash, the sign from an independent one. */
export function addFeature(vec: Float32Array, feature: string, weight: number): void {
  const bucket = fnv1a(feature) % vec.length;
  const sign = fnv1a(feature, 0x9747b28c) & 1 ? 1 : -1;
  vec[bucket] = (vec[bucket] ?? 0) + sign * weight;
}

export function normalize(vec: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < vec.length; i++) norm += vec[i]! * vec[i]!;
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < vec.length; i++) vec[i]! *= inv;
  }
  return vec;
}

const STOP = new Set(['the', 'and', 'for', 'with', 'set', 'of']);

export function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 && !STOP.has(w));
}

const BAND_FACTOR = 2.5;
const BAND_OFFSET = 3;

/** Price bands on a log scale (factor 2.5 per band), so £1 and £2 are neighbours, £1 and £20 not. */
export function priceBand(price: number): number {
  return price <= 0 ? 0 : Math.max(0, Math.floor(Math.log(price) / Math.log(BAND_FACTOR)) + BAND_OFFSET);
}

/** The prices of a band, [low, high): the inverse of {@link priceBand}, for a readable range. */
export function priceBandRange(band: number): [number, number] {
  const low = (b: number) => (b <= 0 ? 0 : Math.pow(BAND_FACTOR, b - BAND_OFFSET));
  return [low(band), low(band + 1)];
}

export interface EmbeddableItem {
  title: string;
  category: readonly string[];
  brand?: string | undefined;
  price: number;
}

export function hashEmbedding(item: EmbeddableItem, dim = DEFAULT_DIM): Float32Array {
  const vec = new Float32Array(dim);
  const path = item.category;
  for (let depth = 1; depth <= path.length; depth++) {
    addFeature(vec, `c:${path.slice(0, depth).join('>')}`, depth === path.length ? 1.5 : 1);
  }
  const ws = words(item.title);
  ws.forEach((w, i) => {
    addFeature(vec, `w:${w}`, 1);
    if (i > 0) addFeature(vec, `b:${ws[i - 1]}_${w}`, 0.5);
  });
  if (item.brand) addFeature(vec, `br:${item.brand.toLowerCase()}`, 1);
  addFeature(vec, `p:${priceBand(item.price)}`, 0.5);
  return normalize(vec);
}

/** Embeds a search query the same way as titles, so a query lands near the items it names. */
export function queryEmbedding(query: string, dim = DEFAULT_DIM): Float32Array {
  const vec = new Float32Array(dim);
  const ws = words(query);
  ws.forEach((w, i) => {
    addFeature(vec, `w:${w}`, 1);
    if (i > 0) addFeature(vec, `b:${ws[i - 1]}_${w}`, 0.5);
  });
  return normalize(vec);
}
