import { LocalrecError } from './errors';
import { DEFAULT_DIM, hashEmbedding, normalize } from './hash-embedding';
import type { RuleInput } from './ranking/rules';

/** A custom attribute's value: rules can match it (`where: { attributes: { material: 'wool' } }`). */
export type AttributeValue = string | number | boolean;

/** One product as the store's server publishes it (catalog format version 1). */
export interface CatalogItem {
  id: string;
  title: string;
  /** Category path, broadest first: ["Home", "Candles & lights"]. */
  category: string[];
  price: number;
  brand?: string;
  available: boolean;
  /** The server's popularity prior, any non-negative scale (for example sales counts). */
  popularity: number;
  /** Optional item embedding; when absent the device computes one (see hash-embedding.ts). */
  embedding?: number[];
  /** Optional display fields the SDK passes through untouched. */
  image?: string;
  url?: string;
  /** The store's own fields (material, size, season, margin band…), for business rules to match. */
  attributes?: Record<string, AttributeValue>;
}

/** What a strip shows of an item: each result carries it when the call asks for `details: true`. */
export interface ItemDetails {
  title: string;
  price: number;
  /** The catalog's currency (ISO 4217), for formatting `price`. */
  currency: string;
  category: string[];
  brand?: string;
  image?: string;
  url?: string;
}

export interface CatalogJson {
  format: 'localrec-catalog';
  formatVersion: 1;
  /** The store's version label; the device caches per version. */
  version: string;
  currency?: string;
  /** Source and licence notes. */
  attribution?: string;
  items: CatalogItem[];
  /**
   * Store-wide business rules published with the catalog (src/core/ranking/rules.ts), applied
   * with those of `createLocalrec({ rules })`. An invalid one is reported in each result's
   * `ruleErrors` and the others apply; the catalog loads either way.
   */
  rules?: RuleInput[];
}

/** A validated catalog with its embedding matrix, ready to rank. */
export interface Catalog {
  version: string;
  currency: string;
  items: CatalogItem[];
  dim: number;
  /** Row-major items × dim, rows L2-normalised. */
  matrix: Float32Array;
  /** log1p(popularity) scaled to [0, 1]. */
  prior: Float32Array;
  index: Map<string, number>;
  /** How many rows were computed on the device (items without an embedding). */
  hashedItems: number;
  /** The catalog's `rules` as published, checked when ranking (parseRules), so a bad one never refuses the catalog. */
  rules?: unknown;
}

const MAX_ITEMS = 500_000;
/** At most this many custom attributes per item, names and string values at most this long. */
const MAX_ATTRIBUTES = 64;
const MAX_ATTRIBUTE_LENGTH = 200;

function bad(field: string, what: string): never {
  throw new LocalrecError('invalid_catalog', `Catalog field \`${field}\` ${what}.`, field);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, field: string, optional = false): string | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v === '') bad(field, 'must be a non-empty string');
  return v;
}

function num(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(field, 'must be a finite number >= 0');
  return v;
}

function validateItem(raw: unknown, i: number, dim: { value: number | undefined }): CatalogItem {
  const f = (k: string) => `items[${i}].${k}`;
  if (!isRecord(raw)) bad(`items[${i}]`, 'must be an object');
  const category = raw.category;
  if (!Array.isArray(category) || category.length === 0 || !category.every((c) => typeof c === 'string' && c !== '')) {
    bad(f('category'), 'must be a non-empty array of names, broadest first');
  }
  if (typeof raw.available !== 'boolean') bad(f('available'), 'must be true or false');
  const item: CatalogItem = {
    id: str(raw.id, f('id'))!,
    title: str(raw.title, f('title'))!,
    category: category as string[],
    price: num(raw.price, f('price')),
    available: raw.available,
    popularity: num(raw.popularity ?? 0, f('popularity')),
  };
  const brand = str(raw.brand, f('brand'), true);
  if (brand !== undefined) item.brand = brand;
  for (const key of ['image', 'url'] as const) {
    const v = str(raw[key], f(key), true);
    if (v !== undefined) item[key] = v;
  }
  if (raw.attributes !== undefined) item.attributes = validateAttributes(raw.attributes, f('attributes'));
  if (raw.embedding !== undefined) {
    const e = raw.embedding;
    // Array.from reads holes as undefined, where `every` would skip them; fround because the
    // matrix is float32, where 1e200 is Infinity.
    if (!Array.isArray(e) || e.length === 0 || !Array.from(e as unknown[]).every((x) => typeof x === 'number' && Number.isFinite(Math.fround(x)))) {
      bad(f('embedding'), 'must be an array of finite numbers');
    }
    if (dim.value !== undefined && e.length !== dim.value) bad(f('embedding'), `must have ${dim.value} numbers like the others`);
    dim.value = e.length;
    item.embedding = e as number[];
  }
  return item;
}

