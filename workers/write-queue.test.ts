import { describe, expect, it } from 'vitest';
import { WriteQueue } from './write-queue';

describe('WriteQueue', () => {
  it('runs changes one at a time in the order asked, a failure rejecting only its own caller', async () => {
    const q = new WriteQueue();
    const log: string[] = [];
    const step = (name: string, ms: number, fail = false) => q.run(async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    });
    const results = await Promise.allSettled([step('a', 20), step('b', 1, true), step('c', 5)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('settles once everything queued so far has finished', async () => {
    const q = new WriteQueue();
    let done = 0;
    for (let i = 0; i < 3; i++) void q.run(async () => { await new Promise((r) => setTimeout(r, 5)); done++; }).catch(() => undefined);
    void q.run(async () => { throw new Error('x'); }).catch(() => undefined);
    await q.settled();
    expect(done).toBe(3);
  });
});
