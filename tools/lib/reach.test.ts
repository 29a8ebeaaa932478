import { describe, expect, it } from 'vitest';
import { buildSequenceBundle } from '../../src/core/sequence/bundle-builder';
import type { LogSession } from '../../src/core/sequence/types';
import { evidenceReach } from './reach';

const session = (id: string, items: string[]): LogSession => ({ sessionId: id, events: items.map((itemId, t) => ({ itemId, time: 1000 + t })) });

describe('evidenceReach', () => {
  // a–b is seen in two sessions (published at min support 2), c–d in one (withheld), e never with a.
  const train = [session('1', ['a', 'b']), session('2', ['a', 'b']), session('3', ['c', 'd']), session('4', ['e', 'f'])];

  it('splits next clicks into repeats, published pairs and pairs the minimum support withheld', () => {
    const test = [session('t1', ['a', 'b', 'a']), session('t2', ['c', 'd', 'e'])];
    const reach = evidenceReach(train, test, buildSequenceBundle(train, { minSupport: 2, simHops: 0 }));
    // Predictions: b after [a] (published), a after [a,b] (repeat), d after [c] (withheld), e after [c,d] (nothing).
    expect(reach).toEqual({ predictions: 4, repeat: 0.25, published: 0.25, sharedSession: 0.5, withheld: 0.25 });
  });

  it('withholds nothing at minimum support 1', () => {
    const test = [session('t2', ['c', 'd'])];
    expect(evidenceReach(train, test, buildSequenceBundle(train, { minSupport: 1, simHops: 0 }))).toMatchObject({ published: 1, withheld: 0 });
  });
});
