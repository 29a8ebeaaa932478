/**
 * Dense item numbering shared by the builder, the baselines and the evaluation: items are
 * numbered in their deterministic tie order (see {@link compareItemIds}), so index order is
 * also the tie-break order.
 */
export class ItemIndex {
  readonly ids: readonly string[];
  private readonly map: Map<string, number>;

  constructor(ids: Iterable<string>) {
    this.ids = [...new Set(ids)].sort(compareItemIds);
    this.map = new Map(this.ids.map((id, i) => [id, i]));
  }

  /** Index of `id`, or undefined for an item not in the index. */
  indexOf(id: string): number | undefined {
    return this.map.get(id);
  }

  get size(): number {
    return this.ids.length;
  }
}

/**
 * Deterministic item-id order used for tie breaking: numerically when both ids are plain
 * non-negative integers (so "9" < "10"), otherwise by UTF-16 code units; integers first.
 */
export function compareItemIds(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) {
    if (a.length !== b.length) return a.length - b.length;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
