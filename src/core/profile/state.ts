import { EVENT_TYPES, type EventType } from '../events';
import type { BotTotals, BotWatch } from './bot';

/**
 * What the SDK believes about one shopper. Plain data (typed arrays included) so it can be
 * stored in IndexedDB and sent across the worker boundary as it is.
 */
export interface Profile {
  schema: 1;
  dim: number;
  firstSeen: number;
  lastSeen: number;
  /** Long-term interest: decayed sum of the embeddings of items interacted with. */
  longTerm: DecayedVector;
  session: SessionState;
  sessions: number;
  /** Decayed affinity per category path prefix ("Home", "Home > Candles"). */
  categories: Record<string, Affinity>;
  brands: Record<string, Affinity>;
  /** Keyed by price band (see hash-embedding.ts `priceBand`). */
  priceBands: Record<string, Affinity>;
  counts: Record<EventType, number>;
  purchases: PurchaseRecord[];
  /** The latest item interactions, newest last: the reasons behind recommendations. */
  recent: RecentItem[];
  /** Item id → quantity in the cart. */
  cart: Record<string, number>;
  /** Interests the shopper removed ("category:Home > Candles", "brand:Regency"); ranking drops them. */
  suppressed: string[];
  /** The lifecycle stage last reported to the page, so a change is announced once. */
  stage?: string;
  /** The shopper's own adjustment of the shipped purchase model (see predict.ts). */
  personalModel?: PersonalModel;
  /** The current visit watched for automated traffic (see bot.ts). */
  botWatch?: BotWatch;
  /** Visits judged automated so far, and the events not learned from. */
  automated?: BotTotals;
}

/** The shopper's own adjustment of the shipped purchase model, learned from their past sessions. */
export interface PersonalModel { weights: number[]; bias: number; sessions: number }

export interface DecayedVector { vector: Float32Array; weight: number; time: number }
export interface Affinity { score: number; time: number }
/** One order in the shopper's history (see purchases.ts for how it is valued). */
export interface PurchaseRecord {
  time: number;
  /** What the order was worth: the event's value, else its priced lines, else 0 (`valueUnknown`). */
  value: number;
  /** The event's currency, else the catalog's; '' when neither was known. */
  currency: string;
  itemIds: string[];
  /** The store's order id, when the event carried one: the same order fired again is a repeat. */
  orderId?: string;
  /** Neither the event nor its lines said what the order was worth: `value` is 0 and is not spend. */
  valueUnknown?: true;
  /** The stated value and the lines' total differ by more than VALUE_TO_LINES_MAX_RATIO: kept, to be trusted less. */
  valueMismatch?: true;
}
export interface RecentItem { itemId: string; type: EventType; time: number }

export interface SessionState {
  id: number;
  start: number;
  last: number;
  vector: DecayedVector;
  /** This session's events in order (items and searches), for sequence-aware ranking and features. */
  events: SessionEvent[];
}
export interface SessionEvent { type: EventType; time: number; itemId?: string; price?: number; quantity?: number; category?: string }

/** Tunables of the profile update (event weights are in EVENT_TABLE); the defaults are documented beside each. */
export const PROFILE_SETTINGS = {
  /** A gap of more than 30 minutes starts a new session (the usual web-analytics rule). */
  sessionGapMs: 30 * 60_000,
  /** The session embedding forgets with a 10-minute half-life: the last clicks dominate. */
  sessionHalfLifeMs: 10 * 60_000,
  /** Long-term interests and affinities fade with a 30-day half-life. */
  longTermHalfLifeMs: 30 * 86_400_000,
  maxRecent: 30,
  maxSessionEvents: 200,
  /** Also how many recent order ids are remembered to recognise a purchase fired twice. */
  maxPurchases: 500,
};

function zeroCounts(): Record<EventType, number> {
  return Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;
}

export function emptyProfile(dim: number, now: number): Profile {
  return {
    schema: 1, dim, firstSeen: now, lastSeen: now,
    longTerm: { vector: new Float32Array(dim), weight: 0, time: now },
    session: { id: 0, start: now, last: 0, vector: { vector: new Float32Array(dim), weight: 0, time: now }, events: [] },
    sessions: 0, categories: {}, brands: {}, priceBands: {}, counts: zeroCounts(),
    purchases: [], recent: [], cart: {}, suppressed: [],
  };
}

/**
 * Fits a stored profile to a catalog whose embedding dimension changed: the embedding vectors
 * start again (they live in the old space), everything else — affinities, purchases, cart,
 * counts — is kept.
 */
export function fitProfileToDim(p: Profile, dim: number): Profile {
  if (p.dim === dim) return p;
  const fresh = emptyProfile(dim, p.lastSeen);
  return { ...p, dim, longTerm: fresh.longTerm, session: { ...p.session, vector: fresh.session.vector } };
}

export function decayFactor(dt: number, halfLife: number): number {
  return dt <= 0 ? 1 : Math.pow(2, -dt / halfLife);
}

/** The affinity decayed to `now`. */
export function affinityAt(a: Affinity | undefined, now: number, halfLife = PROFILE_SETTINGS.longTermHalfLifeMs): number {
  return a ? Math.max(0, a.score * decayFactor(now - a.time, halfLife)) : 0;
}


/**
 * Reads a key of a map keyed by store data (item ids, categories, brands): only the map's own
 * entries, so an item or brand called "constructor" or "toString" reads as absent, not as a
 * function inherited from Object.prototype.
 */
export function ownEntry<V>(map: Record<string, V>, key: string): V | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Writes a key of such a map as a plain own entry ("__proto__" included, which `=` would treat as the prototype). */
export function setOwnEntry<V>(map: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
}
