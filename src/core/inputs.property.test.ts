/**
 * Property tests for what localrec reads from outside other than events (those are in
 * events.property.test.ts): catalogs, ranking bundles and stored profiles. Each either parses or
 * fails with a typed LocalrecError; nothing else escapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from './catalog';
import { LocalrecError } from './errors';
import { validateEvent } from './events';
import { applyEvent } from './profile/apply-event';
import { checkProfile } from './profile/repair';
import { emptyProfile } from './profile/state';
import { buildSequenceBundle } from './sequence/bundle-builder';
import { decodeBundle, encodeBundle } from './sequence/bundle-format';
import { T0, testCatalogJson } from './testing/fixtures';

const RUNS = 4000;

function onlyTyped(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof LocalrecError)) throw new Error(`untyped error: ${String(e)}`);
  }
}

/** A valid catalog with one field of one item replaced by an arbitrary value. */
const mutatedCatalog = fc.record({
  item: fc.nat(7),
  field: fc.constantFrom('id', 'title', 'category', 'price', 'brand', 'available', 'popularity', 'embedding', '__proto__', 'constructor'),
  value: fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }),
}).map(({ item, field, value }) => {
  const json = testCatalogJson() as unknown as { items: Record<string, unknown>[] };
  Object.defineProperty(json.items[item]!, field, { value, enumerable: true, configurable: true, writable: true });
  return json;
});

describe('catalogs', () => {
  it('parse or fail with a typed error, for any value and any mutation of a valid one', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withNullPrototype: true }), (v) => onlyTyped(() => parseCatalog(v))), { numRuns: RUNS });
    fc.assert(fc.property(mutatedCatalog, (json) => {
      onlyTyped(() => {
        const c = parseCatalog(json);
        // What parses ranks: finite embeddings and priors for every item.
        expect(c.matrix.every(Number.isFinite)).toBe(true);
        expect(c.prior.every(Number.isFinite)).toBe(true);
      });
    }), { numRuns: RUNS });
  });
});

it('rejects embeddings a float32 matrix cannot hold (holes, 1e200)', () => {
  for (const embedding of [[, 1], [1e200, 1], [1, Number.NaN]]) {
    const json = testCatalogJson() as unknown as { items: Record<string, unknown>[] };
    json.items[0]!.embedding = embedding;
    expect(() => parseCatalog(json)).toThrow(expect.objectContaining({ code: 'invalid_catalog', field: 'items[0].embedding' }));
  }
});

describe('ranking bundles', () => {
  const valid = encodeBundle(buildSequenceBundle(
    Array.from({ length: 12 }, (_, s) => ({ sessionId: String(s), events: ['a', 'b', 'c', String(s % 3)].map((itemId, i) => ({ itemId, time: s * 100 + i })) })),
    { minSupport: 1 },
  ));

  it('decode or fail with a typed error, for arbitrary bytes and for valid bytes with some flipped', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => onlyTyped(() => decodeBundle(bytes))), { numRuns: RUNS });
    fc.assert(fc.property(fc.array(fc.record({ at: fc.nat(valid.length - 1), xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 4 }), fc.nat(valid.length), (flips, cut) => {
      const bytes = valid.slice(0, Math.max(cut, 1) === valid.length ? valid.length : cut);
      for (const f of flips) if (f.at < bytes.length) bytes[f.at] = bytes[f.at]! ^ f.xor;
      onlyTyped(() => decodeBundle(bytes));
    }), { numRuns: RUNS });
  });
});

describe('stored profiles', () => {
  const catalog = parseCatalog(testCatalogJson());
  const real = emptyProfile(64, T0);
  applyEvent(real, validateEvent({ type: 'add_to_cart', itemId: 'k1', time: T0 }, T0), catalog);

  it('come back checked or not at all, never throwing, whatever was stored', () => {
    fc.assert(fc.property(fc.anything({ withBigInt: true, withTypedArray: true, withNullPrototype: true }), (raw) => {
      expect(() => checkProfile(raw)).not.toThrow();
    }), { numRuns: RUNS });
    // A real profile with one field replaced: accepted only if that field still has the right shape.
    const keys = Object.keys(real);
    fc.assert(fc.property(fc.constantFrom(...keys), fc.anything(), (key, value) => {
      const damaged = { ...structuredClone(real), [key]: value };
      const checked = checkProfile(damaged);
      if (checked) expect(Number.isFinite(checked.lastSeen) && Array.isArray(checked.purchases)).toBe(true);
    }), { numRuns: RUNS });
    expect(checkProfile(structuredClone(real))).toBeDefined();
  });
});
