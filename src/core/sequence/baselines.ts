import type { ItemIndex } from './item-index';
import type { LogSession, ItemLook } from './types';

/** Anything that scores every catalog item for a session prefix (higher = more likely next). */
export interface NextItemScorer {
  /** One score per item index; `out` is reused when given. */
  score(session: readonly ItemLook[], out?: Float32Array): Float32Array;
}

/** Events per item index over the training sessions. */
export function countEvents(sessions: readonly LogSession[], index: ItemIndex): Float64Array {
  const counts = new Float64Array(index.size);
  for (const s of sessions) {
    for (const e of s.events) {
      const i = index.indexOf(e.itemId);
      if (i !== undefined) counts[i]! += 1;
    }
  }
  return counts;
}

/**
 * session-rec's popularity score: supp/(supp+1) for the `topN` most clicked items, 0 for the rest
 * (ties in the cut broken by item order).
 */
function topPopularity(counts: Float64Array, topN: number): Float32Array {
  const order = Array.from(counts.keys()).sort((a, b) => counts[b]! - counts[a]! || a - b);
  const pop = new Float32Array(counts.length);
  for (const i of order.slice(0, topN)) pop[i] = counts[i]! / (counts[i]! + 1);
  return pop;
}

function ensure(out: Float32Array | undefined, n: number): Float32Array {
  if (out && out.length === n) {
    out.fill(0);
    return out;
  }
  return new Float32Array(n);
}

/** POP: global click popularity, the same list for every session (session-rec `Pop`, top_n 100). */
export class PopBaseline implements NextItemScorer {
  private readonly pop: Float32Array;
  constructor(sessions: readonly LogSession[], index: ItemIndex, topN = 100) {
    this.pop = topPopularity(countEvents(sessions, index), topN);
  }
  score(_session: readonly ItemLook[], out?: Float32Array): Float32Array {
    const o = ensure(out, this.pop.length);
    o.set(this.pop);
    return o;
  }
}

/**
 * S-POP (session-rec `SessionPop`): clicks of the item in this session plus supp/(supp+1) of
 * global popularity for the top 100 items, so global popularity only breaks ties.
 */
export class SessionPopBaseline implements NextItemScorer {
  private readonly pop: Float32Array;
  constructor(
    sessions: readonly LogSession[],
    private readonly index: ItemIndex,
    topN = 100,
  ) {
    this.pop = topPopularity(countEvents(sessions, index), topN);
  }
  score(session: readonly ItemLook[], out?: Float32Array): Float32Array {
    const o = ensure(out, this.pop.length);
    o.set(this.pop);
    for (const e of session) {
      const i = this.index.indexOf(e.itemId);
      if (i !== undefined) o[i]! += 1;
    }
    return o;
  }
}

/** Options of {@link SequentialRulesBaseline}; defaults are EVALUATION.md's configuration. */
export interface SequentialRulesOptions {
  /** How far back from each click rules are formed. */
  readonly steps: number;
  /** Weight of a rule at distance d: 'quadratic' 1/d², 'div' 1/d, 'same' 1. */
  readonly weighting: 'quadratic' | 'div' | 'same';
  /** Rules kept per antecedent item (highest weight first). */
  readonly pruning: number;
}

/**
 * SR, sequential rules (Kamehkhosh et al. 2017 as session-rec implements it): for each training
 * session and each pair (earlier item a, later item b) at distance d ≤ steps, rule a→b gains
 * weight(d); each antecedent keeps its `pruning` strongest rules. Prediction uses only the rules
 * of the session's LAST item.
 */
export class SequentialRulesBaseline implements NextItemScorer {
  /** Per antecedent index: consequent indices and weights. */
  private readonly rules: { targets: Int32Array; weights: Float64Array }[];

  constructor(
    sessions: readonly LogSession[],
    private readonly index: ItemIndex,
    opts: Partial<SequentialRulesOptions> = {},
  ) {
    const steps = opts.steps ?? 20;
    const pruning = opts.pruning ?? 20;
    const w = opts.weighting ?? 'quadratic';
    const weight = (d: number): number => (w === 'quadratic' ? 1 / (d * d) : w === 'div' ? 1 / d : 1);
    // Map insertion order mirrors session-rec's dict order, which decides pruning ties.
    const raw: Map<number, number>[] = Array.from({ length: index.size }, () => new Map());
    for (const s of sessions) {
      const items = s.events.map((e) => index.indexOf(e.itemId) ?? -1);
      for (let v = 1; v < items.length; v++) {
        const b = items[v]!;
        for (let d = 1; d <= steps && v - d >= 0; d++) {
          const a = items[v - d]!;
          if (a < 0 || b < 0) continue;
          const m = raw[a]!;
          m.set(b, (m.get(b) ?? 0) + weight(d));
        }
      }
    }
    this.rules = raw.map((m) => {
      const kept = [...m].sort((x, y) => y[1] - x[1]).slice(0, pruning);
      return { targets: Int32Array.from(kept, (x) => x[0]), weights: Float64Array.from(kept, (x) => x[1]) };
    });
  }

