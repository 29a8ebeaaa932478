import { LocalrecError } from '../errors';
import { isRankerParamName, RANKER_PARAM_NAMES, rankerParamProblem, type RankerParams } from './ranker-params';
import { dequantiseRow, quantiseRow, type ItemEmbeddings } from '../embeddings/quantise';
import type { NeighbourGraph, SequenceBundle } from './types';
import { utf8Decode, utf8Encode } from './utf8';

/**
 * Binary bundle layout, little endian:
 *
 * ```
 * header (28 bytes): "LRSB" | u16 version | u16 flags (0) | u32 itemCount | i32 lastDay
 *                    | u16 recentDays | u16 minSupport | u32 total length | u32 CRC-32 of the body
 * body: item ids      itemCount × (varint byte length, UTF-8 bytes)
 *       popularity    itemCount × u16 (value × 65535)
 *       recent pop.   itemCount × u16
 *       next, similar per item: varint count, count × varint target delta (ascending targets),
 *                     then count × u8 weight, stored as round(255·√w) so small weights keep
 *                     precision
 *       ranker params (version 2 only) varint count, count × (varint name length, UTF-8 name,
 *                     f64 value), names in RANKER_PARAM_NAMES order, each at most once
 *       embeddings    (version 3 only) varint dim, varint count, count × varint item delta
 *                     (ascending item indices), count × dim int8 (round(127·v/max|v|), see
 *                     src/core/embeddings/quantise.ts)
 * ```
 *
 * Version 1 is version 2 without the params section. A bundle without params is written as
 * version 1, so it stays byte-identical to what earlier builds wrote and readable by earlier SDKs;
 * the ranker then uses its defaults. Version 3 is version 2 (its params section may list none)
 * plus learned item embeddings; only bundles with embeddings are written as version 3, so a
 * bundle without them reads everywhere it did, and an earlier SDK rejects a version 3 bundle with
 * its "rebuild the bundle" error instead of misreading it.
 */
export const BUNDLE_MAGIC = 'LRSB';
/** The newest bundle version: what a bundle with learned item embeddings is written as. */
export const BUNDLE_VERSION = 3;
/** The version of bundles with ranker params and no embeddings. */
const BUNDLE_VERSION_PARAMS = 2;
/** The version of bundles without ranker params. */
const BUNDLE_VERSION_NO_PARAMS = 1;
const HEADER_BYTES = 28;

/** Serialises a bundle (weights are quantised: decode(encode(b)) is close to, not equal to, b). */
export function encodeBundle(b: SequenceBundle): Uint8Array {
  const n = b.itemIds.length;
  if (b.popularity.length !== n || b.recentPopularity.length !== n) {
    throw new LocalrecError('invalid_argument', 'Bundle popularity arrays must have one value per item.');
  }
  const w = new Writer();
  for (const id of b.itemIds) {
    const bytes = utf8Encode(id);
    w.varint(bytes.length);
    w.bytes(bytes);
  }
  for (const v of b.popularity) w.u16(quantise16(v));
  for (const v of b.recentPopularity) w.u16(quantise16(v));
  writeGraph(w, b.next, n);
  writeGraph(w, b.similar, n);
  if (b.params || b.embeddings) writeParams(w, b.params ?? {});
  if (b.embeddings) writeEmbeddings(w, b.embeddings, n);
  const body = w.finish();
  const out = new Uint8Array(HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = BUNDLE_MAGIC.charCodeAt(i);
  view.setUint16(4, b.embeddings ? BUNDLE_VERSION : b.params ? BUNDLE_VERSION_PARAMS : BUNDLE_VERSION_NO_PARAMS, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, n, true);
  view.setInt32(12, b.meta.lastDay, true);
  view.setUint16(16, clampU16(b.meta.recentDays), true);
  view.setUint16(18, clampU16(b.meta.minSupport), true);
  view.setUint32(20, out.length, true);
  view.setUint32(24, crc32(body), true);
  out.set(body, HEADER_BYTES);
  return out;
}

/**
 * Parses and validates a bundle (versions 1 to 3). Throws LocalrecError('invalid_bundle') on a
 * wrong magic or version, truncation, a checksum mismatch, duplicate ids, an out-of-range item
 * index, or a ranker parameter that is unknown, repeated or out of its range.
 */
export function decodeBundle(bytes: Uint8Array): SequenceBundle {
  if (!(bytes instanceof Uint8Array)) throw bad('expected a Uint8Array');
  if (bytes.length < HEADER_BYTES) throw bad(`only ${bytes.length} bytes, shorter than the header`);
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== BUNDLE_MAGIC.charCodeAt(i)) throw bad('wrong magic: not a localrec session bundle');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(4, true);
  if (version !== BUNDLE_VERSION && version !== BUNDLE_VERSION_PARAMS && version !== BUNDLE_VERSION_NO_PARAMS) {
    throw bad(`version ${version}, this build reads versions ${BUNDLE_VERSION_NO_PARAMS} and ${BUNDLE_VERSION}; rebuild the bundle`);
  }
  const n = view.getUint32(8, true);
  const lastDay = view.getInt32(12, true);
  const recentDays = view.getUint16(16, true);
  const minSupport = view.getUint16(18, true);
  const total = view.getUint32(20, true);
  if (total !== bytes.length) throw bad(`header says ${total} bytes, got ${bytes.length} (truncated or padded download?)`);
  const body = bytes.subarray(HEADER_BYTES);
  if (crc32(body) !== view.getUint32(24, true)) throw bad('checksum mismatch (corrupted download?)');
  // Every item needs at least 1 + 2 + 2 + 1 + 1 bytes, which bounds n before allocating.
  if (n * 7 > body.length) throw bad(`item count ${n} does not fit in ${body.length} bytes`);

  const r = new Reader(body);
  const itemIds: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const len = r.varint();
    const id = utf8Decode(r.bytes(len));
    if (id === undefined) throw bad(`item ${i} id is not valid UTF-8`);
    if (seen.has(id)) throw bad(`duplicate item id "${id}"`);
    seen.add(id);
    itemIds.push(id);
  }
  const popularity = new Float32Array(n);
  for (let i = 0; i < n; i++) popularity[i] = r.u16() / 65535;
  const recentPopularity = new Float32Array(n);
  for (let i = 0; i < n; i++) recentPopularity[i] = r.u16() / 65535;
  const next = readGraph(r, n);
  const similar = readGraph(r, n);
  const params = version >= BUNDLE_VERSION_PARAMS ? readParams(r) : undefined;
  const embeddings = version === BUNDLE_VERSION ? readEmbeddings(r, n) : undefined;
  if (!r.atEnd()) throw bad('trailing bytes after the last section');
  return {
    itemIds, popularity, recentPopularity, next, similar, meta: { lastDay, recentDays, minSupport },
    ...(params && (version === BUNDLE_VERSION_PARAMS || Object.keys(params).length > 0) ? { params } : {}),
    ...(embeddings ? { embeddings } : {}),
  };
}

