import { categoryKey, type Catalog } from '../catalog';
import { affinityAt, type Profile } from '../profile/state';
import type { RankContext } from './context';
import { topK } from './top-k';

/**
 * Stage 5, top-k with diversity and exploration (rank.ts calls it in place of plain top-k, and
 * only when the request asks for one of them; pins still run after it).
 *
 * - `diversity` λ ∈ [0, 1]: greedy MMR over the best-scoring window of the pool: the next item is
 *   the argmax of `(1 − λ)·score_norm − λ·max cosine to the items already picked`, with the
 *   scores min-max scaled over the window and the cosine on the catalog's item vectors (rows are
 *   L2-normalised). λ = 0 is today's order.
 * - `maxPerCategory` / `maxPerBrand`: at most this many items of one leaf category / one brand in
 *   the list (items without a brand are not capped).
 * - `explore` share ∈ [0, 1]: round(share·k) slots are kept for the best-scoring items whose leaf
 *   category is outside the profile's {@link TOP_INTERESTS} strongest leaf categories; they carry
 *   the reason `exploreReason` (reasons.ts) and are spread evenly through the list. A profile with no
 *   category interest yet has nothing to explore away from: the slots go to the ranking.
 */

/** The MMR window is this many candidates per slot (at least {@link MIN_WINDOW}), never the whole pool. */
export const WINDOW_PER_SLOT = 10;
export const MIN_WINDOW = 100;
/** How many of the profile's strongest leaf categories count as its top interests for `explore`. */
export const TOP_INTERESTS = 3;

/** True when the request asks for diversity, caps or exploration (else rank.ts keeps plain top-k). */
export function wantsDiversity(req: RankContext['request']): boolean {
  return (req.diversity ?? 0) > 0 || req.maxPerCategory !== undefined || req.maxPerBrand !== undefined || (req.explore ?? 0) > 0;
}

/** The profile's strongest leaf categories (as readable.ts lists them), at most {@link TOP_INTERESTS}. */
export function topInterests(profile: Profile, now: number, n = TOP_INTERESTS): string[] {
  const scored = Object.entries(profile.categories)
    .map(([key, a]) => ({ key, score: affinityAt(a, now) }))
    .filter((c) => c.score > 0);
  const leaves = scored.filter((c) => !scored.some((o) => o.key.startsWith(`${c.key} > `)));
  return leaves.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1)).slice(0, n).map((c) => c.key);
}

interface Caps {
  readonly category: Map<string, number>;
  readonly brand: Map<string, number>;
}

/** What {@link diversify} returns: the list (pool positions, in order) and the explore slots among them. */
export interface Diversified {
  readonly list: number[];
  readonly explored: Set<number>;
}

/**
 * The list for `ctx.request` (k entries at most, pool positions) under its `diversity`, caps and
 * `explore`; `items` are the pool's catalog indices, `scores` their final scores (after novelty
 * and boost/bury).
 */
export function diversify(ctx: RankContext, items: Int32Array, scores: Float32Array): Diversified {
  const { catalog, request: req } = ctx;
  const k = req.k;
  const lambda = req.diversity ?? 0;
  const leaf = (c: number) => categoryKey(catalog.items[items[c]!]!.category);
  const counts: Caps = { category: new Map(), brand: new Map() };
  const fits = (c: number): boolean => {
    if (req.maxPerCategory !== undefined && (counts.category.get(leaf(c)) ?? 0) >= req.maxPerCategory) return false;
    const brand = catalog.items[items[c]!]!.brand;
    return req.maxPerBrand === undefined || brand === undefined || (counts.brand.get(brand) ?? 0) < req.maxPerBrand;
  };
  const take = (c: number): void => {
    counts.category.set(leaf(c), (counts.category.get(leaf(c)) ?? 0) + 1);
    const brand = catalog.items[items[c]!]!.brand;
    if (brand !== undefined) counts.brand.set(brand, (counts.brand.get(brand) ?? 0) + 1);
  };

  const interests = (req.explore ?? 0) > 0 ? topInterests(ctx.profile, ctx.now) : [];
  const slots = interests.length > 0 ? Math.min(k, Math.round(req.explore! * k)) : 0;
  const picked = new Set<number>();
  const ranking = picker(catalog, items, scores, k, lambda, picked, fits, take);
  const exploit = ranking.next(k - slots);
  if (slots === 0) return { list: exploit, explored: new Set() };

  const inside = (c: number) => {
    const key = leaf(c);
    return interests.some((i) => key === i || key.startsWith(`${i} > `));
  };
  const explored: number[] = [];
  // Rare: the best outsiders are capped out; then look further down the pool.
  for (let want = slots; explored.length < slots; want *= 4) {
    const outside = topK(scores, Math.min(want, scores.length), { exclude: (c) => picked.has(c) || inside(c) });
    for (const s of outside) {
      if (explored.length === slots) break;
      if (picked.has(s.index) || !fits(s.index)) continue;
      explored.push(s.index);
      ranking.add(s.index);
    }
    if (outside.length < Math.min(want, scores.length) || want >= scores.length) break;
  }
  // The ranking goes on where exploring found too few outsiders (none: as if `explore` were 0),
  // then the explore slots are spread evenly through the list.
  const main = [...exploit, ...ranking.next(slots - explored.length)];
  const list = [...main];
  explored.forEach((c, i) => list.splice(Math.min(Math.floor(((i + 1) * (main.length + explored.length)) / (explored.length + 1)), list.length), 0, c));
  return { list, explored: new Set(explored) };
}

