import type { Pool, RankContext } from './context';
import { floatsFor } from './scratch';
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
export function effectiveWeight(ctx: RankContext, name: SignalName, weights: Record<SignalName, number> = RANK_WEIGHTS): number {
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
  const used: Float32Array[] = [];
  let zeros: Float32Array | undefined;
  for (const name of SIGNAL_NAMES) {
    const w = effectiveWeight(ctx, name, weights);
    if (w === 0) {
      parts[name] = zeros ??= floatsFor(ctx, 'blend.zeros', n).fill(0);
      continue;
    }
    const part = SIGNALS[name].values(ctx, pool, floatsFor(ctx, `blend.${name}`, n));
    for (let c = 0; c < n; c++) part[c] = w * part[c]!;
    parts[name] = part;
    used.push(part);
  }
  // Summed per item in double precision, in SIGNAL_NAMES order, then stored as float32.
  const total = floatsFor(ctx, 'blend.total', n);
  for (let c = 0; c < n; c++) {
    let t = 0;
    for (let s = 0; s < used.length; s++) t += used[s]![c]!;
    total[c] = t;
  }
  return { parts, total };
}

/** One pool item's contribution from each signal. */
export function contributionsAt(b: Blend, c: number): Record<SignalName, number> {
  const out = {} as Record<SignalName, number>;
  for (const name of SIGNAL_NAMES) out[name] = b.parts[name][c]!;
  return out;
}
