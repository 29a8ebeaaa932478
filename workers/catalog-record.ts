import type { Catalog, CatalogItem } from '../src/core/catalog';

/**
 * What is cached of a catalog: the catalog as it was built, not the JSON it came from. A warm
 * start then reads the matrix as bytes instead of parsing, validating and hashing every item
 * again (seconds at 100,000 items). Items are kept as validated, without their `embedding` (the
 * matrix holds it, normalised).
 */
export interface CatalogParts {
  /** Every field of the catalog but its arrays and index (its published rules among them), so a new field travels without code here. */
  about: Omit<Catalog, 'matrix' | 'prior' | 'index'>;
  matrix: Float32Array<ArrayBuffer>;
  prior: Float32Array<ArrayBuffer>;
}

/** The parts to keep of a built catalog. */
export function catalogParts(c: Catalog): CatalogParts {
  const { matrix, prior, index: _, items, ...about } = c;
  return { about: { ...about, items: items.map(withoutEmbedding) }, matrix: matrix as Float32Array<ArrayBuffer>, prior: prior as Float32Array<ArrayBuffer> };
}

/** The catalog again from its kept parts (only the id index is rebuilt). */
export function catalogFromParts({ about, matrix, prior }: CatalogParts): Catalog {
  const index = new Map<string, number>();
  about.items.forEach((item, i) => index.set(item.id, i));
  return { ...about, matrix, prior, index };
}

/**
 * Drops the items' `embedding` lists once the matrix is built: as JS arrays they are the largest
 * part of the worker's heap at 100,000 items with embeddings (64 boxed numbers per item), and
 * nothing reads them after the build.
 */
export function releaseEmbeddings(c: Catalog): Catalog {
  for (const item of c.items) delete item.embedding;
  return c;
}

function withoutEmbedding(item: CatalogItem): CatalogItem {
  const { embedding: _, ...rest } = item;
  return rest;
}