/**
 * Greedy MMR at `lambda` over a window of the `k`-list's best scores, resumable: `next(count)`
 * picks up to `count` more pool positions, skipping what `fits` refuses; `add(c)` puts an item
 * picked elsewhere (an explore slot) in the list, where its likeness counts. Each pick goes into
 * `picked` and through `take`. The window grows when the caps leave it short.
 */
function picker(
  catalog: Catalog, items: Int32Array, scores: Float32Array, k: number, lambda: number, picked: Set<number>,
  fits: (c: number) => boolean, take: (c: number) => void,
): { next(count: number): number[]; add(c: number): void } {
  const n = scores.length;
  const { dim, matrix: m } = catalog;
  const list: number[] = [];
  let size = 0;
  let window: number[] = [];
  let norm: number[] = [];
  let maxSim = new Float64Array(0);
  let used = new Uint8Array(0);
  const likeness = (j: number, c: number) => {
    const a = items[window[j]!]! * dim;
    const b = items[c]! * dim;
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += m[a + d]! * m[b + d]!;
    return dot;
  };
  const see = (c: number) => {
    if (lambda === 0) return;
    for (let j = 0; j < window.length; j++) if (!used[j]) maxSim[j] = Math.max(maxSim[j]!, likeness(j, c));
  };
  const load = () => {
    size = size === 0 ? Math.min(n, Math.max(WINDOW_PER_SLOT * k, MIN_WINDOW)) : Math.min(n, size * 4);
    window = topK(scores, size, { exclude: (c) => picked.has(c) }).map((s) => s.index);
    let lo = Infinity;
    let hi = -Infinity;
    for (const c of window) {
      lo = Math.min(lo, scores[c]!);
      hi = Math.max(hi, scores[c]!);
    }
    norm = window.map((c) => (hi > lo ? (scores[c]! - lo) / (hi - lo) : 1));
    maxSim = new Float64Array(window.length);
    used = new Uint8Array(window.length);
    for (const c of list) see(c);
  };
  const pick = (c: number) => {
    list.push(c);
    picked.add(c);
    take(c);
    const j = window.indexOf(c);
    if (j >= 0) used[j] = 1;
    see(c);
  };
  return {
    next(count) {
      const out: number[] = [];
      if (count <= 0) return out;
      if (size === 0) load();
      for (;;) {
        while (out.length < count) {
          let best = -1;
          let bestValue = -Infinity;
          for (let j = 0; j < window.length; j++) {
            if (used[j]) continue;
            // The first pick has nothing to be like: the best score.
            const v = (1 - lambda) * norm[j]! - (list.length ? lambda * maxSim[j]! : 0);
            if (v > bestValue || (lambda === 0 && best < 0)) {
              if (!fits(window[j]!)) {
                used[j] = 1; // counts only grow: it will not fit later either
                continue;
              }
              best = j;
              bestValue = v;
              if (lambda === 0) break; // the window is in score order
            }
          }
          if (best < 0) break;
          out.push(window[best]!);
          pick(window[best]!);
        }
        if (out.length === count || size >= n) return out;
        load();
      }
    },
    add(c) {
      if (size === 0) load();
      pick(c);
    },
  };
}
