import { categoryKey, itemVector, type Catalog } from '../catalog';
import { LocalrecError } from '../errors';
import { normalize, priceBand } from '../hash-embedding';
import { affinityAt, decayFactor, PROFILE_SETTINGS, type Profile } from '../profile';
import { topK } from './top-k';

/** What the page asks `recommend()` for. */
export interface RecommendRequest {
  /** How many items to return (1..500). */
  k: number;
  /** Rank only these item ids (the store's own candidate list); default: the whole catalog. */
  candidates?: string[];
  /** Never return these ids. */
  exclude?: string[];
  /** The page's context: the product being shown ("more like this") or a category being browsed. */
  context?: { itemId?: string; category?: string };
}

export type ReasonKind = 'similar_to' | 'sequence' | 'category' | 'brand' | 'price_band' | 'context' | 'popular';

/** Why an item was recommended: a signal, its share of the score, and words for a person. */
export interface Reason {
  kind: ReasonKind;
  text: string;
  /** This signal's contribution to the item's score. */
  weight: number;
  itemId?: string;
  category?: string;
}

export interface Recommendation {
  id: string;
  score: number;
  reasons: Reason[];
}

/** Sequence-aware scores from the server bundle, already aligned to catalog indices. */
export interface SessionSignal {
  scores: Float32Array;
  /** The session items behind an item's score, strongest first. */
  explain(catalogIndex: number): { itemId: string; weight: number }[];
}

/** Weights of the blend. Similarity and affinities are in [0, 1]; so are session scores and prior after scaling. */
export const RANK_WEIGHTS = {
  similarity: 1,
  category: 0.5,
  brand: 0.2,
  priceBand: 0.1,
  session: 0.8,
  prior: 0.15,
  /** How much the session outweighs long-term interest in the query vector while the session is fresh. */
  sessionShare: 0.65,
  /**
   * Items the shopper already looked at in this session keep this share of their score: still
   * candidates (people do go back), but the strip is not filled with what they just saw.
   */
  seenDamping: 0.5,
  /** Items bought in the last 30 days are not recommended again. */
  justBoughtMs: 30 * 86_400_000,
};

/** Checks a request from the page; throws `LocalrecError('invalid_argument')` naming the field. */
export function validateRequest(input: unknown): RecommendRequest {
  const bad = (field: string, what: string): never => {
    throw new LocalrecError('invalid_argument', `recommend(): \`${field}\` ${what}.`, field);
  };
  if (typeof input !== 'object' || input === null) return bad('request', 'must be an object such as { k: 10 }');
  const r = input as Record<string, unknown>;
  const k = r.k ?? 10;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 500) bad('k', 'must be a whole number from 1 to 500');
  const ids = (v: unknown, f: string) => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return bad(f, 'must be an array of item ids');
    return v as string[];
  };
  const out: RecommendRequest = { k: k as number };
  const candidates = ids(r.candidates, 'candidates');
  const exclude = ids(r.exclude, 'exclude');
  if (candidates) out.candidates = candidates;
  if (exclude) out.exclude = exclude;
  if (r.context !== undefined) {
    const c = r.context as Record<string, unknown>;
    if (typeof c !== 'object' || c === null) bad('context', 'must be an object');
    out.context = {};
    if (typeof c.itemId === 'string') out.context.itemId = c.itemId;
    if (typeof c.category === 'string') out.context.category = c.category;
  }
  return out;
}

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
    const share = p.session.vector.weight > 0 ? RANK_WEIGHTS.sessionShare * fresh : 0;
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

/** Catalog indices to rank: the request's candidates (unknown ids skipped) or the whole catalog. */
export function candidateIndices(catalog: Catalog, req: RecommendRequest): Int32Array {
  if (!req.candidates) return Int32Array.from(catalog.items.keys());
  const out: number[] = [];
  for (const id of req.candidates) {
    const i = catalog.index.get(id);
    if (i !== undefined) out.push(i);
  }
  return Int32Array.from(out);
}

interface Affinities { category: Map<string, number>; brand: Map<string, number>; price: Map<string, number> }

/** Affinities decayed to now and scaled so the strongest of each kind is 1. */
function scaledAffinities(p: Profile, now: number): Affinities {
  const scale = (rec: Record<string, { score: number; time: number }>) => {
    const m = new Map<string, number>();
    let max = 0;
    for (const [k, a] of Object.entries(rec)) {
      const v = affinityAt(a, now);
      if (v > 0) m.set(k, v);
      max = Math.max(max, v);
    }
    for (const [k, v] of m) m.set(k, v / max);
    return m;
  };
  return { category: scale(p.categories), brand: scale(p.brands), price: scale(p.priceBands) };
}

function isSuppressed(p: Profile, catalog: Catalog, i: number): boolean {
  if (p.suppressed.length === 0) return false;
  const item = catalog.items[i]!;
  const path = categoryKey(item.category);
  return p.suppressed.some((s) =>
    (s.startsWith('category:') && (path === s.slice(9) || path.startsWith(`${s.slice(9)} > `))) ||
    (item.brand !== undefined && s === `brand:${item.brand}`));
}

export interface RankInputs {
  catalog: Catalog;
  profile: Profile;
  request: RecommendRequest;
  now: number;
  candidates: Int32Array;
  /** cos(candidate, query) aligned with `candidates`. */
  similarity: Float32Array;
  session?: SessionSignal | undefined;
}

/**
 * Blends similarity to the profile, affinities, the bundle's session scores and the server's
 * popularity prior; drops unavailable, just-bought, in-cart, excluded and suppressed items;
 * returns the top k, each with the reasons that drove it.
 */
