/**
 * The SDK instance as the demo and QA use it: every call goes through here, so the diagnostics
 * drawer can show what was tracked (stored, duplicate, rejected and why) and how long each call
 * took, including calls a tester types into the console on `window.localrecDemo.rec`.
 */
import type { Localrec, LocalrecError, TrackEvent } from '../src/index';

export interface CallRecord {
  method: string;
  at: number;
  /** Round trip as the page saw it, ms. */
  ms: number;
  /** Time the engine reports for the work itself (recommend's tookMs). */
  engineMs?: number;
  ok: boolean;
}

export interface EventRecord {
  at: number;
  /** What was tracked, as a tester reads it: "add_to_cart 85123A". */
  what: string;
  outcome: 'stored' | 'duplicate' | 'not kept' | 'rejected';
  detail: string;
}

const KEEP = 50;

export interface Instrumented {
  rec: Localrec;
  calls: CallRecord[];
  events: EventRecord[];
  onChange(listener: () => void): void;
  /** Points `rec` at a new SDK instance (a restart after a failed start); the logs carry on. */
  swap(next: Localrec): void;
}

function summarise(event: unknown): string {
  if (typeof event !== 'object' || event === null) return String(event);
  const e = event as Partial<Record<string, unknown>>;
  const subject = e.itemId ?? e.query ?? (Array.isArray(e.itemIds) ? `${e.itemIds.length} products` : Array.isArray(e.items) ? `${e.items.length} lines` : '');
  return `${String(e.type)} ${typeof subject === 'string' ? subject : JSON.stringify(subject)}`.trim();
}

/** By its name and code, not instanceof: the snippet page has no SDK class of its own to compare with. */
const isLocalrecError = (e: unknown): e is LocalrecError => e instanceof Error && e.name === 'LocalrecError' && typeof (e as { code?: unknown }).code === 'string';

const errorText = (e: unknown): string =>
  isLocalrecError(e) ? `${e.code}${e.field ? ` (${e.field})` : ''}: ${e.message}` : e instanceof Error ? e.message : String(e);

/** Read loosely: newer SDKs add reasons (consent) and say whether a record reached the disk. */
function outcomeOf(result: { stored: boolean }): Pick<EventRecord, 'outcome' | 'detail'> {
  const r = result as { stored: boolean; id?: number; reason?: string; durable?: boolean };
  if (r.stored) return { outcome: 'stored', detail: `record ${r.id}${r.durable === false ? ', in memory only' : ''}` };
  if (r.reason === 'duplicate') return { outcome: 'duplicate', detail: 'the same event within a second is stored once' };
  return { outcome: 'not kept', detail: r.reason ?? '' };
}

export function instrument(first: Localrec): Instrumented {
  let inner = first;
  const calls: CallRecord[] = [];
  const events: EventRecord[] = [];
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  const keep = <T>(list: T[], x: T) => {
    list.unshift(x);
    list.length = Math.min(list.length, KEEP);
  };

  async function timed<T>(method: string, run: () => Promise<T>, engineMs?: (r: T) => number): Promise<T> {
    const at = Date.now();
    const t0 = performance.now();
    try {
      const result = await run();
      const record: CallRecord = { method, at, ms: Math.round(performance.now() - t0), ok: true };
      if (engineMs) record.engineMs = engineMs(result);
      keep(calls, record);
      return result;
    } catch (e) {
      keep(calls, { method, at, ms: Math.round(performance.now() - t0), ok: false });
      throw e;
    } finally {
      changed();
    }
  }

  const own: Partial<Localrec> = {
    async track(event: TrackEvent) {
      const at = Date.now();
      try {
        const result = await timed('track', () => inner.track(event));
        keep(events, { at, what: summarise(event), ...outcomeOf(result) });
        return result;
      } catch (e) {
        keep(events, { at, what: summarise(event), outcome: 'rejected', detail: errorText(e) });
        throw e;
      } finally {
        changed();
      }
    },
    recommend: (request) => timed('recommend', () => inner.recommend(request), (r) => r.tookMs),
    profile: () => timed('profile', () => inner.profile()),
    predict: () => timed('predict', () => inner.predict()),
    removeInterest: (interest) => timed('removeInterest', () => inner.removeInterest(interest)),
    forget: () => timed('forget', () => inner.forget()),
  };
  // Methods this wrapper does not time (ready, onStageChange, and whatever a newer SDK adds)
  // go straight to the current instance, so QA can call them on window.localrecDemo.rec too.
  const rec = new Proxy({} as Localrec, {
    get(_, name: string) {
      if (name in own) return own[name as keyof Localrec];
      const value: unknown = (inner as unknown as Record<string, unknown>)[name];
      return typeof value === 'function' ? value.bind(inner) : value;
    },
    has: (_, name) => name in own || name in inner,
  });
  return { rec, calls, events, onChange: (l) => listeners.add(l), swap: (next) => { inner = next; } };
}
