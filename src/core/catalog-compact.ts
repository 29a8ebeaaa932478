import { parseCatalog, type AttributeValue, type Catalog, type CatalogItem, type CatalogJson, type GivenRows } from './catalog';
import type { RuleInput } from './ranking/rules';
import { LocalrecError } from './errors';
import { utf8Decode, utf8Encode } from './sequence/utf8';

/**
 * The compact catalog format (formatVersion 2), for large stores: the same items as JSON version 1
 * (catalog.ts), written as columns, with the embeddings quantised to int8 and stored as bytes.
 * The benchmark's 100,000 items with 64-number embeddings take 64 MB as JSON v1 (21 MB gzipped)
 * and 12 MB here (7.9 MB gzipped: the columns compress well, the int8 rows, 6.4 MB, hardly), and
 * the worker reads the embeddings without parsing 6.4 million numbers. `npm run compact-catalog`
 * converts a JSON v1 catalog.
 *
 * ```
 * bytes 0-3    "LRC2" (magic)
 * bytes 4-7    header length H, uint32 little-endian
 * H bytes      the header, UTF-8 JSON (CompactHeader), then zero padding to a multiple of 4
 * count × 4    per-item scale, float32 little-endian         } only when the header's dim > 0
 * count × dim  the item's embedding as int8: value ≈ q × scale }
 * ```
 *
 * Quantising keeps each number within half a step (scale / 2, scale = the row's largest
 * magnitude / 127) of the original; ranking normalises each row, so only the direction counts.
 * An item's `embedding` is all or nothing, as in version 1: either every item has one (dim > 0)
 * or none has.
 */
export const COMPACT_MAGIC = 'LRC2';

/** The header of a compact catalog: what JSON v1 has besides `items`, and the items as columns. */
export interface CompactHeader {
  format: 'localrec-catalog';
  formatVersion: 2;
  version: string;
  currency?: string;
  attribution?: string;
  /** The catalog's published rules, as in JSON v1 (checked when ranking). */
  rules?: unknown;
  count: number;
  /** Numbers per embedding; 0 when the items have none (the device hashes them, as for JSON v1). */
  dim: number;
  columns: {
    id: string[];
    title: string[];
    /** The distinct category paths... */
    categories: string[][];
    /** ...and each item's index into them. */
    category: number[];
    /** The distinct brands... */
    brands: string[];
    /** ...and each item's index into them, -1 for none. */
    brand: number[];
    price: number[];
    /** 1 in stock, 0 not. */
    available: number[];
    popularity: number[];
    /** Present when some item has one; null for the others. */
    image?: (string | null)[];
    url?: (string | null)[];
    /** The items' custom attributes; present when some item has them, null for the others. */
    attributes?: (Record<string, AttributeValue> | null)[];
  };
}

/** True when `bytes` start like a compact catalog. */
export function isCompactCatalog(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!) === COMPACT_MAGIC;
}

/**
 * Writes a JSON v1 catalog (already validated: `parseCatalog` it first) in the compact format.
 * Throws `invalid_catalog` when only some items carry an embedding.
 */