export function rank(inp: RankInputs): Recommendation[] {
  const { catalog, profile: p, request: req, now, candidates, similarity } = inp;
  const W = RANK_WEIGHTS;
  const aff = scaledAffinities(p, now);
  const sess = inp.session?.scores;
  let sessMax = 0;
  if (sess) for (const i of candidates) sessMax = Math.max(sessMax, sess[i]!);
  const blocked = new Set<string>(req.exclude ?? []);
  for (const purchase of p.purchases) if (now - purchase.time < W.justBoughtMs) purchase.itemIds.forEach((id) => blocked.add(id));
  for (const id of Object.keys(p.cart)) blocked.add(id);
  if (req.context?.itemId) blocked.add(req.context.itemId);

  const parts = (c: number) => {
    const i = candidates[c]!;
    const item = catalog.items[i]!;
    let cat = 0;
    for (let d = item.category.length; d >= 1 && cat === 0; d--) cat = (aff.category.get(categoryKey(item.category, d)) ?? 0) * (d / item.category.length);
    const ctxCat = req.context?.category !== undefined && categoryKey(item.category).startsWith(req.context.category) ? 1 : 0;
    return {
      similarity: W.similarity * Math.max(0, similarity[c]!),
      category: W.category * Math.max(cat, ctxCat),
      brand: W.brand * (item.brand === undefined ? 0 : aff.brand.get(item.brand) ?? 0),
      priceBand: W.priceBand * (aff.price.get(String(priceBand(item.price))) ?? 0),
      session: sess && sessMax > 0 ? W.session * (sess[i]! / sessMax) : 0,
      prior: W.prior * catalog.prior[i]!,
    };
  };
  const seen = new Set(p.session.events.map((e) => e.itemId));
  const scores = new Float32Array(candidates.length);
  for (let c = 0; c < candidates.length; c++) {
    const s = parts(c);
    const damp = seen.has(catalog.items[candidates[c]!]!.id) ? W.seenDamping : 1;
    scores[c] = damp * (s.similarity + s.category + s.brand + s.priceBand + s.session + s.prior);
  }
  const exclude = (c: number) => {
    const i = candidates[c]!;
    const item = catalog.items[i]!;
    return !item.available || blocked.has(item.id) || isSuppressed(p, catalog, i);
  };
  return topK(scores, req.k, { exclude }).map(({ index: c, score }) => ({
    id: catalog.items[candidates[c]!]!.id,
    score: Math.round(score * 1e4) / 1e4,
    reasons: reasonsFor(inp, candidates[c]!, parts(c)),
  }));
}

function title(catalog: Catalog, id: string): string {
  const i = catalog.index.get(id);
  return i === undefined ? id : catalog.items[i]!.title;
}

const VERB: Record<string, string> = {
  view: 'viewed', click: 'clicked', add_to_cart: 'added to your cart', purchase: 'bought', remove_from_cart: 'removed from your cart',
};

function reasonsFor(inp: RankInputs, i: number, parts: Record<'similarity' | 'category' | 'brand' | 'priceBand' | 'session' | 'prior', number>): Reason[] {
  const { catalog, profile: p, request: req } = inp;
  const item = catalog.items[i]!;
  const out: Reason[] = [];
  if (parts.similarity > 0.05) {
    // The remembered item closest to this one is the evidence a shopper recognises.
    const row = itemVector(catalog, i);
    let best: { id: string; type: string; cos: number } | undefined;
    const seen = new Set<string>();
    for (let r = p.recent.length - 1; r >= 0 && seen.size < 15; r--) {
      const { itemId, type } = p.recent[r]!;
      const j = catalog.index.get(itemId);
      if (j === undefined || seen.has(itemId) || j === i) continue;
      seen.add(itemId);
      const other = itemVector(catalog, j);
      let cos = 0;
      for (let d = 0; d < row.length; d++) cos += row[d]! * other[d]!;
      if (!best || cos > best.cos) best = { id: itemId, type, cos };
    }
    const ctx = req.context?.itemId;
    if (ctx !== undefined && catalog.index.has(ctx)) {
      out.push({ kind: 'context', itemId: ctx, weight: parts.similarity, text: `Similar to ${title(catalog, ctx)}, which you are looking at` });
    } else if (best && best.cos > 0.2) {
      out.push({ kind: 'similar_to', itemId: best.id, weight: parts.similarity, text: `Similar to ${title(catalog, best.id)}, which you ${VERB[best.type] ?? 'viewed'}` });
    }
  }
  if (parts.session > 0.05) {
    const top = inp.session?.explain(i)[0];
    if (top) out.push({ kind: 'sequence', itemId: top.itemId, weight: parts.session, text: `Shoppers who looked at ${title(catalog, top.itemId)} often look at this next` });
  }
  if (parts.category > 0.05) {
    const category = categoryKey(item.category);
    out.push({ kind: 'category', category, weight: parts.category, text: `You have been browsing ${category}` });
  }
  if (parts.brand > 0.05 && item.brand) out.push({ kind: 'brand', weight: parts.brand, text: `You like the ${item.brand} range` });
  if (parts.priceBand > 0.05) out.push({ kind: 'price_band', weight: parts.priceBand, text: 'In the price range you usually look at' });
  if (out.length === 0 || parts.prior > Math.max(...out.map((r) => r.weight))) {
    out.push({ kind: 'popular', weight: parts.prior, text: 'Popular in this store' });
  }
  return out.sort((a, b) => b.weight - a.weight).map((r) => ({ ...r, weight: Math.round(r.weight * 1e3) / 1e3 }));
}
