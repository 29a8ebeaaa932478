import type { LogSession } from './types';

/**
 * Carves a validation set from a training log the way session-rec carves its test day:
 * sessions that end in the last `days` days validate, the rest train. Tuning on this split
 * keeps the real test set unseen.
 */
export function splitLastDays(sessions: readonly LogSession[], days = 1): { train: LogSession[]; validation: LogSession[] } {
  let maxTime = -Infinity;
  for (const s of sessions) for (const e of s.events) maxTime = Math.max(maxTime, e.time);
  const cut = maxTime - days * 86400;
  const train: LogSession[] = [];
  const validation: LogSession[] = [];
  for (const s of sessions) {
    const end = s.events[s.events.length - 1]?.time ?? -Infinity;
    (end > cut ? validation : train).push(s);
  }
  return { train, validation };
}
