import { categoryKey, itemVector, type Catalog } from './catalog';
import type { CleanEvent, EventType } from './events';
import { priceBand, queryEmbedding } from './hash-embedding';

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
  personalModel?: { weights: number[]; bias: number; sessions: number };
}

export interface DecayedVector { vector: Float32Array; weight: number; time: number }
export interface Affinity { score: number; time: number }
export interface PurchaseRecord { time: number; value: number; currency: string; itemIds: string[] }
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

/** Tunables of the profile update; the defaults are documented beside each. */
export const PROFILE_SETTINGS = {
  /** How much each event type says about interest (a purchase says most). */
  eventWeight: { view: 1, click: 2, add_to_cart: 4, remove_from_cart: -2, purchase: 6, search: 1.5, impression: 0 } as Record<EventType, number>,
  /** A gap of more than 30 minutes starts a new session (the usual web-analytics rule). */
  sessionGapMs: 30 * 60_000,
  /** The session embedding forgets with a 10-minute half-life: the last clicks dominate. */
  sessionHalfLifeMs: 10 * 60_000,
  /** Long-term interests and affinities fade with a 30-day half-life. */
  longTermHalfLifeMs: 30 * 86_400_000,
  maxRecent: 30,
  maxSessionEvents: 200,
  maxPurchases: 500,
};

const ZERO_COUNTS: Record<EventType, number> = {
  view: 0, click: 0, add_to_cart: 0, remove_from_cart: 0, purchase: 0, search: 0, impression: 0,
};

export function emptyProfile(dim: number, now: number): Profile {
  return {
    schema: 1, dim, firstSeen: now, lastSeen: now,
    longTerm: { vector: new Float32Array(dim), weight: 0, time: now },
    session: { id: 0, start: now, last: 0, vector: { vector: new Float32Array(dim), weight: 0, time: now }, events: [] },
    sessions: 0, categories: {}, brands: {}, priceBands: {}, counts: { ...ZERO_COUNTS },
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

/** Decays `v` to time `t` then adds `w · x` (in place). Weight tracks the decayed total |w|. */
function accumulate(v: DecayedVector, t: number, halfLife: number, x: Float32Array | undefined, w: number): void {
  const f = decayFactor(t - v.time, halfLife);
  const vec = v.vector;
  for (let i = 0; i < vec.length; i++) vec[i] = vec[i]! * f + (x ? w * x[i]! : 0);
  v.weight = Math.max(0, v.weight * f + w);
  v.time = Math.max(v.time, t);
}

/** The affinity decayed to `now`. */
export function affinityAt(a: Affinity | undefined, now: number, halfLife = PROFILE_SETTINGS.longTermHalfLifeMs): number {
  return a ? Math.max(0, a.score * decayFactor(now - a.time, halfLife)) : 0;
}

function bump(map: Record<string, Affinity>, key: string, t: number, w: number): void {
  const score = affinityAt(map[key], t) + w;
  map[key] = { score: Math.max(0, score), time: t };
}

function pushCapped<T>(list: T[], item: T, cap: number): void {
  list.push(item);
  if (list.length > cap) list.splice(0, list.length - cap);
}

/**
 * Folds one clean event into the profile (in place) and returns it. Items unknown to the catalog
 * still count and are remembered, but move no embedding or affinity.
 */
export function applyEvent(p: Profile, e: CleanEvent, catalog: Catalog | undefined): Profile {
  const S = PROFILE_SETTINGS;
  const t = e.time;
  if (p.session.last === 0 || t - p.session.last > S.sessionGapMs) {
    p.sessions++;
    p.session = { id: p.sessions, start: t, last: t, vector: { vector: new Float32Array(p.dim), weight: 0, time: t }, events: [] };
  }
  p.session.last = Math.max(p.session.last, t);
  p.lastSeen = Math.max(p.lastSeen, t);
  p.counts[e.type]++;
  const w = S.eventWeight[e.type];

  const touchItem = (itemId: string, weight: number, extra: Partial<SessionEvent> = {}) => {
    const i = catalog?.index.get(itemId);
    const item = i === undefined ? undefined : catalog!.items[i];
    const ev: SessionEvent = { type: e.type, time: t, itemId, ...extra };
    if (item) ev.category = categoryKey(item.category);
    pushCapped(p.session.events, ev, S.maxSessionEvents);
    pushCapped(p.recent, { itemId, type: e.type, time: t }, S.maxRecent);
    if (!item || weight === 0 || i === undefined) return;
    const x = itemVector(catalog!, i);
    accumulate(p.longTerm, t, S.longTermHalfLifeMs, x, weight);
    accumulate(p.session.vector, t, S.sessionHalfLifeMs, x, weight);
    for (let depth = 1; depth <= item.category.length; depth++) bump(p.categories, categoryKey(item.category, depth), t, weight);
    if (item.brand) bump(p.brands, item.brand, t, weight);
    bump(p.priceBands, String(priceBand(item.price)), t, weight);
  };

  switch (e.type) {
    case 'view':
    case 'click':
      touchItem(e.itemId, w);
      break;
    case 'add_to_cart': {
      const q = e.quantity ?? 1;
      p.cart[e.itemId] = (p.cart[e.itemId] ?? 0) + q;
      const i = catalog?.index.get(e.itemId);
      const price = e.price ?? (i === undefined ? undefined : catalog!.items[i]!.price);
      touchItem(e.itemId, w, price === undefined ? { quantity: q } : { quantity: q, price });
      break;
    }
    case 'remove_from_cart': {
      const left = (p.cart[e.itemId] ?? 0) - (e.quantity ?? Infinity);
      if (left > 0) p.cart[e.itemId] = left;
      else delete p.cart[e.itemId];
      touchItem(e.itemId, w);
      break;
    }
    case 'purchase':
      for (const line of e.items) {
        touchItem(line.itemId, w, { price: line.price, quantity: line.quantity });
        delete p.cart[line.itemId];
      }
      pushCapped(p.purchases, { time: t, value: e.value, currency: e.currency, itemIds: e.items.map((l) => l.itemId) }, S.maxPurchases);
      break;
    case 'search': {
      pushCapped(p.session.events, { type: 'search', time: t }, S.maxSessionEvents);
      const q = queryEmbedding(e.query, p.dim);
      accumulate(p.session.vector, t, S.sessionHalfLifeMs, q, w);
      break;
    }
    case 'impression':
      // What the page showed, not what the shopper did: counted and kept in the raw event log,
      // but kept out of the session, where a few grid renders would push out the real views.
      break;
  }
  return p;
}

/** Removes an interest: its affinity is zeroed and ranking drops matching items until it is restored. */
export function suppressInterest(p: Profile, interest: string): Profile {
  const [kind, ...rest] = interest.split(':');
  const key = rest.join(':');
  if (kind === 'category') {
    for (const k of Object.keys(p.categories)) if (k === key || k.startsWith(`${key} > `)) delete p.categories[k];
  } else if (kind === 'brand') {
    delete p.brands[key];
  }
  if (!p.suppressed.includes(interest)) p.suppressed.push(interest);
  return p;
}