/** Most learned dimensions a bundle may carry (a bound before allocating). */
const MAX_EMBEDDING_DIM = 1024;

function writeEmbeddings(w: Writer, e: ItemEmbeddings, n: number): void {
  if (!Number.isInteger(e.dim) || e.dim < 1 || e.dim > MAX_EMBEDDING_DIM || e.has.length !== n || e.vectors.length !== n * e.dim) {
    throw new LocalrecError('invalid_argument', `Bundle embeddings must be itemCount × dim (dim 1..${MAX_EMBEDDING_DIM}).`);
  }
  const items: number[] = [];
  for (let i = 0; i < n; i++) if (e.has[i]) items.push(i);
  w.varint(e.dim);
  w.varint(items.length);
  let prev = 0;
  for (const i of items) {
    w.varint(i - prev);
    prev = i;
  }
  for (const i of items) {
    const q = quantiseRow(e.vectors.subarray(i * e.dim, (i + 1) * e.dim));
    w.bytes(new Uint8Array(q.buffer, q.byteOffset, q.length));
  }
}

function readEmbeddings(r: Reader, n: number): ItemEmbeddings {
  const dim = r.varint();
  if (dim < 1 || dim > MAX_EMBEDDING_DIM) throw bad(`embedding dimension ${dim}, not in 1..${MAX_EMBEDDING_DIM}`);
  const count = r.varint();
  if (count > n) throw bad(`${count} learned embeddings for ${n} items`);
  const items: number[] = [];
  let t = 0;
  for (let j = 0; j < count; j++) {
    const delta = r.varint();
    if (j > 0 && delta === 0) throw bad('an item has two learned embeddings');
    t += delta;
    if (t >= n) throw bad(`learned embedding for item ${t}, out of range 0..${n - 1}`);
    items.push(t);
  }
  const has = new Uint8Array(n);
  const vectors = new Float32Array(n * dim);
  for (const i of items) {
    const raw = r.bytes(dim);
    const v = dequantiseRow(new Int8Array(raw.buffer, raw.byteOffset, dim));
    has[i] = 1;
    vectors.set(v, i * dim);
  }
  return { dim, has, vectors };
}

function writeParams(w: Writer, params: Partial<RankerParams>): void {
  const names = RANKER_PARAM_NAMES.filter((name) => params[name] !== undefined);
  w.varint(names.length);
  for (const name of names) {
    const problem = rankerParamProblem(name, params[name]);
    if (problem) throw new LocalrecError('invalid_argument', `Bundle ranker parameter ${problem}.`);
    const bytes = utf8Encode(name);
    w.varint(bytes.length);
    w.bytes(bytes);
    w.f64(params[name]!);
  }
}

