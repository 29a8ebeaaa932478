import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { validateEvent } from '../events';
import { applyEvent } from '../profile/apply-event';
import { emptyProfile } from '../profile/state';
import { T0, testCatalogJson } from '../testing/fixtures';
import type { Pool } from './context';
import { dampSeen, SEEN_DAMPING } from './novelty';

const catalog = parseCatalog(testCatalogJson());
const at = (id: string) => catalog.index.get(id)!;

describe('dampSeen', () => {
  it('damps items looked at in this session and nothing else', () => {
    const profile = emptyProfile(64, T0);
    for (const [t, itemId] of [[0, 'k1'], [1, 'ghost']] as const) applyEvent(profile, validateEvent({ type: 'view', itemId, time: T0 + t }, T0 + t), catalog);
    const pool: Pool = { items: Int32Array.of(at('k1'), at('k2')), similarity: new Float32Array(2), requested: new Int32Array(0) };
    const scores = Float32Array.of(1, 1);
    dampSeen({ catalog, profile, request: { k: 2 }, now: T0, sequence: undefined }, pool, scores);
    expect(Array.from(scores)).toEqual([SEEN_DAMPING, 1]);
  });

  it('damps by the context\'s seenDamping when it gives one; 1 leaves seen items as they were', () => {
    const profile = emptyProfile(64, T0);
    applyEvent(profile, validateEvent({ type: 'view', itemId: 'k1', time: T0 }, T0), catalog);
    const pool: Pool = { items: Int32Array.of(at('k1'), at('k2')), similarity: new Float32Array(2), requested: new Int32Array(0) };
    for (const [seenDamping, kept] of [[0.25, 0.25], [1, 1]] as const) {
      const scores = Float32Array.of(1, 1);
      dampSeen({ catalog, profile, request: { k: 2 }, now: T0, sequence: undefined, seenDamping }, pool, scores);
      expect(Array.from(scores)).toEqual([kept, 1]);
    }
  });

  it('forgets what was seen once a new session starts', () => {
    const profile = emptyProfile(64, T0);
    applyEvent(profile, validateEvent({ type: 'view', itemId: 'k1', time: T0 }, T0), catalog);
    applyEvent(profile, validateEvent({ type: 'view', itemId: 'c1', time: T0 + 3_600_000 }, T0 + 3_600_000), catalog);
    const pool: Pool = { items: Int32Array.of(at('k1')), similarity: new Float32Array(1), requested: new Int32Array(0) };
    const scores = Float32Array.of(1);
    dampSeen({ catalog, profile, request: { k: 1 }, now: T0, sequence: undefined }, pool, scores);
    expect(scores[0]).toBe(1);
  });
});
