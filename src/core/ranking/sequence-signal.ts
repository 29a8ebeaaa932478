import type { Catalog } from '../catalog';
import type { Profile } from '../profile';
import { SequenceRanker } from '../sequence/ranker';
import type { ItemLook } from '../sequence/types';
import type { SessionSignal } from './rank';

/** Event types that say "the shopper looked at this item", as the bundle's logs do. */
const LOOKS = new Set(['view', 'click', 'add_to_cart', 'purchase']);

/**
 * The current session as the bundle ranker reads it: item interactions, oldest first, times in
 * seconds. A click and the view it opens arrive as two events for one look; consecutive events on
 * the same item are merged so the page's double-firing does not count as a repeat visit.
 */
export function sessionItems(profile: Profile): ItemLook[] {
  const out: ItemLook[] = [];
  for (const e of profile.session.events) {
    if (!e.itemId || !LOOKS.has(e.type)) continue;
    if (out.at(-1)?.itemId === e.itemId) continue;
    out.push({ itemId: e.itemId, time: e.time / 1000 });
  }
  return out;
}

/**
 * Connects a bundle ranker to a catalog: bundle scores are moved onto catalog indices (items the
 * catalog lacks are dropped, catalog items the bundle lacks score 0).
 */
export class SequenceSignal {
  private readonly toCatalog: Int32Array;
  private readonly toBundle: Int32Array;
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

  /** Scores for the profile's current session, or undefined when the session has no known item. */
  signal(profile: Profile): SessionSignal | undefined {
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
