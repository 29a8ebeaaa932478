import type { Pool, RankContext } from './context';
import { brandSignal, categorySignal, priceBandSignal } from './signals/affinity';
import { priorSignal } from './signals/prior';
import { sequenceSignal } from './signals/sequence';
import type { Signal } from './signals/signal';
import { similaritySignal } from './signals/similarity';

/** The signals of the blend, in the order their reasons are listed when their weights tie. */
export const SIGNALS = {
  similarity: similaritySignal,
  sequence: sequenceSignal,
  category: categorySignal,
  brand: brandSignal,
  priceBand: priceBandSignal,
  prior: priorSignal,
} as const satisfies Record<string, Signal>;

export type SignalName = keyof typeof SIGNALS;
export const SIGNAL_NAMES = Object.keys(SIGNALS) as readonly SignalName[];

/** Weights of the blend; every signal's values are in [0, 1]. */
export const RANK_WEIGHTS: Record<SignalName, number> = {
  similarity: 1,
  sequence: 0.8,
  category: 0.5,
  brand: 0.2,
  priceBand: 0.1,
  prior: 0.15,
};

/** Each signal's weighted contribution per pool item, and their sum. */
export interface Blend {
  readonly parts: Readonly<Record<SignalName, Float32Array>>;
  readonly total: Float32Array;
}

/** The weight a signal gets in this ranking: its weight, or 0 when it cannot tell anything apart here. */
function effectiveWeight(ctx: RankContext, name: SignalName, weights: Record<SignalName, number> = RANK_WEIGHTS): number {
  const w = weights[name];
  return w !== 0 && (SIGNALS[name].informative?.(ctx) ?? true) ? w : 0;
}

/**
 * Stage 3, scores: every signal over the pool, weighted and summed. A signal that is not
 * informative for this catalog or context (`Signal.informative`) counts nothing.
 */
export function blend(ctx: RankContext, pool: Pool, weights: Record<SignalName, number> = RANK_WEIGHTS): Blend {
  const n = pool.items.length;
  const parts = {} as Record<SignalName, Float32Array>;
  const total = new Float64Array(n);
  for (const name of SIGNAL_NAMES) {
    const w = effectiveWeight(ctx, name, weights);
    const part = w === 0 ? new Float32Array(n) : SIGNALS[name].values(ctx, pool);
    for (let c = 0; c < n; c++) {
      part[c] = w * part[c]!;
      total[c] = total[c]! + part[c]!;
    }
    parts[name] = part;
  }
  return { parts, total: Float32Array.from(total) };
}

/** One pool item's contribution from each signal. */
export function contributionsAt(b: Blend, c: number): Record<SignalName, number> {
  const out = {} as Record<SignalName, number>;
  for (const name of SIGNAL_NAMES) out[name] = b.parts[name][c]!;
  return out;
}