  score(session: readonly ItemLook[], out?: Float32Array): Float32Array {
    const o = ensure(out, this.index.size);
    const last = session[session.length - 1];
    const a = last === undefined ? undefined : this.index.indexOf(last.itemId);
    if (a === undefined) return o;
    const r = this.rules[a]!;
    for (let j = 0; j < r.targets.length; j++) o[r.targets[j]!] = r.weights[j]!;
    return o;
  }
}

/** Options of {@link SessionKnnBaseline}; defaults are EVALUATION.md's configuration. */
export interface SessionKnnOptions {
  /** Neighbour sessions whose items are scored. */
  readonly k: number;
  /** Candidate neighbours: the most recent this many training sessions sharing an item. */
  readonly sampleSize: number;
}

/**
 * SKNN (session-rec `ContextKNN`, cosine, sampling 'recent'): the training sessions that share an
 * item with the current one, the `sampleSize` most recent of them (by their last event), are
 * compared as item sets by cosine |A∩B| / √(|A|·|B|); each item of the `k` most similar adds their
 * similarity. session-rec's cosine is this times |B|, the same order. Ties among sessions go to the
 * more recent one, so a run is repeatable.
 */
export class SessionKnnBaseline implements NextItemScorer {
  /** Distinct item indices of each training session. */
  private readonly items: Int32Array[];
  /** Per item: the sessions holding it, as recency ranks (0 = the session that ended last), ascending. */
  private readonly byItem: Int32Array[];
  private readonly k: number;
  private readonly sampleSize: number;
  private readonly mark: Int32Array;
  private readonly seen: Int32Array;
  private stamp = 0;

  constructor(
    sessions: readonly LogSession[],
    private readonly index: ItemIndex,
    opts: Partial<SessionKnnOptions> = {},
  ) {
    this.k = opts.k ?? 100;
    this.sampleSize = opts.sampleSize ?? 500;
    const end = (s: LogSession): number => s.events[s.events.length - 1]?.time ?? -Infinity;
    const order = Array.from(sessions.keys()).sort((a, b) => end(sessions[b]!) - end(sessions[a]!) || a - b);
    this.items = order.map((s) => Int32Array.from(new Set(sessions[s]!.events.map((e) => index.indexOf(e.itemId) ?? -1).filter((i) => i >= 0))));
    const lists: number[][] = Array.from({ length: index.size }, () => []);
    this.items.forEach((its, rank) => {
      for (const i of its) lists[i]!.push(rank);
    });
    this.byItem = lists.map((l) => Int32Array.from(l));
    this.mark = new Int32Array(index.size);
    this.seen = new Int32Array(this.items.length);
  }

  score(session: readonly ItemLook[], out?: Float32Array): Float32Array {
    const o = ensure(out, this.index.size);
    const stamp = ++this.stamp;
    const current: number[] = [];
    for (const e of session) {
      const i = this.index.indexOf(e.itemId);
      if (i !== undefined && this.mark[i] !== stamp) {
        this.mark[i] = stamp;
        current.push(i);
      }
    }
    // The most recent sampleSize sessions of the union are among the first sampleSize of each list.
    const candidates: number[] = [];
    for (const i of current) {
      const list = this.byItem[i]!;
      for (let j = 0; j < list.length && j < this.sampleSize; j++) {
        const s = list[j]!;
        if (this.seen[s] !== stamp) {
          this.seen[s] = stamp;
          candidates.push(s);
        }
      }
    }
    const sample = Int32Array.from(candidates).sort().subarray(0, this.sampleSize);
    const scored: { s: number; sim: number }[] = [];
    for (const s of sample) {
      const its = this.items[s]!;
      let common = 0;
      for (const i of its) if (this.mark[i] === stamp) common++;
      scored.push({ s, sim: common / Math.sqrt(its.length * current.length) });
    }
    scored.sort((a, b) => b.sim - a.sim || a.s - b.s);
    for (const { s, sim } of scored.slice(0, this.k)) for (const i of this.items[s]!) o[i]! += sim;
    return o;
  }
}
