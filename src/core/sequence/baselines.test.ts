import { describe, expect, it } from 'vitest';
import { PopBaseline, SequentialRulesBaseline, SessionKnnBaseline, SessionPopBaseline } from './baselines';
import { ItemIndex } from './item-index';
import type { LogSession } from './types';

const sess = (id: string, items: string[]): LogSession => ({ sessionId: id, events: items.map((itemId, t) => ({ itemId, time: t })) });
const train = [sess('1', ['a', 'b', 'c']), sess('2', ['a', 'c']), sess('3', ['c'])];
const index = new ItemIndex(['a', 'b', 'c']);

describe('baselines', () => {
  it('POP scores supp/(supp+1)', () => {
    const s = new PopBaseline(train, index).score([]);
    expect(Array.from(s)).toEqual([2 / 3, 1 / 2, 3 / 4].map(Math.fround));
  });

  it('S-POP adds session counts to popularity', () => {
    const s = new SessionPopBaseline(train, index).score([{ itemId: 'b', time: 0 }, { itemId: 'b', time: 1 }]);
    expect(s[1]).toBeCloseTo(2 + 1 / 2, 6);
  });

  it('SR sums 1/d² over pairs and uses only the last item', () => {
    const sr = new SequentialRulesBaseline(train, index);
    // a→b at d=1 once; a→c at d=2 (session 1) and d=1 (session 2): 1/4 + 1.
    const s = sr.score([{ itemId: 'c', time: 0 }, { itemId: 'a', time: 1 }]);
    expect(Array.from(s)).toEqual([0, 1, 1.25]);
  });

  it('SKNN sums the cosine of the sessions sharing an item, within the k nearest of the most recent sample', () => {
    const a = [{ itemId: 'a', time: 0 }];
    // Sessions holding a: 1 = {a,b,c} (cosine 1/√3, ended last) and 2 = {a,c} (1/√2).
    const all = new SessionKnnBaseline(train, index).score(a);
    expect(Array.from(all)).toEqual([1 / Math.sqrt(3) + 1 / Math.sqrt(2), 1 / Math.sqrt(3), 1 / Math.sqrt(3) + 1 / Math.sqrt(2)].map(Math.fround));
    // k = 1 keeps the most similar session; sampleSize = 1 the most recent one.
    expect(Array.from(new SessionKnnBaseline(train, index, { k: 1 }).score(a))).toEqual([1 / Math.sqrt(2), 0, 1 / Math.sqrt(2)].map(Math.fround));
    expect(Array.from(new SessionKnnBaseline(train, index, { sampleSize: 1 }).score(a))).toEqual([1, 1, 1].map(() => Math.fround(1 / Math.sqrt(3))));
  });
});
