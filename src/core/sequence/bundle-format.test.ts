import { describe, expect, it } from 'vitest';
import { LocalrecError } from '../errors';
import { buildSequenceBundle } from './bundle-builder';
import { crc32, decodeBundle, encodeBundle } from './bundle-format';
import { emptyBundle } from './empty-bundle';
import type { LogSession } from './types';

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
    v[4] = 2;
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