function readParams(r: Reader): Partial<RankerParams> {
  const count = r.varint();
  if (count > RANKER_PARAM_NAMES.length) throw bad(`${count} ranker parameters, this build knows ${RANKER_PARAM_NAMES.length}`);
  const out: Partial<Record<keyof RankerParams, number>> = {};
  for (let i = 0; i < count; i++) {
    const name = utf8Decode(r.bytes(r.varint()));
    // An unknown name is a bundle for another ranker: guessing its meaning would rank silently wrong.
    if (name === undefined || !isRankerParamName(name)) throw bad(`unknown ranker parameter "${name ?? '(not UTF-8)'}"`);
    if (out[name] !== undefined) throw bad(`ranker parameter ${name} given twice`);
    const value = r.f64();
    const problem = rankerParamProblem(name, value);
    if (problem) throw bad(`ranker parameter ${problem}, got ${value}`);
    out[name] = value;
  }
  return out;
}

function writeGraph(w: Writer, g: NeighbourGraph, n: number): void {
  if (g.offsets.length !== n + 1) throw new LocalrecError('invalid_argument', 'Graph offsets must have itemCount + 1 entries.');
  for (let a = 0; a < n; a++) {
    const start = g.offsets[a]!;
    const end = g.offsets[a + 1]!;
    const order: number[] = [];
    for (let k = start; k < end; k++) order.push(k);
    order.sort((x, y) => g.targets[x]! - g.targets[y]!);
    w.varint(order.length);
    let prev = 0;
    for (const k of order) {
      const t = g.targets[k]!;
      if (t >= n || (k !== order[0] && t === prev)) {
        throw new LocalrecError('invalid_argument', `Graph row ${a} has a bad or repeated target ${t}.`);
      }
      w.varint(t - prev);
      prev = t;
    }
    for (const k of order) w.u8(Math.max(1, Math.min(255, Math.round(255 * Math.sqrt(Math.max(0, g.weights[k]!))))));
  }
}

function readGraph(r: Reader, n: number): NeighbourGraph {
  const offsets = new Uint32Array(n + 1);
  const targets: number[] = [];
  const weights: number[] = [];
  for (let a = 0; a < n; a++) {
    const count = r.varint();
    if (count > n) throw bad(`item ${a} lists ${count} neighbours, more than there are items`);
    let t = 0;
    for (let j = 0; j < count; j++) {
      const delta = r.varint();
      if (j > 0 && delta === 0) throw bad(`item ${a} lists a neighbour twice`);
      t += delta;
      if (t >= n) throw bad(`item ${a} has neighbour index ${t}, out of range 0..${n - 1}`);
      targets.push(t);
    }
    for (let j = 0; j < count; j++) {
      const q = r.u8() / 255;
      weights.push(q * q);
    }
    offsets[a + 1] = targets.length;
  }
  return { offsets, targets: Uint32Array.from(targets), weights: Float32Array.from(weights) };
}

function bad(why: string): LocalrecError {
  return new LocalrecError('invalid_bundle', `Invalid session bundle: ${why}.`);
}

function quantise16(v: number): number {
  return Math.max(0, Math.min(65535, Math.round(v * 65535)));
}

function clampU16(v: number): number {
  return Math.max(0, Math.min(65535, Math.round(v)));
}

class Writer {
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private need(k: number): void {
    if (this.len + k <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + k));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u8(v: number): void {
    this.need(1);
    this.buf[this.len++] = v;
  }
  u16(v: number): void {
    this.need(2);
    this.buf[this.len++] = v & 0xff;
    this.buf[this.len++] = v >>> 8;
  }
  f64(v: number): void {
    this.need(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.len, 8).setFloat64(0, v, true);
    this.len += 8;
  }
  varint(v: number): void {
    // LEB128, unsigned, up to 2^32.
    while (v >= 0x80) {
      this.u8((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.u8(v);
  }
  bytes(b: Uint8Array): void {
    this.need(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  private need(k: number): void {
    if (this.pos + k > this.buf.length) throw bad('truncated (a section runs past the end)');
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.buf[this.pos]! | (this.buf[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }
  varint(): number {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      const b = this.u8();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    throw bad('a number is longer than 5 bytes');
  }
  bytes(k: number): Uint8Array {
    this.need(k);
    const out = this.buf.subarray(this.pos, this.pos + k);
    this.pos += k;
    return out;
  }
  atEnd(): boolean {
    return this.pos === this.buf.length;
  }
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE, as zlib), to catch corrupted downloads that still parse. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
