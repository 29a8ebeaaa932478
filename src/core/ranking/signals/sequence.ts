import { itemTitle, type Catalog } from '../../catalog';
import { EVENT_TABLE, type EventType } from '../../events';
import type { Profile } from '../../profile/state';
import type { SequenceRanker } from '../../sequence/ranker';
import type { ItemLook } from '../../sequence/types';
import type { Signal } from './signal';

/** The bundle's scores for one session, on catalog indices. */
export interface SequenceScores {
  scores: Float32Array;
  /** The session items behind an item's score, strongest first. */
  explain(catalogIndex: number): { itemId: string; weight: number }[];
}

/**
 * The current session as the sequence ranker reads it: item looks, oldest first, times in
 * seconds. One look at an item may arrive as several consecutive events of different types (a
 * click, the view it opens, an add to cart): they are merged. The same type again on the same
 * item is another look, as the store's click logs, which the bundle learned from, count it (an
 * event the page fired twice within a second was already dropped as a duplicate: `isDuplicate`).
 */
export function sessionItems(profile: Profile): ItemLook[] {
  const out: ItemLook[] = [];
  let lookTypes = new Set<EventType>();
  for (const e of profile.session.events) {
    if (!e.itemId || !EVENT_TABLE[e.type].looksAtItem) continue;
    if (out.at(-1)?.itemId === e.itemId && !lookTypes.has(e.type)) {
      lookTypes.add(e.type);
      continue;
    }
    out.push({ itemId: e.itemId, time: e.time / 1000 });
    lookTypes = new Set([e.type]);
  }
  return out;
}

/**
 * The bundle's sequence ranker bound to a catalog: its scores moved onto catalog indices (items
 * the catalog lacks are dropped, catalog items the bundle lacks score 0).
 */
export class CatalogSequenceRanker {
  private readonly toCatalog: Int32Array;
  private readonly toBundle: Int32Array;
  /** Catalog items the bundle covers. */
  readonly matched: number;

  constructor(private readonly ranker: SequenceRanker, catalog: Catalog) {
    this.toCatalog = new Int32Array(ranker.itemIds.length).fill(-1);
    this.toBundle = new Int32Array(catalog.items.length).fill(-1);
    let matched = 0;
    ranker.itemIds.forEach((id, b) => {
      const c = catalog.index.get(id);
      if (c === undefined) return;
      this.toCatalog[b] = c;
      this.toBundle[c] = b;
      matched++;
    });
    this.matched = matched;
  }

  /** Scores for the profile's current session, or undefined when the session has no item the bundle knows. */
  scoresFor(profile: Profile): SequenceScores | undefined {
    const session = sessionItems(profile);
    if (!session.some((e) => this.ranker.indexOf(e.itemId) !== undefined)) return undefined;
    const bundleScores = this.ranker.score(session);
    const scores = new Float32Array(this.toBundle.length);
    for (let b = 0; b < bundleScores.length; b++) {
      const c = this.toCatalog[b]!;
      if (c >= 0) scores[c] = bundleScores[b]!;
    }
    return {
      scores,
      explain: (c) => {
        const b = this.toBundle[c]!;
        return b < 0 ? [] : this.ranker.explain(session, b).map((x) => ({ itemId: x.itemId, weight: x.weight }));
      },
    };
  }
}

/**
 * What shoppers looked at next after this session's items, in the store's own logs. Scaled by
 * the best of all requested candidates, filtered ones included: when the strongest evidence is
 * an item already in the cart, the weaker evidence left is not blown up to full weight.
 */
export const sequenceSignal: Signal = {
  values({ sequence }, pool, out = new Float32Array(pool.items.length)) {
    let max = 0;
    if (sequence) for (const i of pool.requested) max = Math.max(max, sequence.scores[i]!);
    if (!sequence || max === 0) return out.fill(0);
    for (let c = 0; c < out.length; c++) out[c] = sequence.scores[pool.items[c]!]! / max;
    return out;
  },
  lookup({ sequence }, requested) {
    let max = 0;
    if (sequence) for (const i of requested) max = Math.max(max, sequence.scores[i]!);
    return sequence && max > 0 ? { values: sequence.scores, scale: 1 / max } : undefined;
  },
  reason({ catalog, sequence }, i, weight) {
    const top = sequence?.explain(i)[0];
    if (!top) return undefined;
    return { kind: 'sequence', itemId: top.itemId, weight, text: `Shoppers who looked at ${itemTitle(catalog, top.itemId)} often look at this next` };
  },
};
