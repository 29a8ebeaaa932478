import { describe, expect, it } from 'vitest';
import { rank } from './rank';
import { Scratch } from './scratch';
import { randomCase } from './testing/random-case';
import { referenceRank } from './testing/reference-rank';

describe('rank (typed columns, lookup tables) against the straightforward ranking', () => {
  it('returns exactly what the reference returns: ids, scores and reasons, on 300 random catalogs and profiles', () => {
    let nonEmpty = 0;
    // One Scratch through every case, as the engine keeps one: buffers left dirty by a larger
    // catalog before must not leak into the next ranking.
    const scratch = new Scratch();
    for (let seed = 1; seed <= 300; seed++) {
      const { ctx, candidates, similarity } = randomCase(seed);
      const want = referenceRank(ctx, candidates, similarity);
      const fast = rank(ctx, candidates, similarity);
      expect(fast, `seed ${seed}`).toEqual(want);
      expect(rank({ ...ctx, scratch }, candidates, similarity), `seed ${seed}, with scratch`).toEqual(want);
      if (fast.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(250);
  });

  it('notices a difference: a changed weight breaks the match', () => {
    const { ctx, candidates, similarity } = randomCase(3);
    const changed = rank(ctx, candidates, similarity.map((s) => s * 0.5));
    expect(changed).not.toEqual(referenceRank(ctx, candidates, similarity));
  });
});
