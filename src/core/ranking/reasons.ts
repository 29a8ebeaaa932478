import { SIGNAL_NAMES, SIGNALS, type SignalName } from './blend';
import type { RankContext, Reason } from './context';

/** A signal that moved an item's score by less than this is not worth a sentence. */
export const MIN_REASON_WEIGHT = 0.05;

/**
 * Stage 6, reasons: each signal that moved the item explains itself, strongest first; a fallback
 * signal (popularity) only speaks when nothing else does or when it outweighs the rest.
 */
export function reasonsFor(ctx: RankContext, item: number, contributions: Record<SignalName, number>): Reason[] {
  const out: Reason[] = [];
  for (const name of SIGNAL_NAMES) {
    const weight = contributions[name];
    if (SIGNALS[name].fallback || weight <= MIN_REASON_WEIGHT) continue;
    const r = SIGNALS[name].reason(ctx, item, weight);
    if (r) out.push(r);
  }
  for (const name of SIGNAL_NAMES) {
    const weight = contributions[name];
    if (!SIGNALS[name].fallback || (out.length > 0 && weight <= Math.max(...out.map((r) => r.weight)))) continue;
    const r = SIGNALS[name].reason(ctx, item, weight);
    if (r) out.push(r);
  }
  return out.sort((a, b) => b.weight - a.weight).map((r) => ({ ...r, weight: Math.round(r.weight * 1e3) / 1e3 }));
}

/** The reason of an `explore` slot (diversity.ts): kept for something outside the shopper's top interests. */
export function exploreReason(): Reason {
  return { kind: 'explore', text: 'Something new for you', weight: 0 };
}
