import type { CleanEvent } from '../events';
import { PROFILE_SETTINGS } from './state';

/**
 * Keeps automated traffic out of the profile: crawlers, scrapers, load tests and price bots
 * looking at a storefront from a shopper's browser would otherwise swamp what the profile says
 * about a person (a 300-page crawl outweighs a month of real visits).
 *
 * Views, clicks and cart additions are watched; impressions and searches arrive in bursts by
 * nature, and an order is always learned. An event less than `momentMs` after the one before it
 * joins that one's *moment*, as does an event on the same item as the moment before it (a click,
 * its page view and an add to cart are one act of looking): a page that delivers a batch at once (a queued snippet replaying, a
 * dataLayer read at load, `trackMany`, a loop of `track()` calls) is one thing that happened, not
 * an inhuman rate. The price: a script firing faster than every 50 ms without pause is one long
 * moment and is not judged (a crawler that loads pages cannot; one calling the API directly can).
 *
 * Three tests run over the visit's recent moments, each with two thresholds:
 * - rate: moments within `rate.windowMs`;
 * - sweep: distinct items looked at within `sweep.windowMs`;
 * - metronome: consecutive intervals of at least `metronome.minGapMs` whose coefficient of
 *   variation is below `metronome.maxCv` (a script that sleeps a fixed time).
 * Past a `suspect` threshold the watched events are *held*, not learned: released in order as soon
 * as the pace is human again (or the visit ends), dropped when a `judge` threshold is reached.
 * The suspect thresholds sit just above the most a person did in the click logs of two real
 * stores (bot.test.ts: at most 9 item events in 10 s and 18 distinct items in 60 s; no session of
 * 10+ intervals more regular than a coefficient of variation of 0.34), so a person is never held;
 * the judge thresholds are about 3x those. Once judged, the rest of that visit (until a gap of
 * `PROFILE_SETTINGS.sessionGapMs`) is not learned from, and what a crawler taught before it was
 * suspected is at most the suspect threshold's worth. Events are still stored raw, so a profile
 * rebuilt from the log judges them the same way.
 */
export const BOT_SETTINGS = {
  momentMs: 50,
  rate: { windowMs: 10_000, suspect: 10, judge: 25 },
  sweep: { windowMs: 60_000, suspect: 20, judge: 60 },
  metronome: { minGapMs: 250, maxCv: 0.05, suspect: 6, judge: 15 },
  /** Moments remembered: enough for the largest threshold. */
  memory: 64,
  /** Events held at most; past it the oldest are learned (the watch never grows without bound). */
  maxHeld: 500,
} as const;

export type BotReason = 'rate' | 'sweep' | 'metronome';

/** The watch kept on the profile: the current visit's recent moments, what is held, and the judgement. */
export interface BotWatch {
  /** Time of the latest watched event of this visit. */
  last: number;
  /** Start time of each recent moment, oldest first. */
  moments: number[];
  /** For each moment, the item it first looked at. */
  items: string[];
  /** Events held while the visit looks automated but is not judged yet, oldest first. */
  held: CleanEvent[];
  /** Set once this visit was judged automated. */
  judged?: { reason: BotReason; at: number };
}

/** Totals kept across visits, for diagnostics. */
export interface BotTotals { visits: number; ignored: number; last?: { reason: BotReason; at: number } }

/** What the profile does with an event: learn these now (in order), and how many were dropped. */
export interface BotVerdict {
  watch: BotWatch;
  learn: CleanEvent[];
  ignored: number;
  /** Set on the event that got its visit judged. */
  judgedNow?: BotReason;
}

const freshWatch = (t: number): BotWatch => ({ last: t, moments: [], items: [], held: [] });

/** The item an event looks at, or undefined for events the watch does not judge. */
function lookedAt(e: CleanEvent): string | undefined {
  return e.type === 'view' || e.type === 'click' || e.type === 'add_to_cart' ? e.itemId : undefined;
}

