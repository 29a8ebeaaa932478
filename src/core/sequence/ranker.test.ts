import { describe, expect, it } from 'vitest';
import { LocalrecError } from '../errors';
import { topK } from '../ranking/top-k';
import { buildSequenceBundle } from './bundle-builder';
import { decodeBundle, encodeBundle } from './bundle-format';
import { emptyBundle } from './empty-bundle';
import { DEFAULT_RANKER_PARAMS, SequenceRanker } from './ranker';
import type { LogSession } from './types';

const sess = (id: string, items: string[]): LogSession => ({ sessionId: id, events: items.map((itemId, t) => ({ itemId, time: 1.7e9 + t })) });
// Shoppers go phone → case → charger; laptops → bag; "pop" is clicked by everyone.
const log: LogSession[] = [];
for (let i = 0; i < 10; i++) log.push(sess(`p${i}`, ['phone', 'case', 'charger']));
for (let i = 0; i < 10; i++) log.push(sess(`l${i}`, ['laptop', 'bag']));
for (let i = 0; i < 30; i++) log.push(sess(`x${i}`, ['pop', `solo${i % 3}`]));
const bundle = decodeBundle(encodeBundle(buildSequenceBundle(log, { minSupport: 2 })));
const ranker = new SequenceRanker(bundle);
const ev = (...ids: string[]) => ids.map((itemId, t) => ({ itemId, time: t }));
const top = (ids: string[], k = 3) => topK(ranker.score(ev(...ids)), k).map((x) => ranker.itemIds[x.index]);

describe('SequenceRanker', () => {
  it('recommends what follows the last item, and follows the session as it moves', () => {
    expect(top(['phone'])[0]).toBe('case');
    expect(top(['phone', 'case']).slice(0, 2)).toContain('charger');
    expect(top(['phone', 'laptop'])[0]).toBe('bag');
  });

  it('scores an item with no evidence at exactly its popularity floor, and only popularity for an empty session', () => {
    // Scores are Float32, so the expected floor is rounded the same way.
    const floor = (id: string) => Math.fround(DEFAULT_RANKER_PARAMS.popWeight * bundle.popularity[ranker.indexOf(id)!]!);
    expect(floor('solo1')).toBeGreaterThan(0);
    expect(ranker.score(ev('laptop'))[ranker.indexOf('solo1')!]).toBe(floor('solo1'));
    expect(ranker.score(ev('laptop'))[ranker.indexOf('bag')!]).toBeGreaterThan(floor('bag'));
    expect(new SequenceRanker(bundle, { popWeight: 0 }).score(ev('laptop'))[ranker.indexOf('solo1')!]).toBe(0);
    expect(Array.from(ranker.score([]))).toEqual(ranker.itemIds.map(floor));
    expect(ranker.itemIds[topK(ranker.score([]), 1)[0]!.index]).toBe('pop');
  });

  it('ignores unknown items and reuses the output buffer', () => {
    const out = new Float32Array(ranker.itemIds.length);
    expect(ranker.score(ev('nope', 'phone'), out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(ranker.score(ev('phone'))));
  });

  it('explains a score by the session items behind it, strongest first', () => {
    const why = ranker.explain(ev('laptop', 'phone'), ranker.indexOf('case')!);
    expect(why[0]).toMatchObject({ itemId: 'phone', kind: 'next' });
    expect(why.every((w) => w.itemId === 'phone')).toBe(true);
    expect(ranker.explain(ev('bag'), ranker.indexOf('bag')!)[0]).toMatchObject({ kind: 'repeat' });
    expect(() => ranker.explain([], 99)).toThrow(LocalrecError);
  });

  it('works without a bundle: only the session itself counts', () => {
    const bare = new SequenceRanker(emptyBundle(['a', 'b', 'c']));
    const s = bare.score(ev('b', 'c'));
    expect(s[0]).toBe(0);
    expect(s[2]!).toBeGreaterThan(s[1]!); // the more recent view ranks first
    expect(new SequenceRanker(emptyBundle()).score(ev('a')).length).toBe(0);
  });

  it('rejects bad parameters', () => {
    expect(() => new SequenceRanker(emptyBundle(), { simWeight: -1 })).toThrow(LocalrecError);
    expect(() => new SequenceRanker(emptyBundle(), { maxEvents: 2.5 })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => new SequenceRanker(emptyBundle(), { recentShare: 1.5 })).toThrow(LocalrecError);
  });

  it("ranks with the bundle's weights, and the constructor's overrides over them", () => {
    const first = (r: SequenceRanker, ids: string[]) => r.itemIds[topK(r.score(ev(...ids)), 1)[0]!.index];
    expect(first(ranker, ['phone'])).toBe('case');
    const onlyRepeats = { ...bundle, params: { nextWeight: 0, simWeight: 0 } };
    expect(new SequenceRanker(onlyRepeats).params).toEqual({ ...DEFAULT_RANKER_PARAMS, nextWeight: 0, simWeight: 0 });
    expect(first(new SequenceRanker(onlyRepeats), ['phone'])).toBe('phone');
    expect(first(new SequenceRanker(onlyRepeats, { nextWeight: 1, repeatWeight: 0 }), ['phone'])).toBe('case');
  });

  it('adapts the repeat boost to the shopper: more for one who re-visits, less for one who never does', () => {
    const adaptive = new SequenceRanker(bundle, { repeatAdapt: 1 });
    const boost = (r: SequenceRanker, ids: string[]) => r.explain(ev(...ids), r.indexOf(ids.at(-1)!)!).find((x) => x.kind === 'repeat')!.weight;
    // Reference: the store's boost for the last item, 1 at repeatAdapt 0.
    expect(boost(ranker, ['laptop', 'phone', 'case', 'bag'])).toBe(1);
    // Three transitions, none back: (2·1/5)^1; three transitions, two back: (2·3/5)^1.
    expect(boost(adaptive, ['laptop', 'phone', 'case', 'bag'])).toBeCloseTo(0.4, 12);
    expect(boost(adaptive, ['phone', 'case', 'phone', 'case'])).toBeCloseTo(1.2, 12);
    // A first event is no habit either way.
    expect(boost(adaptive, ['phone'])).toBe(1);
    // The scores agree with the explanation.
    const s = adaptive.score(ev('phone', 'case', 'phone', 'case'));
    const plain = new SequenceRanker(bundle, { repeatWeight: 0 }).score(ev('phone', 'case', 'phone', 'case'));
    const c = ranker.indexOf('case')!;
    expect(s[c]! - plain[c]!).toBeCloseTo(1.2 * (1 + 0.5 * 0.5), 5);
  });
});
