import type { Catalog, CatalogItem } from '../src/core/catalog';
import { LocalrecError } from '../src/core/errors';

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

/**
 * The parts as stored in IndexedDB: three Blobs, not sealed. The catalog is the store's public
 * data, the same for every shopper (SECURITY.md); what the shopper did stays sealed elsewhere.
 * Blobs because Chromium keeps a large Blob as a file and hands it back 2-3× faster than an
 * ArrayBuffer of the same size (25.6 MB matrix at 100,000 items: 0.43-0.85 s against 1.1-2.4 s on
 * a loaded 2-core machine), and with no decryption the record is read as it lies.
 */
export interface CatalogBlobs {
  /** `about` as UTF-8 JSON. */
  about: Blob;
  /** Float32, row-major items × dim, in this platform's byte order (the record never leaves the device). */
  matrix: Blob;
  prior: Blob;
}

/** The parts to keep of a built catalog. */
export function catalogParts(c: Catalog): CatalogParts {
  const { matrix, prior, index: _, items, ...about } = c;
  return { about: { ...about, items: items.map(withoutEmbedding) }, matrix: matrix as Float32Array<ArrayBuffer>, prior: prior as Float32Array<ArrayBuffer> };
}

/** The catalog again from its kept parts (only the id index is rebuilt). */
function catalogFromParts({ about, matrix, prior }: CatalogParts): Catalog {
  const index = new Map<string, number>();
  about.items.forEach((item, i) => index.set(item.id, i));
  return { ...about, matrix, prior, index };
}

/** A built catalog as the Blobs to store. */
export function catalogBlobs(c: Catalog): CatalogBlobs {
  const parts = catalogParts(c);
  return { about: new Blob([JSON.stringify(parts.about)]), matrix: new Blob([parts.matrix]), prior: new Blob([parts.prior]) };
}

/**
 * The catalog again from its stored Blobs. A record that does not fit together (sizes that do
 * not match its item count and dimension: a damaged or foreign record) throws `storage_failed`,
 * so the caller downloads the catalog instead of ranking with the wrong rows.
 */
export async function catalogFromBlobs(blobs: CatalogBlobs): Promise<Catalog> {
  const [text, matrix, prior] = await Promise.all([blobs.about.text(), blobs.matrix.arrayBuffer(), blobs.prior.arrayBuffer()]);
  return catalogFromBuffers(text, matrix, prior);
}

/** The catalog again from its parts' contents (`about` as JSON text), checked as catalogFromBlobs says. */
export function catalogFromBuffers(text: string, matrix: ArrayBuffer, prior: ArrayBuffer): Catalog {
  // Plain JSON, no reviver: at 100,000 items a reviver called per value took seconds.
  const about = JSON.parse(text) as CatalogParts['about'];
  const rows = Array.isArray(about?.items) ? about.items.length : -1;
  if (rows < 0 || !(about.dim > 0) || matrix.byteLength !== rows * about.dim * 4 || prior.byteLength !== rows * 4) {
    throw new LocalrecError('storage_failed', 'The cached catalog record is damaged (its parts do not match in size); it is downloaded again.');
  }
  return catalogFromParts({ about, matrix: new Float32Array(matrix), prior: new Float32Array(prior) });
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