function validateAttributes(raw: unknown, field: string): Record<string, AttributeValue> {
  if (!isRecord(raw)) bad(field, 'must be an object of names and values, such as { "material": "wool" }');
  const entries = Object.entries(raw);
  if (entries.length > MAX_ATTRIBUTES) bad(field, `must have at most ${MAX_ATTRIBUTES} attributes`);
  for (const [name, v] of entries) {
    if (name === '' || name.length > MAX_ATTRIBUTE_LENGTH) bad(field, `has a name that is empty or longer than ${MAX_ATTRIBUTE_LENGTH} characters`);
    const ok = typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= MAX_ATTRIBUTE_LENGTH);
    if (!ok) bad(`${field}.${name}`, `must be a string of at most ${MAX_ATTRIBUTE_LENGTH} characters, a finite number or true/false`);
  }
  return { ...raw } as Record<string, AttributeValue>;
}

/**
 * Embedding rows handed over as numbers already in memory (the compact format's int8 rows)
 * rather than as a list on each item: `fill` writes item `i`'s `dim` numbers into `row`, which
 * the build then normalises. Skips making 64 JS numbers per item only to copy them again.
 */
export interface GivenRows { dim: number; fill(i: number, row: Float32Array): void }

/**
 * Validates catalog JSON from the store's server and builds the ranking matrix. Throws
 * `LocalrecError('invalid_catalog')` naming the first bad field. With `rows`, the items carry
 * no `embedding` and the matrix is filled from them.
 */
export function parseCatalog(json: unknown, rows?: GivenRows): Catalog {
  if (!isRecord(json)) bad('catalog', 'must be a JSON object');
  if (json.format !== 'localrec-catalog') bad('format', 'must be "localrec-catalog"');
  if (json.formatVersion !== 1) bad('formatVersion', 'must be 1 (the only version this SDK reads)');
  const version = str(json.version, 'version')!;
  const currency = str(json.currency, 'currency', true) ?? 'USD';
  if (!Array.isArray(json.items) || json.items.length === 0) bad('items', 'must be a non-empty array');
  if (json.items.length > MAX_ITEMS) bad('items', `must have at most ${MAX_ITEMS} items`);
  const dimSeen: { value: number | undefined } = { value: undefined };
  const items = json.items.map((raw: unknown, i) => validateItem(raw, i, dimSeen));
  const index = new Map<string, number>();
  items.forEach((item, i) => {
    if (index.has(item.id)) bad(`items[${i}].id`, `repeats id "${item.id}"`);
    index.set(item.id, i);
  });
  if (rows && dimSeen.value !== undefined) bad('items[0].embedding', 'must be absent when the rows are given apart');
  const catalog = buildCatalog(version, currency, items, index, rows?.dim ?? dimSeen.value ?? DEFAULT_DIM, rows);
  if (json.rules !== undefined) catalog.rules = json.rules;
  return catalog;
}

function buildCatalog(version: string, currency: string, items: CatalogItem[], index: Map<string, number>, dim: number, given?: GivenRows): Catalog {
  const matrix = new Float32Array(items.length * dim);
  const prior = new Float32Array(items.length);
  let hashedItems = 0;
  let maxLog = 0;
  items.forEach((item, i) => {
    if (given) {
      const row = matrix.subarray(i * dim, (i + 1) * dim);
      given.fill(i, row);
      normalize(row);
    } else {
      const row = item.embedding ? normalize(Float32Array.from(item.embedding)) : hashEmbedding(item, dim);
      if (!item.embedding) hashedItems++;
      matrix.set(row, i * dim);
    }
    prior[i] = Math.log1p(item.popularity);
    maxLog = Math.max(maxLog, prior[i]!);
  });
  if (maxLog > 0) for (let i = 0; i < prior.length; i++) prior[i]! /= maxLog;
  return { version, currency, items, dim, matrix, prior, index, hashedItems };
}

/** The embedding row of item `i` (a view, not a copy). */
export function itemVector(catalog: Catalog, i: number): Float32Array {
  return catalog.matrix.subarray(i * catalog.dim, (i + 1) * catalog.dim);
}

/** "Home > Candles": the display form of a category path, also the affinity key. */
export function categoryKey(path: readonly string[], depth = path.length): string {
  return path.slice(0, depth).join(' > ');
}

/** The display fields of item `i` (see {@link ItemDetails}). */
export function itemDetails(catalog: Catalog, i: number): ItemDetails {
  const { title, price, category, brand, image, url } = catalog.items[i]!;
  return { title, price, currency: catalog.currency, category, ...(brand ? { brand } : {}), ...(image ? { image } : {}), ...(url ? { url } : {}) };
}

/** An item's title, or its id when the catalog does not have it (an item since removed, say). */
export function itemTitle(catalog: Catalog, id: string): string {
  const i = catalog.index.get(id);
  return i === undefined ? id : catalog.items[i]!.title;
}
