import '@tensorflow/tfjs-backend-cpu';
import { setBackend } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { buildSequenceBundle } from '../sequence/bundle-builder';
import { decodeBundle, encodeBundle } from '../sequence/bundle-format';
import type { LogSession } from '../sequence/types';
import { withLearnedEmbeddings } from './combine';
import { trainItem2Vec } from './item2vec';
import { dequantiseRow, quantiseRow } from './quantise';

const sess = (id: string, items: string[]): LogSession => ({ sessionId: id, events: items.map((itemId, t) => ({ itemId, time: 1.7e9 + t })) });
// Two worlds that never meet: a b c in one, x y z in the other, plus a rare item.
const sessions: LogSession[] = [];
for (let k = 0; k < 40; k++) {
  sessions.push(sess(`a${k}`, k % 2 ? ['a', 'b', 'c', 'a'] : ['c', 'b', 'a']));
  sessions.push(sess(`x${k}`, k % 2 ? ['x', 'y', 'z'] : ['z', 'x', 'y', 'z']));
}
sessions.push(sess('rare', ['a', 'rare']));
const ids = ['a', 'b', 'c', 'rare', 'x', 'y', 'z'];
const opts = { dim: 8, epochs: 20, minSupport: 5, batch: 16, learningRate: 0.1 };
const dot = (v: Float32Array, i: number, j: number, d: number) => {
  let s = 0;
  for (let k = 0; k < d; k++) s += v[i * d + k]! * v[j * d + k]!;
  return s;
};

beforeAll(async () => {
  await setBackend('cpu');
});

describe('item2vec on tfjs', () => {
  it('is deterministic: two runs with one seed give identical bytes, another seed differs', () => {
    const a = trainItem2Vec(sessions, ids, opts);
    const b = trainItem2Vec(sessions, ids, opts);
    expect(Buffer.from(a.vectors.buffer).equals(Buffer.from(b.vectors.buffer))).toBe(true);
    const c = trainItem2Vec(sessions, ids, { ...opts, seed: 2 });
    expect(Buffer.from(a.vectors.buffer).equals(Buffer.from(c.vectors.buffer))).toBe(false);
  });

  it('puts co-occurring items close and gives rare items no vector', () => {
    const e = trainItem2Vec(sessions, ids, opts);
    expect([...e.has]).toEqual([1, 1, 1, 0, 1, 1, 1]);
    expect(dot(e.vectors, 3, 3, 8)).toBe(0);
    expect(dot(e.vectors, 0, 0, 8)).toBeCloseTo(1, 5);
    // Same world closer than the other world.
    expect(dot(e.vectors, 0, 1, 8)).toBeGreaterThan(dot(e.vectors, 0, 4, 8));
    expect(dot(e.vectors, 4, 5, 8)).toBeGreaterThan(dot(e.vectors, 4, 1, 8));
  });
});

describe('int8 quantisation', () => {
  it('keeps every component within max|v|/254 before renormalising, and the direction', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    for (let t = 0; t < 50; t++) {
      const v = Float32Array.from({ length: 32 }, rand);
      const norm = Math.hypot(...v);
      v.forEach((x, i) => (v[i] = x / norm));
      const q = quantiseRow(v);
      const max = Math.max(...v.map(Math.abs));
      q.forEach((c, i) => expect(Math.abs((c * max) / 127 - v[i]!)).toBeLessThanOrEqual(max / 254 + 1e-7));
      const back = dequantiseRow(q);
      let cos = 0;
      for (let i = 0; i < 32; i++) cos += back[i]! * v[i]!;
      expect(cos).toBeGreaterThan(0.999);
    }
    expect([...dequantiseRow(quantiseRow(new Float32Array(4)))]).toEqual([0, 0, 0, 0]);
  });
});

describe('learned embeddings in the bundle and the catalog', () => {
  const bundle = buildSequenceBundle(sessions, { minSupport: 1 });
  const learned = trainItem2Vec(sessions, bundle.itemIds, opts);

  it('round trips as version 3 and bundles without them stay version 1 or 2', () => {
    const bytes = encodeBundle({ ...bundle, embeddings: learned });
    expect(new DataView(bytes.buffer).getUint16(4, true)).toBe(3);
    const back = decodeBundle(bytes);
    expect(back.params).toBeUndefined();
    expect([...back.embeddings!.has]).toEqual([...learned.has]);
    for (let i = 0; i < bundle.itemIds.length; i++) {
      if (!learned.has[i]) continue;
      expect(dot(back.embeddings!.vectors, i, i, 8)).toBeCloseTo(1, 5);
      let cos = 0;
      for (let d = 0; d < 8; d++) cos += back.embeddings!.vectors[i * 8 + d]! * learned.vectors[i * 8 + d]!;
      expect(cos).toBeGreaterThan(0.999);
    }
    const withParams = decodeBundle(encodeBundle({ ...bundle, params: { repeatWeight: 2 }, embeddings: learned }));
    expect(withParams.params).toEqual({ repeatWeight: 2 });
    const plain = encodeBundle(bundle);
    expect(new DataView(plain.buffer).getUint16(4, true)).toBe(1);
    expect(decodeBundle(plain).embeddings).toBeUndefined();
    expect(new DataView(encodeBundle({ ...bundle, params: { repeatWeight: 2 } }).buffer).getUint16(4, true)).toBe(2);
  });

  it('sets learned vectors beside content vectors: unit rows, one space, ids-only catalogs gain content', () => {
    const json = { format: 'localrec-catalog', formatVersion: 1, version: 't', items: ids.map((id) => ({ id, title: id, category: ['All'], price: 0, available: true, popularity: 1 })) };
    const catalog = parseCatalog(json);
    const both = withLearnedEmbeddings(catalog, bundle.itemIds, decodeBundle(encodeBundle({ ...bundle, embeddings: learned })).embeddings!);
    expect(both.dim).toBe(catalog.dim + 8);
    expect(both.hashedItems).toBe(1); // only "rare" is content alone
    for (let i = 0; i < ids.length; i++) expect(dot(both.matrix, i, i, both.dim)).toBeCloseTo(1, 5);
    const r = both.index.get('rare')!;
    for (let d = catalog.dim; d < both.dim; d++) expect(both.matrix[r * both.dim + d]).toBe(0);
    const [a, b, x] = ['a', 'b', 'x'].map((id) => both.index.get(id)!) as [number, number, number];
    expect(dot(both.matrix, a, b, both.dim)).toBeGreaterThan(dot(both.matrix, a, x, both.dim));
    // No learned vector for any catalog item: the catalog itself.
    expect(withLearnedEmbeddings(catalog, ['q'], { dim: 2, has: Uint8Array.of(1), vectors: Float32Array.of(1, 0) })).toBe(catalog);
  });
});
