import { categoryKey } from '../../catalog';
import { priceBand } from '../../hash-embedding';
import { suppressionTest } from '../../profile/interests';
import { affinityAt, type Affinity } from '../../profile/state';
import { SIGNAL_NAMES, SIGNALS, RANK_WEIGHTS, type SignalName } from '../blend';
import type { RankContext } from '../context';
import { diversify, wantsDiversity } from '../diversity';
import { JUST_BOUGHT_MS } from '../filters';
import { SEEN_DAMPING } from '../novelty';
import type { Recommendation } from '../rank';
import { exploreReason, reasonsFor } from '../reasons';
import { applyPins, applyWeights, ruleFilter, ruleReason } from '../rules';

/**
 * The ranking written the straightforward way, one item at a time: the definition the fast
 * `rank()` (rank.ts, with its typed columns and lookup tables) must match exactly, score for score
 * and reason for reason. Used by the equivalence test (rank.equivalence.test.ts) and by the
 * benchmark's correctness check in the worker; never by the SDK itself (it is slow at 100k).
 */
export function referenceRank(ctx: RankContext, candidates: Int32Array, similarity: Float32Array): Recommendation[] {
  const { catalog, profile: p, request: req, now } = ctx;
  const rules = ctx.rules ?? [];
  const blocked = new Set<string>([...(req.exclude ?? []), ...(req.context?.itemId === undefined ? [] : [req.context.itemId]), ...Object.keys(p.cart)]);
  for (const purchase of p.purchases) if (now - purchase.time < JUST_BOUGHT_MS) purchase.itemIds.forEach((id) => blocked.add(id));
  const suppressed = suppressionTest(p);
  const keep = ruleFilter(rules, { catalog, profile: p, now, currentItem: req.context?.itemId });
  const items: number[] = [];
  const sims: number[] = [];
  candidates.forEach((i, c) => {
    const item = catalog.items[i]!;
    if (item.available && !blocked.has(item.id) && !suppressed?.(item) && (!keep || keep(i))) {
      items.push(i);
      sims.push(similarity[c]!);
    }
  });

  const scaled = (rec: Record<string, Affinity>) => {
    const values = Object.entries(rec).map(([k, a]) => [k, affinityAt(a, now)] as const);
    const max = Math.max(0, ...values.map(([, v]) => v));
    return new Map(values.filter(([, v]) => v > 0).map(([k, v]) => [k, v / max]));
  };
  const categories = scaled(p.categories);
  const brands = scaled(p.brands);
  const bands = scaled(p.priceBands);
  let seqMax = 0;
  if (ctx.sequence) for (const i of candidates) seqMax = Math.max(seqMax, ctx.sequence.scores[i]!);
  const value = (name: SignalName, c: number): number => {
    const item = catalog.items[items[c]!]!;
    switch (name) {
      case 'similarity': return Math.max(0, sims[c]!);
      case 'sequence': return ctx.sequence && seqMax > 0 ? ctx.sequence.scores[items[c]!]! / seqMax : 0;
      case 'category': {
        let cat = 0;
        for (let d = item.category.length; d >= 1 && cat === 0; d--) cat = (categories.get(categoryKey(item.category, d)) ?? 0) * (d / item.category.length);
        const browsing = req.context?.category;
        return Math.max(cat, browsing !== undefined && categoryKey(item.category).startsWith(browsing) ? 1 : 0);
      }
      case 'brand': return item.brand === undefined ? 0 : brands.get(item.brand) ?? 0;
      case 'priceBand': return bands.get(String(priceBand(item.price))) ?? 0;
      case 'prior': return catalog.prior[items[c]!]!;
    }
  };
  // float32 as the typed arrays of the pipeline store them.
  const parts = items.map((_, c) => Object.fromEntries(SIGNAL_NAMES.map((name) => {
    const w = RANK_WEIGHTS[name] !== 0 && (SIGNALS[name].informative?.(ctx) ?? true) ? RANK_WEIGHTS[name] : 0;
    return [name, w === 0 ? 0 : Math.fround(w * Math.fround(value(name, c)))];
  })) as Record<SignalName, number>);
  const seen = new Set(p.session.events.map((e) => e.itemId));
  const damping = ctx.seenDamping ?? SEEN_DAMPING;
  const total = Float32Array.from(parts, (part, c) => {
    const sum = Math.fround(SIGNAL_NAMES.reduce((t, name) => t + part[name], 0));
    return damping !== 1 && seen.has(catalog.items[items[c]!]!.id) ? sum * damping : sum;
  });
  const pool = Int32Array.from(items);
  const moved = applyWeights(rules, catalog, pool, total, now);
  const picked = wantsDiversity(req) ? diversify(ctx, pool, total) : undefined;
  const list = picked
    ? picked.list
    : [...total.keys()].filter((c) => !Number.isNaN(total[c])).sort((a, b) => total[b]! - total[a]! || a - b).slice(0, req.k);
  const pinned = applyPins(rules, catalog, pool, list, req.k, now);
  return list.map((c) => {
    const pin = pinned.get(c);
    const ruled = [...(pin ? [ruleReason(pin, 0)] : []), ...(picked?.explored.has(c) ? [exploreReason()] : []), ...(moved.get(c) ?? [])];
    return { id: catalog.items[pool[c]!]!.id, score: Math.round(total[c]! * 1e4) / 1e4, reasons: [...ruled, ...reasonsFor(ctx, pool[c]!, parts[c]!)] };
  });
}
