/**
 * Session features for the purchase-probability model, from a session's events as the profile
 * records them (the training tool builds the same records from Diginetica views).
 */
import { EVENT_TABLE } from '../events';
import type { SessionEvent } from '../profile/state';

export type { SessionEvent };

/** What the model knows about the shopper beyond this session. */
export interface SessionContext {
  /** Days since the shopper's last purchase before this session; null when they never purchased. */
  daysSinceLastPurchase: number | null;
  /** BG/NBD P(alive); null when unknown (for example before any purchase). */
  pAlive: number | null;
}

/**
 * Feature names, in vector order. Counts, durations and money are log1p-transformed because
 * they are heavy-tailed (one long session should not dominate a linear model).
 */
export const SESSION_FEATURE_NAMES = [
  'log_views',
  'log_clicks',
  'log_add_to_cart',
  'log_remove_from_cart',
  'log_searches',
  'log_distinct_items',
  'log_distinct_categories',
  'log_total_dwell_s',
  'log_mean_dwell_s',
  'log_repeat_views',
  'log_cart_value',
  'log_days_since_last_purchase',
  'never_purchased',
  'p_alive',
] as const;

/** One of {@link SESSION_FEATURE_NAMES}. */
export type SessionFeatureName = (typeof SESSION_FEATURE_NAMES)[number];

/** Raw (untransformed) session statistics, handy for reasons text and tests. */
export interface SessionStats {
  views: number;
  clicks: number;
  addToCart: number;
  removeFromCart: number;
  searches: number;
  distinctItems: number;
  distinctCategories: number;
  totalDwellSeconds: number;
  meanDwellSeconds: number;
  repeatViews: number;
  cartValue: number;
}

/**
 * Counts and times over the session's events. Purchases and impressions do not count as
 * engagement: a purchase is what the model predicts, and impressions are what the page showed,
 * not what the shopper did. Dwell is the time between consecutive engagement events.
 */
export function sessionStats(events: readonly SessionEvent[]): SessionStats {
  const engaged = events.filter((e) => EVENT_TABLE[e.type].engagement).sort((p, q) => p.time - q.time);
  const count = (t: SessionEvent['type']) => engaged.filter((e) => e.type === t).length;
  const items = new Set<string>();
  const categories = new Set<string>();
  const viewed = new Set<string>();
  let repeatViews = 0;
  let cartValue = 0;
  for (const e of engaged) {
    if (e.itemId !== undefined) items.add(e.itemId);
    if (e.category !== undefined) categories.add(e.category);
    if (e.type === 'view' && e.itemId !== undefined) {
      if (viewed.has(e.itemId)) repeatViews++;
      viewed.add(e.itemId);
    }
    const line = (e.price ?? 0) * (e.quantity ?? 1);
    if (e.type === 'add_to_cart' && Number.isFinite(line)) cartValue += line;
    if (e.type === 'remove_from_cart' && Number.isFinite(line)) cartValue -= line;
  }
  const span = engaged.length > 1 ? (engaged[engaged.length - 1]!.time - engaged[0]!.time) / 1000 : 0;
  return {
    views: count('view'),
    clicks: count('click'),
    addToCart: count('add_to_cart'),
    removeFromCart: count('remove_from_cart'),
    searches: count('search'),
    distinctItems: items.size,
    distinctCategories: categories.size,
    totalDwellSeconds: Math.max(0, span),
    meanDwellSeconds: engaged.length > 1 ? Math.max(0, span) / (engaged.length - 1) : 0,
    repeatViews,
    cartValue: Math.max(0, cartValue), // removals of items added before the session can overshoot
  };
}

/**
 * The feature vector, in {@link SESSION_FEATURE_NAMES} order.
 *
 * @example extractSessionFeatures(events, { daysSinceLastPurchase: null, pAlive: null })
 */
export function extractSessionFeatures(events: readonly SessionEvent[], context: SessionContext): number[] {
  const s = sessionStats(events);
  const never = context.daysSinceLastPurchase === null;
  return [
    Math.log1p(s.views),
    Math.log1p(s.clicks),
    Math.log1p(s.addToCart),
    Math.log1p(s.removeFromCart),
    Math.log1p(s.searches),
    Math.log1p(s.distinctItems),
    Math.log1p(s.distinctCategories),
    Math.log1p(s.totalDwellSeconds),
    Math.log1p(s.meanDwellSeconds),
    Math.log1p(s.repeatViews),
    Math.log1p(s.cartValue),
    never ? 0 : Math.log1p(Math.max(0, context.daysSinceLastPurchase!)),
    never ? 1 : 0,
    // Unknown P(alive) sits at 1: BG/NBD's own value for a customer without repeat purchases.
    context.pAlive ?? 1,
  ];
}
