import type { Catalog } from '../catalog';
import { catalogColumns } from './columns';
import type { RecommendRequest } from './request';

/**
 * Stage 1, candidates: the catalog indices a request ranks, in order: the request's own list
 * (ids the catalog lacks skipped) or the whole catalog (an array shared by every such call:
 * read, never modified, by the stages).
 */
export function candidateIndices(catalog: Catalog, req: RecommendRequest): Int32Array {
  if (!req.candidates) return catalogColumns(catalog).all;
  const out: number[] = [];
  for (const id of req.candidates) {
    const i = catalog.index.get(id);
    if (i !== undefined) out.push(i);
  }
  return Int32Array.from(out);
}
