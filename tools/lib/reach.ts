import type { LogSession, NeighbourGraph, SequenceBundle } from '../../src/core/sequence/types';

/**
 * Where each next click of a test log could come from, as shares of the predictions the replay
 * makes (the session-rec protocol: unknown items dropped, first event never predicted):
 * - `repeat`: the target is already in the session;
 * - `published`: not a repeat, and a neighbour of a session item in the bundle's graphs;
 * - `sharedSession`: not a repeat, and in some training session together with a session item
 *   (what a session kNN reading the raw log can use);
 * - `withheld`: shared a session but not published: pairs the bundle's minimum support kept out
 *   (seen in too few sessions) or that fell outside an item's kept neighbours. Hits there are
 *   out of the session ranker's reach, whatever its weights.
 */
export interface EvidenceReach {
  readonly predictions: number;
  readonly repeat: number;
  readonly published: number;
  readonly sharedSession: number;
  readonly withheld: number;
}

/** Measures {@link EvidenceReach} of `test` against `train` and the bundle built from it. */
export function evidenceReach(train: readonly LogSession[], test: readonly LogSession[], bundle: SequenceBundle): EvidenceReach {
  const index = new Map(bundle.itemIds.map((id, i) => [id, i]));
  // Training sessions per item, as sorted lists of session numbers.
  const sessionsOf: number[][] = bundle.itemIds.map(() => []);
  train.forEach((s, sid) => {
    for (const e of s.events) {
      const list = sessionsOf[index.get(e.itemId)!]!;
      if (list[list.length - 1] !== sid) list.push(sid);
    }
  });
  let predictions = 0;
  let repeat = 0;
  let published = 0;
  let shared = 0;
  let withheld = 0;
  for (const s of test) {
    const items = s.events.map((e) => index.get(e.itemId)).filter((i): i is number => i !== undefined);
    for (let t = 1; t < items.length; t++) {
      predictions++;
      const target = items[t]!;
      const prefix = items.slice(0, t);
      if (prefix.includes(target)) {
        repeat++;
        continue;
      }
      const pub = prefix.some((a) => hasEdge(bundle.next, a, target) || hasEdge(bundle.similar, a, target));
      const raw = prefix.some((a) => intersects(sessionsOf[a]!, sessionsOf[target]!));
      if (pub) published++;
      if (raw) shared++;
      if (raw && !pub) withheld++;
    }
  }
  const share = (x: number) => (predictions ? x / predictions : 0);
  return { predictions, repeat: share(repeat), published: share(published), sharedSession: share(shared), withheld: share(withheld) };
}

function hasEdge(g: NeighbourGraph, a: number, b: number): boolean {
  for (let k = g.offsets[a]!; k < g.offsets[a + 1]!; k++) if (g.targets[k] === b) return true;
  return false;
}

/** Whether two ascending lists share an element. */
function intersects(x: readonly number[], y: readonly number[]): boolean {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) return true;
    if (x[i]! < y[j]!) i++;
    else j++;
  }
  return false;
}
