import { EVENT_TYPES, validateEvent, type CleanEvent } from '../events';
import { emptyProfile, type Profile } from './state';
import { applyUpdate, type UpdateContext } from './update';

/**
 * A stored profile checked before use: one written by this or an older version of localrec comes
 * back (brought up to date: new event types counted from 0); anything else — damaged, of another
 * shape, from a newer version — is `undefined`, and the caller rebuilds it from the event log.
 * (A profile of another embedding dimension is valid: `fitProfileToDim` adapts it.)
 * Never lets a bad shape through to fail later as a TypeError on every call.
 */
export function checkProfile(raw: unknown): Profile | undefined {
  if (!isRecord(raw) || raw.schema !== 1 || !Number.isInteger(raw.dim) || (raw.dim as number) < 1) return undefined;
  const p = raw as unknown as Profile;
  const dim = p.dim;
  const ok = [p.firstSeen, p.lastSeen, p.sessions].every(isFiniteNumber)
    && isVector(p.longTerm, dim) && isRecord(p.session) && isVector(p.session.vector, dim)
    && [p.session.id, p.session.start, p.session.last].every(isFiniteNumber) && Array.isArray(p.session.events)
    && [p.categories, p.brands, p.priceBands].every(isAffinities)
    && isRecord(p.counts) && Object.values(p.counts).every(isFiniteNumber)
    && Array.isArray(p.purchases) && p.purchases.every((x) => isRecord(x) && isFiniteNumber(x.time) && isFiniteNumber(x.value) && Array.isArray(x.itemIds))
    && Array.isArray(p.recent) && isRecord(p.cart) && Object.values(p.cart).every(isFiniteNumber)
    && Array.isArray(p.suppressed) && p.suppressed.every((s) => typeof s === 'string');
  if (!ok) return undefined;
  for (const t of EVENT_TYPES) if (!Object.hasOwn(p.counts, t)) p.counts[t] = 0;
  // The bot watch is a convenience: a damaged one starts again rather than costing the profile.
  if (p.botWatch !== undefined && !isBotWatch(p.botWatch)) delete p.botWatch;
  if (p.automated !== undefined && !(isRecord(p.automated) && isFiniteNumber(p.automated.visits) && isFiniteNumber(p.automated.ignored))) delete p.automated;
  return p;
}

/** The profile the event log implies: what is used when the stored one is unreadable. */
export function rebuildProfile(events: readonly CleanEvent[], dim: number, ctx: UpdateContext): Profile {
  const p = emptyProfile(dim, events[0]?.time ?? ctx.now);
  for (const e of events) applyUpdate(p, e, ctx);
  return p;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isVector(v: unknown, dim: number): boolean {
  return isRecord(v) && v.vector instanceof Float32Array && v.vector.length === dim && isFiniteNumber(v.weight) && isFiniteNumber(v.time);
}

function isBotWatch(v: unknown): boolean {
  if (!isRecord(v) || !isFiniteNumber(v.last) || !Array.isArray(v.moments) || !Array.isArray(v.items) || !Array.isArray(v.held)) return false;
  return v.moments.length === v.items.length && v.moments.every(isFiniteNumber) && v.items.every((i) => typeof i === 'string')
    // Held events are learned later: each must still be a valid event.
    && v.held.every((e) => { try { return isRecord(e) && validateEvent(e, Infinity).type === e.type; } catch { return false; } });
}

function isAffinities(v: unknown): boolean {
  return isRecord(v) && Object.values(v).every((a) => isRecord(a) && isFiniteNumber(a.score) && isFiniteNumber(a.time));
}
