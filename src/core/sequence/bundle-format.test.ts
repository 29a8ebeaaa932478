import { describe, expect, it } from 'vitest';
import { LocalrecError } from '../errors';
import { buildSequenceBundle } from './bundle-builder';
import { crc32, decodeBundle, encodeBundle } from './bundle-format';
import { emptyBundle } from './empty-bundle';
import { DEFAULT_RANKER_PARAMS, SequenceRanker } from './ranker';
import type { LogSession, SequenceBundle } from './types';

const sess = (id: string, items: string[]): LogSession => ({ sessionId: id, events: items.map((itemId, t) => ({ itemId, time: 1.7e9 + t })) });
const bundle = buildSequenceBundle(
  [sess('1', ['a', 'b', 'c']), sess('2', ['a', 'b']), sess('3', ['b', 'c', 'ü-✓', 'a']), sess('4', ['c', 'ü-✓'])],
  { minSupport: 1 },
);

function expectInvalid(bytes: Uint8Array, pattern?: RegExp): void {
  try {
    decodeBundle(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(LocalrecError);
    expect((e as LocalrecError).code).toBe('invalid_bundle');
    if (pattern) expect((e as LocalrecError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected decodeBundle to throw');
}

/** Rewrites the body checksum so a deliberately corrupted body gets past the CRC check. */
function reseal(bytes: Uint8Array): Uint8Array {
  new DataView(bytes.buffer).setUint32(24, crc32(bytes.subarray(28)), true);
  return bytes;
}

describe('session bundle format', () => {
  it('round trips ids exactly and weights within quantisation error', () => {
    const back = decodeBundle(encodeBundle(bundle));
    expect(back.itemIds).toEqual(bundle.itemIds);
    expect(back.meta).toEqual(bundle.meta);
    for (let i = 0; i < bundle.itemIds.length; i++) {
      expect(back.popularity[i]).toBeCloseTo(bundle.popularity[i]!, 4);
      expect(back.recentPopularity[i]).toBeCloseTo(bundle.recentPopularity[i]!, 4);
    }
    for (const g of ['next', 'similar'] as const) {
      const a = bundle[g];
      const b = back[g];
      // Without edges the weight checks below would pass without running.
      expect(a.targets.length).toBeGreaterThan(0);
      expect(Array.from(b.offsets)).toEqual(Array.from(a.offsets));
      for (let r = 0; r + 1 < a.offsets.length; r++) {
        const want = new Map<number, number>();
        for (let k = a.offsets[r]!; k < a.offsets[r + 1]!; k++) want.set(a.targets[k]!, a.weights[k]!);
        for (let k = b.offsets[r]!; k < b.offsets[r + 1]!; k++) {
          const w = want.get(b.targets[k]!);
          expect(w).toBeDefined();
          expect(Math.abs(Math.sqrt(b.weights[k]!) - Math.sqrt(w!))).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
        }
      }
    }
    // Encoding is deterministic.
    expect(encodeBundle(back)).toEqual(encodeBundle(bundle));
  });

  it('round trips an empty bundle', () => {
    expect(decodeBundle(encodeBundle(emptyBundle())).itemIds).toEqual([]);
    expect(decodeBundle(encodeBundle(emptyBundle(['x', 'y']))).itemIds).toEqual(['x', 'y']);
  });

  it('rejects wrong magic and wrong version', () => {
    const bytes = encodeBundle(bundle);
    const m = bytes.slice();
    m[0] = 0x50;
    expectInvalid(m, /magic/);
    const v = bytes.slice();
    v[4] = 4; // 3 is now the version with learned embeddings (item2vec.test.ts)
    expectInvalid(v, /version/);
  });

  it('rejects every truncation and padding', () => {
    const bytes = encodeBundle(bundle);
    for (let len = 0; len < bytes.length; len++) expectInvalid(bytes.slice(0, len));
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    expectInvalid(padded);
  });

  it('rejects a corrupted body by checksum, and a resealed body by structure', () => {
    const bytes = encodeBundle(bundle);
    const c = bytes.slice();
    c[c.length - 1] = c[c.length - 1]! ^ 0xff;
    expectInvalid(c, /checksum/);
    // Item count far beyond what the body can hold.
    const big = bytes.slice();
    new DataView(big.buffer).setUint32(8, 1_000_000, true);
    expectInvalid(big, /item count/);
  });

  it('rejects an out-of-range neighbour index even with a valid checksum', () => {
    // One item, one rule to item index 5: built by hand in the body layout.
    const one = encodeBundle(emptyBundle(['a']));
    // Body of emptyBundle(['a']): varint 1, 'a', u16 pop, u16 recent, next count 0, similar count 0.
    const body = Uint8Array.from([1, 0x61, 0, 0, 0, 0, 1, 5, 200, 0]);
    const bytes = new Uint8Array(28 + body.length);
    bytes.set(one.subarray(0, 28));
    bytes.set(body, 28);
    new DataView(bytes.buffer).setUint32(20, bytes.length, true);
    expectInvalid(reseal(bytes), /out of range/);
    // Duplicate ids are rejected too.
    const dup = encodeBundle({ ...emptyBundle(['a', 'b']), itemIds: ['a', 'a'] });
    expectInvalid(dup, /duplicate/);
  });
});

/** A version-1 file as the encoder wrote it before bundles carried ranker params (commit 1638ad5). */
const V1_FILE = '4c5253420100000003000000384a0000010002003a000000bb0843b8016101620163ffff008000000000ffff00000101ff010080000102ff0000';
const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));

/** Encodes `b` with a hand-written params section (names and values as given), resealed. */
function withParamsSection(b: SequenceBundle, entries: [string, number][]): Uint8Array {
  const plain = encodeBundle(b);
  const section: number[] = [entries.length];
  for (const [name, value] of entries) {
    section.push(name.length, ...Array.from(name, (c) => c.charCodeAt(0)));
    const f = new Uint8Array(8);
    new DataView(f.buffer).setFloat64(0, value, true);
    section.push(...f);
  }
  const bytes = new Uint8Array(plain.length + section.length);
  bytes.set(plain);
  bytes.set(section, plain.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(4, 2, true);
  view.setUint32(20, bytes.length, true);
  return reseal(bytes);
}

describe('ranker params in the bundle', () => {
  const fitted = { ...DEFAULT_RANKER_PARAMS, simWeight: 1.4, repeatDecay: 0.85, repeatAdapt: 1, maxEvents: 50 };

  it('round trip exactly, as version 2; a bundle without them stays version 1, byte for byte', () => {
    const bytes = encodeBundle({ ...bundle, params: fitted });
    expect(new DataView(bytes.buffer).getUint16(4, true)).toBe(2);
    const back = decodeBundle(bytes);
    expect(back.params).toEqual(fitted);
    expect(encodeBundle(back)).toEqual(bytes);
    const plain = encodeBundle(bundle);
    expect(new DataView(plain.buffer).getUint16(4, true)).toBe(1);
    expect(decodeBundle(plain).params).toBeUndefined();
    // The params section is all that differs.
    expect(bytes.subarray(28, plain.length)).toEqual(plain.subarray(28));
  });

  it('a file written before params existed still loads, and its ranker uses the defaults', () => {
    const old = decodeBundle(fromHex(V1_FILE));
    expect(old.itemIds).toEqual(['a', 'b', 'c']);
    expect(old.params).toBeUndefined();
    expect(new SequenceRanker(old).params).toEqual(DEFAULT_RANKER_PARAMS);
    expect(encodeBundle(old)).toEqual(fromHex(V1_FILE));
  });

  it("the ranker built from a decoded bundle uses the bundle's weights, unless overridden", () => {
    const decoded = decodeBundle(encodeBundle({ ...bundle, params: fitted }));
    expect(new SequenceRanker(decoded).params).toEqual(fitted);
    expect(new SequenceRanker(decoded, { simWeight: 0 }).params).toEqual({ ...fitted, simWeight: 0 });
    // A partial set fills in from the defaults.
    const partial = decodeBundle(encodeBundle({ ...bundle, params: { popWeight: 0.01 } }));
    expect(partial.params).toEqual({ popWeight: 0.01 });
    expect(new SequenceRanker(partial).params).toEqual({ ...DEFAULT_RANKER_PARAMS, popWeight: 0.01 });
  });

  it('rejects invalid params with invalid_bundle, even under a valid checksum', () => {
    expect(decodeBundle(withParamsSection(bundle, [['simWeight', 0.5]])).params).toEqual({ simWeight: 0.5 });
    expectInvalid(withParamsSection(bundle, [['simWeight', -1]]), /simWeight/);
    expectInvalid(withParamsSection(bundle, [['simWeight', NaN]]), /simWeight/);
    expectInvalid(withParamsSection(bundle, [['nextDecay', Infinity]]), /nextDecay/);
    expectInvalid(withParamsSection(bundle, [['maxEvents', 1e9]]), /maxEvents/);
    expectInvalid(withParamsSection(bundle, [['maxEvents', 2.5]]), /maxEvents/);
    expectInvalid(withParamsSection(bundle, [['recentShare', 2]]), /recentShare/);
    expectInvalid(withParamsSection(bundle, [['learningRate', 1]]), /unknown ranker parameter/);
    expectInvalid(withParamsSection(bundle, [['popWeight', 1], ['popWeight', 2]]), /twice/);
    const truncated = withParamsSection(bundle, [['popWeight', 1]]).slice(0, -3);
    new DataView(truncated.buffer).setUint32(20, truncated.length, true);
    expectInvalid(reseal(truncated), /truncated/);
  });

  it('refuses to write invalid params', () => {
    expect(() => encodeBundle({ ...bundle, params: { popWeight: -1 } })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });
});
