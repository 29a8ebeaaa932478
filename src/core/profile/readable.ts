import { itemTitle, type Catalog } from '../catalog';
import type { EventType } from '../events';
import { priceBandRange } from '../hash-embedding';
import { formatInterest, type Interest } from './interests';
import { affinityAt, type Affinity, type Profile } from './state';

/** One interest as the shopper reads it; `interest` is what `removeInterest()` takes. */
export interface AffinityView { key: string; score: number; interest: string }

/** What the SDK believes about one shopper, in words and figures a person can check. */
export interface ReadableProfile {
  firstSeen: number;
  lastSeen: number;
  sessions: number;
  events: Record<EventType, number>;
  storedEvents: number;
  topCategories: AffinityView[];
  topBrands: AffinityView[];
  priceBand: { band: number; range: string } | null;
  recent: { itemId: string; title: string; type: EventType; time: number }[];
  cart: { itemId: string; quantity: number }[];
  purchases: { count: number; totalValue: number; last: number | null };
  suppressed: string[];
}

/** Affinities decayed to now, strongest first, rounded as the shopper reads them. */
function ranked(rec: Record<string, Affinity>, now: number, n: number): { key: string; score: number }[] {
  return Object.entries(rec)
    .map(([key, a]) => ({ key, score: Math.round(affinityAt(a, now) * 100) / 100 }))
    .filter((a) => a.score > 0)
    .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key))
    .slice(0, n);
}

function interests(rec: Record<string, Affinity>, now: number, n: number, kind: Interest['kind']): AffinityView[] {
  return ranked(rec, now, n).map((a) => ({ ...a, interest: formatInterest({ kind, key: a.key }) }));
}

/** The stored profile as `profile()` shows it (the engine adds the lifecycle figures). */
export function readableProfile(p: Profile, catalog: Catalog, storedEvents: number, now: number): ReadableProfile {
  const money = (v: number) => `${v.toFixed(2)} ${catalog.currency}`;
  const band = ranked(p.priceBands, now, 1)[0];
  const range = band && priceBandRange(Number(band.key));
  // Leaf categories only read best ("Home > Candles"), parents are implied.
  const leaves = interests(p.categories, now, 50, 'category').filter((c, _, all) => !all.some((o) => o.key.startsWith(`${c.key} > `)));
  return {
    firstSeen: p.firstSeen, lastSeen: p.lastSeen, sessions: p.sessions, events: { ...p.counts }, storedEvents,
    topCategories: leaves.slice(0, 5),
    topBrands: interests(p.brands, now, 5, 'brand'),
    priceBand: band && range ? { band: Number(band.key), range: `${money(range[0])} – ${money(range[1])}` } : null,
    recent: p.recent.slice(-10).reverse().map((r) => ({ itemId: r.itemId, title: itemTitle(catalog, r.itemId), type: r.type, time: r.time })),
    cart: Object.entries(p.cart).map(([itemId, quantity]) => ({ itemId, quantity })),
    purchases: {
      count: p.purchases.length,
      totalValue: Math.round(p.purchases.reduce((s, x) => s + x.value, 0) * 100) / 100,
      last: p.purchases.at(-1)?.time ?? null,
    },
    suppressed: [...p.suppressed],
  };
}