export function encodeCompactCatalog(json: CatalogJson): Uint8Array {
  const items = json.items;
  const withEmbedding = items.filter((i) => i.embedding !== undefined).length;
  if (withEmbedding !== 0 && withEmbedding !== items.length) {
    throw new LocalrecError('invalid_catalog', `The compact format needs an embedding on every item or on none (${withEmbedding} of ${items.length} have one).`, 'items');
  }
  const dim = withEmbedding ? items[0]!.embedding!.length : 0;
  const distinct = <T>(values: T[], key: (v: T) => string) => {
    const at = new Map<string, number>();
    const list: T[] = [];
    const index = values.map((v) => {
      const k = key(v);
      let i = at.get(k);
      if (i === undefined) at.set(k, (i = list.push(v) - 1));
      return i;
    });
    return { list, index };
  };
  const categories = distinct(items.map((i) => i.category), (c) => JSON.stringify(c));
  const brands = distinct(items.filter((i) => i.brand !== undefined).map((i) => i.brand!), (b) => b);
  const brandIndex = new Map(brands.list.map((b, i) => [b, i]));
  const optional = (key: 'image' | 'url' | 'attributes') => (items.some((i) => i[key] !== undefined) ? { [key]: items.map((i) => i[key] ?? null) } : {});
  const header: CompactHeader = {
    format: 'localrec-catalog', formatVersion: 2, version: json.version,
    ...(json.currency === undefined ? {} : { currency: json.currency }),
    ...(json.attribution === undefined ? {} : { attribution: json.attribution }),
    ...(json.rules === undefined ? {} : { rules: json.rules }),
    count: items.length, dim,
    columns: {
      id: items.map((i) => i.id), title: items.map((i) => i.title),
      categories: categories.list, category: categories.index,
      brands: brands.list, brand: items.map((i) => (i.brand === undefined ? -1 : brandIndex.get(i.brand)!)),
      price: items.map((i) => i.price), available: items.map((i) => (i.available ? 1 : 0)), popularity: items.map((i) => i.popularity),
      ...optional('image'), ...optional('url'), ...optional('attributes'),
    },
  };
  const head = utf8Encode(JSON.stringify(header));
  const start = 8 + Math.ceil(head.length / 4) * 4;
  const out = new Uint8Array(start + items.length * (dim > 0 ? 4 + dim : 0));
  out.set(utf8Encode(COMPACT_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(4, head.length, true);
  out.set(head, 8);
  if (dim > 0) {
    const rows = new Int8Array(out.buffer, start + items.length * 4, items.length * dim);
    items.forEach((item, i) => {
      const e = item.embedding!;
      const scale = Math.max(...e.map(Math.abs)) / 127 || 1;
      view.setFloat32(start + i * 4, scale, true);
      for (let d = 0; d < dim; d++) rows[i * dim + d] = Math.round(e[d]! / scale);
    });
  }
  return out;
}

/**
 * Reads a compact catalog back as JSON v1 (the embeddings dequantised), as a catalog file would
 * hold it (the tools and the benchmark read it so). Throws `invalid_catalog` naming what is wrong.
 */
export function decodeCompactCatalog(bytes: Uint8Array): CatalogJson {
  const { json, rows } = readCompact(bytes);
  if (rows) json.items.forEach((item, i) => (item.embedding = Array.from({ length: rows.dim }, (_, d) => rowValue(rows, i, d))));
  return json;
}

/**
 * A compact catalog, validated and built, ready to rank: its int8 rows go straight into the
 * matrix, without becoming 64 JS numbers per item on the way (at 100,000 items with embeddings,
 * decoding them to lists and building took 2.4 s of a loaded 2-core machine's time). Throws
 * `invalid_catalog` naming what is wrong, as parseCatalog does.
 */
export function parseCompactCatalog(bytes: Uint8Array): Catalog {
  const { json, rows } = readCompact(bytes);
  return parseCatalog(json, rows);
}

/** The rows of a compact catalog, with each number as the double it dequantises to (for JSON v1). */
interface CompactRows extends GivenRows { scale(i: number): number; q: Int8Array }

function rowValue(rows: CompactRows, i: number, d: number): number {
  return rows.q[i * rows.dim + d]! * rows.scale(i);
}

/** The header's items (no embeddings) as JSON v1, and the rows when the catalog has them. */
function readCompact(bytes: Uint8Array): { json: CatalogJson; rows: CompactRows | undefined } {
  const bad = (field: string, what: string): never => {
    throw new LocalrecError('invalid_catalog', `Compact catalog \`${field}\` ${what}.`, field);
  };
  if (!isCompactCatalog(bytes)) bad('magic', `must be "${COMPACT_MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLength = view.getUint32(4, true);
  if (8 + headLength > bytes.length) bad('header', 'is cut short');
  let header: CompactHeader;
  try {
    header = JSON.parse(utf8Decode(bytes.subarray(8, 8 + headLength)) ?? '') as CompactHeader;
  } catch {
    return bad('header', 'is not valid JSON');
  }
  if (header?.format !== 'localrec-catalog' || header.formatVersion !== 2) bad('formatVersion', 'must be 2 in a compact catalog');
  const { count, dim, columns: c } = header;
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(dim) || dim < 0 || typeof c !== 'object' || c === null) bad('header', 'must give count, dim and columns');
  for (const key of ['id', 'title', 'category', 'brand', 'price', 'available', 'popularity'] as const) {
    if (!Array.isArray(c[key]) || c[key].length !== count) bad(`columns.${key}`, `must be a list of ${count} values`);
  }
  if (!Array.isArray(c.categories) || !Array.isArray(c.brands)) bad('columns', 'must list the distinct categories and brands');
  const start = 8 + Math.ceil(headLength / 4) * 4;
  if (dim > 0 && bytes.length < start + count * (4 + dim)) bad('embeddings', `must hold ${count} × ${dim} bytes after ${count} scales`);
  const items = c.id.map((id, i): CatalogItem => {
    const item = {
      id, title: c.title[i]!, category: c.categories[c.category[i]!]!, price: c.price[i]!, available: c.available[i] === 1, popularity: c.popularity[i]!,
    } as CatalogItem;
    const brand = c.brand[i]!;
    if (brand >= c.brands.length) bad(`columns.brand[${i}]`, `must be -1 or an index into the ${c.brands.length} brands`);
    if (brand >= 0) item.brand = c.brands[brand]!;
    if (c.image?.[i]) item.image = c.image[i]!;
    if (c.url?.[i]) item.url = c.url[i]!;
    if (c.attributes?.[i]) item.attributes = c.attributes[i]!;
    return item;
  });
  const json: CatalogJson = {
    format: 'localrec-catalog', formatVersion: 1, version: header.version, items,
    ...(header.currency === undefined ? {} : { currency: header.currency }),
    ...(header.attribution === undefined ? {} : { attribution: header.attribution }),
    ...(header.rules === undefined ? {} : { rules: header.rules as RuleInput[] }),
  };
  if (dim === 0) return { json, rows: undefined };
  const q = new Int8Array(bytes.buffer, bytes.byteOffset + start + count * 4, count * dim);
  const scale = (i: number) => view.getFloat32(start + i * 4, true);
  for (let i = 0; i < count; i++) {
    // A scale that makes a number of the row infinite or NaN in float32 (JSON v1 refuses those too).
    if (!Number.isFinite(Math.fround(scale(i) * 128))) bad(`embeddings[${i}]`, 'must have a finite scale');
  }
  const fill = (i: number, row: Float32Array) => {
    const s = scale(i);
    for (let d = 0; d < dim; d++) row[d] = q[i * dim + d]! * s;
  };
  return { json, rows: { dim, q, scale, fill } };
}
