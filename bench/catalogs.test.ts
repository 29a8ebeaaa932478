import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../src/core/catalog';
import { validateEvent } from '../src/core/events';
import { applyEvent } from '../src/core/profile/apply-event';
import { emptyProfile } from '../src/core/profile/state';
import { candidateIndices } from '../src/core/ranking/candidates';
import { queryVector, similarities } from '../src/core/ranking/query';
import { rank } from '../src/core/ranking/rank';
import { Scratch } from '../src/core/ranking/scratch';
import { referenceRank } from '../src/core/ranking/testing/reference-rank';
import { syntheticCatalog, syntheticEvents } from './catalogs';

// The benchmark's correctness part, in Node: its catalogs are what it says, and on them the
// engine's ranking is the reference ranking (the browser run checks the same with tfjs scores).
describe('the benchmark catalogs', () => {
  it('are the same for the same seed, valid catalog JSON, with 64-number embeddings when asked', () => {
    expect(JSON.stringify(syntheticCatalog({ items: 500 }))).toBe(JSON.stringify(syntheticCatalog({ items: 500 })));
    expect(syntheticCatalog({ items: 500, seed: 2 }).items[0]).not.toEqual(syntheticCatalog({ items: 500 }).items[0]);
    const hashed = parseCatalog(syntheticCatalog({ items: 2000 }));
    expect(hashed.hashedItems).toBe(2000);
    const embedded = parseCatalog(syntheticCatalog({ items: 2000, embeddings: true }));
    expect({ hashed: embedded.hashedItems, dim: embedded.dim }).toEqual({ hashed: 0, dim: 64 });
  });

  it('rank as the reference ranking does, with one Scratch across calls', () => {
    const scratch = new Scratch();
    for (const embeddings of [false, true]) {
      const json = syntheticCatalog({ items: 3000, embeddings });
      const catalog = parseCatalog(json);
      const now = Date.UTC(2026, 10, 1, 12);
      const profile = emptyProfile(catalog.dim, now - 600_000);
      syntheticEvents(json, 20).forEach((e, i) => applyEvent(profile, validateEvent({ ...e, time: now - (20 - i) * 20_000 }, now), catalog));
      const request = { k: 20 };
      const candidates = candidateIndices(catalog, request);
      const similarity = similarities(catalog, candidates, queryVector(profile, catalog, now));
      const ctx = { catalog, profile, request, now, sequence: undefined };
      const want = referenceRank(ctx, candidates, similarity);
      expect(want).toHaveLength(20);
      expect(rank({ ...ctx, scratch }, candidates, similarity)).toEqual(want);
    }
  });
});
