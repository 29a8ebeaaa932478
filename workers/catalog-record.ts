import type { Catalog, CatalogItem } from '../src/core/catalog';

/**
 * What is cached of a catalog: the catalog as it was built, not the JSON it came from. A warm
 * start then reads the matrix as bytes instead of parsing, validating and hashing every item
 * again (seconds at 100,000 items). Items are kept as validated, without their `embedding` (the
 * matrix holds it, normalised).
 */
export interface CatalogParts {
  about: { version: string; currency: string; dim: number; hashedItems: number; items: CatalogItem[]; rules?: unknown };
  matrix: Float32Array<ArrayBuffer>;
  prior: Float32Array<ArrayBuffer>;
}

/** The parts to keep of a built catalog. */
export function catalogParts(c: Catalog): CatalogParts {
  return {
    about: {
      version: c.version, currency: c.currency, dim: c.dim, hashedItems: c.hashedItems, items: c.items.map(withoutEmbedding),
      // The catalog's published rules travel with it: a warm start applies them as a cold one does.
      ...(c.rules === undefined ? {} : { rules: c.rules }),
    },
    matrix: c.matrix as Float32Array<ArrayBuffer>,
    prior: c.prior as Float32Array<ArrayBuffer>,
  };
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
