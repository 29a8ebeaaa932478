import { itemVector, type Catalog } from '../catalog';
import type { ItemEmbeddings } from './quantise';

/**
 * Share of an item row's squared length given to its learned part, when it has one. Chosen on
 * validation splits (docs/quality.md, "Learned embeddings").
 */
export const LEARNED_SHARE = 0.5;

/**
 * The catalog with the bundle's learned vectors beside its content vectors, in one space: each
 * row is concat(√(1−s)·content, √s·learned) for an item the bundle learned a vector for, and
 * concat(content, 0) for the others (too few events, or not in the bundle), so every row is unit
 * length and the profile's long-term and session vectors, decayed sums of rows, live in the same
 * space. `dim` grows by the learned dimension (a stored profile of the old dimension is refitted
 * by `fitProfileToDim`). Items with a learned part no longer count as `hashedItems`: their
 * likeness is shipped evidence, which tells items apart even in a catalog of ids alone.
 * Returns `catalog` itself when no catalog item has a learned vector.
 */
export function withLearnedEmbeddings(catalog: Catalog, itemIds: readonly string[], learned: ItemEmbeddings, share = LEARNED_SHARE): Catalog {
  const bundleIndex = new Map<string, number>();
  itemIds.forEach((id, b) => {
    if (learned.has[b]) bundleIndex.set(id, b);
  });
  const rows = catalog.items.length;
  const cd = catalog.dim;
  const ld = learned.dim;
  const dim = cd + ld;
  const matrix = new Float32Array(rows * dim);
  const a = Math.sqrt(1 - share);
  const s = Math.sqrt(share);
  let covered = 0;
  let hashedItems = catalog.hashedItems;
  for (let i = 0; i < rows; i++) {
    const content = itemVector(catalog, i);
    const b = bundleIndex.get(catalog.items[i]!.id);
    const base = i * dim;
    if (b === undefined) {
      matrix.set(content, base);
      continue;
    }
    covered++;
    if (!catalog.items[i]!.embedding) hashedItems--;
    for (let d = 0; d < cd; d++) matrix[base + d] = a * content[d]!;
    for (let d = 0; d < ld; d++) matrix[base + cd + d] = s * learned.vectors[b * ld + d]!;
  }
  if (covered === 0) return catalog;
  return { ...catalog, dim, matrix, hashedItems };
}
