import { categoryKey, itemVector, type Catalog } from '../catalog';
import { EVENT_TABLE, unhandledEvent, type CleanEvent, type CleanEventOf } from '../events';
import { priceBand, queryEmbedding } from '../hash-embedding';
import { purchaseRecord } from './purchases';
import { affinityAt, decayFactor, ownEntry, PROFILE_SETTINGS, setOwnEntry, type Affinity, type DecayedVector, type Profile, type SessionEvent } from './state';

/** Decays `v` to time `t` then adds `w · x` (in place). Weight tracks the decayed total |w|. */
function accumulate(v: DecayedVector, t: number, halfLife: number, x: Float32Array | undefined, w: number): void {
  const f = decayFactor(t - v.time, halfLife);
  const vec = v.vector;
  for (let i = 0; i < vec.length; i++) vec[i] = vec[i]! * f + (x ? w * x[i]! : 0);
  v.weight = Math.max(0, v.weight * f + w);
  v.time = Math.max(v.time, t);
}

function bump(map: Record<string, Affinity>, key: string, t: number, w: number): void {
  const score = affinityAt(ownEntry(map, key), t) + w;
  setOwnEntry(map, key, { score: Math.max(0, score), time: t });
}

/**
 * What one unit of a cart line cost: the event's price, else its value (the line's total) per
 * unit, else the catalog's price when one is given. The session's cart value, a purchase-model
 * feature, sums these.
 */
function unitPrice(e: CleanEventOf<'add_to_cart' | 'remove_from_cart'>, quantity: number | undefined, catalog?: Catalog): number | undefined {
  if (e.price !== undefined) return e.price;
  if (e.value !== undefined && quantity !== undefined) return e.value / quantity;
  const i = catalog?.index.get(e.itemId);
  return i === undefined ? undefined : catalog!.items[i]!.price;
}

/** The quantity and unit price a session event carries, each only when known. */
function linePart(quantity: number | undefined, price: number | undefined): Partial<SessionEvent> {
  const part: Partial<SessionEvent> = {};
  if (quantity !== undefined) part.quantity = quantity;
  if (price !== undefined) part.price = price;
  return part;
}

function pushCapped<T>(list: T[], item: T, cap: number): void {
  list.push(item);
  if (list.length > cap) list.splice(0, list.length - cap);
}

/**
 * Folds one clean event into the profile (in place) and returns it. Items unknown to the catalog
 * still count and are remembered, but move no embedding or affinity. A gap longer than
 * `sessionGapMs` replaces the session, so anything that learns from the closed session must run
 * first (see `updateProfile`).
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
  const w = EVENT_TABLE[e.type].weight;

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
      setOwnEntry(p.cart, e.itemId, (ownEntry(p.cart, e.itemId) ?? 0) + q);
      touchItem(e.itemId, w, linePart(q, unitPrice(e, q, catalog)));
      break;
    }
    case 'remove_from_cart': {
      const left = (ownEntry(p.cart, e.itemId) ?? 0) - (e.quantity ?? Infinity);
      if (left > 0) setOwnEntry(p.cart, e.itemId, left);
      else delete p.cart[e.itemId];
      // Only what the event says (no catalog price): the session's cart value drops by a removal the store priced.
      touchItem(e.itemId, w, linePart(e.quantity, unitPrice(e, e.quantity)));
      break;
    }
    case 'purchase':
      for (const line of e.items) {
        touchItem(line.itemId, w, linePart(line.quantity, line.price));
        delete p.cart[line.itemId];
      }
      pushCapped(p.purchases, purchaseRecord(e, catalog), S.maxPurchases);
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
    default:
      unhandledEvent(e);
  }
  return p;
}