/** How far the recent moments go: 2 = judged (with the reason), 1 = suspect, 0 = human. */
function assess(w: BotWatch): { level: 0 | 1 | 2; reason?: BotReason } {
  const S = BOT_SETTINGS;
  const m = w.moments;
  const n = m.length;
  const newest = m[n - 1]!;
  const firstWithin = (ms: number) => {
    let i = n - 1;
    while (i > 0 && newest - m[i - 1]! <= ms) i--;
    return i;
  };
  const measures: [BotReason, number, { suspect: number; judge: number }][] = [
    ['rate', n - firstWithin(S.rate.windowMs), S.rate],
    ['sweep', new Set(w.items.slice(firstWithin(S.sweep.windowMs))).size, S.sweep],
    ['metronome', regularRun(m), S.metronome],
  ];
  const judged = measures.find(([, v, t]) => v >= t.judge);
  if (judged) return { level: 2, reason: judged[0] };
  return { level: measures.some(([, v, t]) => v >= t.suspect) ? 1 : 0 };
}

/** The longest run of latest intervals (each >= minGapMs) regular enough to be a script's sleep. */
function regularRun(m: readonly number[]): number {
  const { minGapMs, maxCv, judge } = BOT_SETTINGS.metronome;
  let best = 0;
  let sum = 0;
  let sq = 0;
  for (let k = 1; k <= Math.min(judge, m.length - 1); k++) {
    const gap = m[m.length - k]! - m[m.length - k - 1]!;
    if (gap < minGapMs) break;
    sum += gap;
    sq += gap * gap;
    const mean = sum / k;
    const cv = Math.sqrt(Math.max(0, sq / k - mean * mean)) / mean;
    if (k >= 2 && cv < maxCv) best = k;
  }
  return best;
}

/**
 * Watches one event (the watch is updated in place) and says which events the profile learns
 * now: usually just this one; none while the visit is suspect (it is held) or judged; the held
 * ones too, in order, when the pace is human again. Pure apart from the watch it is given.
 */
export function watchForBot(watch: BotWatch | undefined, e: CleanEvent): BotVerdict {
  let w = watch ?? freshWatch(e.time);
  const release: CleanEvent[] = [];
  if (e.time - w.last > PROFILE_SETTINGS.sessionGapMs) {
    // A new visit. What an unjudged visit still held is learned: it was never judged automated.
    release.push(...w.held);
    w = freshWatch(e.time);
  }
  const item = lookedAt(e);
  if (item === undefined) return { watch: w, learn: e.type === 'purchase' || !w.judged ? [...release, e] : release, ignored: w.judged && e.type !== 'purchase' ? 1 : 0 };
  if (w.judged) {
    w.last = Math.max(w.last, e.time);
    return { watch: w, learn: release, ignored: 1 };
  }
  // Looking again at the item of the moment before (a click, then its page view, then add to cart)
  // continues that moment, however slow.
  const joins = w.moments.length > 0 && (e.time - w.last < BOT_SETTINGS.momentMs || w.items.at(-1) === item);
  w.last = Math.max(w.last, e.time);
  // (An event stamped earlier than the one before it — a clock change, replayed history — joins too.)
  if (!joins) {
    w.moments.push(e.time);
    w.items.push(item);
    if (w.moments.length > BOT_SETTINGS.memory) {
      w.moments.shift();
      w.items.shift();
    }
  }
  const { level, reason } = assess(w);
  if (level === 2) {
    const ignored = w.held.length + 1;
    w.held = [];
    w.judged = { reason: reason!, at: e.time };
    return { watch: w, learn: release, ignored, judgedNow: reason! };
  }
  if (level === 1) {
    w.held.push(e);
    const overflow = w.held.length > BOT_SETTINGS.maxHeld ? w.held.splice(0, w.held.length - BOT_SETTINGS.maxHeld) : [];
    return { watch: w, learn: [...release, ...overflow], ignored: 0 };
  }
  const held = w.held;
  w.held = [];
  return { watch: w, learn: [...release, ...held, e], ignored: 0 };
}
