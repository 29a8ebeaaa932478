import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher';

describe('Batcher', () => {
  it('sends items together after a quiet moment, each caller getting its own result', async () => {
    const batches: number[][] = [];
    const b = new Batcher<number, number>(async (xs) => (batches.push(xs), xs.map((x) => x * 10)), 5, 100);
    const out = await Promise.all([b.add(1), b.add(2), b.add(3)]);
    expect(out).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('sends a full batch at once, and everything on flush()', async () => {
    const batches: number[][] = [];
    const b = new Batcher<number, number>(async (xs) => (batches.push(xs), xs), 10_000, 2);
    const first = Promise.all([b.add(1), b.add(2)]);
    expect(await first).toEqual([1, 2]);
    const third = b.add(3);
    await b.flush();
    expect(await third).toBe(3);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('rejects every caller of a failed batch, and goes on with the next', async () => {
    let fail = true;
    const b = new Batcher<number, number>(async (xs) => { if (fail) throw new Error('disk'); return xs; }, 1, 10);
    const failed = await Promise.allSettled([b.add(1), b.add(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await b.add(3)).toBe(3);
  });
});
