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

/** Options of {@link splitRecentSessions}. */
export interface RecentSplitOptions {
  /** Share of the sessions, most recent first, that validate at least. */
  readonly share: number;
  /** More recent sessions validate, up to `maxShare`, until they hold this many predictions. */
  readonly minPredictions: number;
  readonly maxShare: number;
}

/** Defaults of {@link RecentSplitOptions}. */
export const RECENT_SPLIT: RecentSplitOptions = { share: 0.1, minPredictions: 1000, maxShare: 0.25 };

/**
 * The validation split the bundle builder fits on, defined for any log without per-store flags:
 * the most recent 10% of sessions (by the time of their last event) validate, and more of them,
 * in steps of 1%, up to 25%, while they hold fewer than 1,000 predictions (as the replay counts
 * them: events of items the older sessions know, after a session's first), so a small store still
 * gets a fit that is more than noise. Sessions ending at the same moment as the cut go together,
 * so no validation session ends before a training one. A time window such as "the last day" is
 * not used because logs differ too much in span: a day is a sixth of a week's sample and a sliver
 * of a year's.
 */
export function splitRecentSessions(sessions: readonly LogSession[], opts: Partial<RecentSplitOptions> = {}): { train: LogSession[]; validation: LogSession[] } {
  const o = { ...RECENT_SPLIT, ...opts };
  const end = (s: LogSession): number => s.events[s.events.length - 1]?.time ?? -Infinity;
  const recent = [...sessions].sort((a, b) => end(b) - end(a));
  const n = sessions.length;
  // An item is known to a training part that keeps recency ranks >= keep iff its oldest rank is.
  const oldest = new Map<string, number>();
  recent.forEach((s, r) => {
    for (const e of s.events) oldest.set(e.itemId, r);
  });
  const predictionsAt = (keep: number): number => {
    let p = 0;
    for (let r = 0; r < keep; r++) {
      let known = 0;
      for (const e of recent[r]!.events) if (oldest.get(e.itemId)! >= keep) known++;
      p += Math.max(0, known - 1);
    }
    return p;
  };
  const least = n < 2 ? 0 : Math.max(1, Math.round(n * o.share));
  const most = n < 2 ? 0 : Math.max(least, Math.round(n * o.maxShare));
  const step = Math.max(1, Math.round(n * 0.01));
  let keep = least;
  while (keep < most && predictionsAt(keep) < o.minPredictions) keep = Math.min(most, keep + step);
  const cut = keep === 0 ? Infinity : end(recent[keep - 1]!);
  const train: LogSession[] = [];
  const validation: LogSession[] = [];
  for (const s of sessions) (end(s) >= cut ? validation : train).push(s);
  return { train, validation };
}
