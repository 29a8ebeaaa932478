import { LocalrecError } from './errors';
import { parsePurchaseModel, predictPurchaseProbability, updatePurchaseModel, type PurchaseModel } from './lifecycle/purchase-model';
import { extractSessionFeatures, sessionStats } from './lifecycle/session-features';
import { predictShopperLifecycle, type LifecyclePopulation, type ShopperLifecycleReasons, type ShopperPurchase } from './lifecycle/shopper';
import type { LifecycleStage, StageThresholds } from './lifecycle/stage';
import { EVENT_TABLE } from './events';
import { PROFILE_SETTINGS, type PersonalModel, type Profile, type SessionEvent } from './profile/state';

export type { LifecyclePopulation, LifecycleStage, PurchaseModel, StageThresholds };

/** What `predict()` returns: the lifecycle team's figures for this shopper, each with its reason. */
export interface Prediction {
  /** P(the shopper is still an active customer), BG/NBD; null before a first purchase. */
  pAlive: number | null;
  expectedPurchases30d: number;
  expectedPurchases90d: number;
  /** Expected spend in the next 90 days (Gamma-Gamma), when order values are known. */
  expectedValue90d?: number;
  /** P(purchase in the current session), from the session model. */
  purchaseProbability: number;
  stage: LifecycleStage;
  highValue: boolean;
  reasons: ShopperLifecycleReasons & { purchaseProbability: string };
  /** The session statistics the purchase model saw. */
  session: { events: number; views: number; addToCart: number; cartValue: number };
}

/** What a store ships for lifecycle predictions: population parameters, the purchase model, stage thresholds. */
export interface LifecycleModels {
  readonly population: LifecyclePopulation;
  readonly model: PurchaseModel;
  readonly thresholds: Partial<StageThresholds>;
}


/** How fast the shopper's own sessions move the shipped model (it is also pulled back toward it). */
export const ON_DEVICE_LEARNING_RATE = 0.05;

function positive(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new LocalrecError('invalid_data', `lifecycle parameters: \`${field}\` must be a positive number`, field);
  return v;
}

/** Validates the population parameters a store publishes (demo/data/lifecycle-params.json). */
export function parseLifecyclePopulation(json: unknown): LifecyclePopulation {
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, Record<string, unknown> | undefined>;
  const bg = o.bgnbd;
  if (!bg) throw new LocalrecError('invalid_data', 'lifecycle parameters: `bgnbd` { r, alpha, a, b } is missing', 'bgnbd');
  const out: LifecyclePopulation = {
    bgnbd: { r: positive(bg.r, 'bgnbd.r'), alpha: positive(bg.alpha, 'bgnbd.alpha'), a: positive(bg.a, 'bgnbd.a'), b: positive(bg.b, 'bgnbd.b') },
    timeUnitDays: positive((o as Record<string, unknown>).timeUnitDays ?? 7, 'timeUnitDays'),
  };
  const gg = o.gammaGamma;
  if (gg) out.gammaGamma = { p: positive(gg.p, 'gammaGamma.p'), q: positive(gg.q, 'gammaGamma.q'), v: positive(gg.v, 'gammaGamma.v') };
  return out;
}

export { parsePurchaseModel };

/** The shipped model with the shopper's own weights, when they have any. */
function personalised(model: PurchaseModel, personal: PersonalModel | undefined): PurchaseModel {
  return personal && personal.weights.length === model.weights.length ? { ...model, weights: personal.weights, bias: personal.bias } : model;
}

function sessionFeatures(events: readonly SessionEvent[], p: Profile, before: number, pAlive: number | null): number[] {
  const last = p.purchases.filter((x) => x.time < before).at(-1);
  return extractSessionFeatures(events, { daysSinceLastPurchase: last ? (before - last.time) / 86_400_000 : null, pAlive });
}

/** The current session's events, or none when it has gone stale (the next event starts a new one). */
function liveEvents(p: Profile, now: number): SessionEvent[] {
  return now - p.session.last > PROFILE_SETTINGS.sessionGapMs ? [] : p.session.events;
}

const PHRASE: Record<string, (s: ReturnType<typeof sessionStats>, p: Profile, now: number, pAlive: number | null) => string> = {
  log_views: (s) => `${s.views} product view${s.views === 1 ? '' : 's'}`,
  log_clicks: (s) => `${s.clicks} click${s.clicks === 1 ? '' : 's'}`,
  log_add_to_cart: (s) => `${s.addToCart} add${s.addToCart === 1 ? '' : 's'} to cart`,
  log_remove_from_cart: (s) => `${s.removeFromCart} removal${s.removeFromCart === 1 ? '' : 's'} from the cart`,
  log_searches: (s) => `${s.searches} search${s.searches === 1 ? '' : 'es'}`,
  log_distinct_items: (s) => `${s.distinctItems} different product${s.distinctItems === 1 ? '' : 's'}`,
  log_distinct_categories: (s) => `${s.distinctCategories} categor${s.distinctCategories === 1 ? 'y' : 'ies'}`,
  log_total_dwell_s: (s) => `${Math.round(s.totalDwellSeconds / 60)} min on the site`,
  log_mean_dwell_s: (s) => `${Math.round(s.meanDwellSeconds)} s per page`,
  log_repeat_views: (s) => `came back to ${s.repeatViews} product${s.repeatViews === 1 ? '' : 's'}`,
  log_cart_value: (s) => `a cart worth ${s.cartValue.toFixed(2)}`,
  log_days_since_last_purchase: (_s, p, now) => `last purchase ${Math.round((now - (p.purchases.at(-1)?.time ?? now)) / 86_400_000)} days ago`,
  never_purchased: () => 'no purchase before',
  p_alive: (_s, _p, _n, a) => `P(alive) ${(a ?? 1).toFixed(2)}`,
};

/** "23% chance of buying in this session: 2 adds to cart (raises it), 5 product views (raises it)." */
function purchaseReason(model: PurchaseModel, features: number[], events: readonly SessionEvent[], p: Profile, now: number, pAlive: number | null, prob: number): string {
  const stats = sessionStats(events);
  // Each feature's push on the log-odds, measured from an average session (z = 0).
  const pushes = model.featureNames.map((name, j) => ({ name, push: model.weights[j]! * ((features[j]! - model.mean[j]!) / model.std[j]!) }))
    .filter((x) => Math.abs(x.push) >= 0.1 && PHRASE[x.name])
    .sort((a, b) => Math.abs(b.push) - Math.abs(a.push))
    .slice(0, 3)
    .map((x) => `${PHRASE[x.name]!(stats, p, now, pAlive)} (${x.push > 0 ? 'raises' : 'lowers'} it)`);
  const head = `${Math.round(prob * 100)}% chance of buying in this session`;
  return events.length === 0 ? `${head}: no activity yet in this session, so the base rate.` : `${head}${pushes.length ? `: ${pushes.join(', ')}` : ', close to an average session'}.`;
}

/** The order history as the lifecycle model reads it: a value not stated, or not to be trusted, is no spend figure. */
function shopperPurchases(p: Profile): ShopperPurchase[] {
  return p.purchases.map((x) => (x.valueUnknown || x.valueMismatch ? { time: x.time } : { time: x.time, value: x.value }));
}

/** Lifecycle figures and the session's purchase probability, with reasons. Pure and cheap. */
export function predict(p: Profile, models: LifecycleModels, now: number): Prediction {
  const life = predictShopperLifecycle(models.population, shopperPurchases(p), now, models.thresholds);
  const events = liveEvents(p, now);
  const m = personalised(models.model, p.personalModel);
  const features = sessionFeatures(events, p, events[0]?.time ?? now, life.pAlive);
  const prob = predictPurchaseProbability(m, features);
  const stats = sessionStats(events);
  const out: Prediction = {
    pAlive: life.pAlive, expectedPurchases30d: life.expectedPurchases30d, expectedPurchases90d: life.expectedPurchases90d,
    purchaseProbability: prob, stage: life.stage, highValue: life.highValue,
    reasons: { ...life.reasons, purchaseProbability: purchaseReason(m, features, events, p, now, life.pAlive, prob) },
    session: { events: events.length, views: stats.views, addToCart: stats.addToCart, cartValue: Math.round(stats.cartValue * 100) / 100 },
  };
  if (life.expectedValue90d !== undefined) out.expectedValue90d = life.expectedValue90d;
  return out;
}

/**
 * When `nextEventTime` starts a new session, the session that just ended is a labelled example
 * (did it end in a purchase?) and one SGD step moves the shopper's own model toward it. Returns
 * the updated personal model, or the old one when no session closed.
 */
export function learnFromClosedSession(p: Profile, models: LifecycleModels, nextEventTime: number): PersonalModel | undefined {
  const { population, model } = models;
  const personal = p.personalModel;
  const closed = p.session.events;
  if (closed.length === 0 || nextEventTime - p.session.last <= PROFILE_SETTINGS.sessionGapMs) return personal;
  if (!closed.some((e) => EVENT_TABLE[e.type].engagement)) return personal;
  const bought = closed.some((e) => e.type === 'purchase');
  const start = p.session.start;
  const before = p.purchases.filter((x) => x.time < start);
  const pAlive = before.length ? predictShopperLifecycle(population, before, start).pAlive : null;
  // Features only from what happened before the purchase, as in training.
  const firstPurchase = closed.find((e) => e.type === 'purchase')?.time ?? Infinity;
  const features = sessionFeatures(closed.filter((e) => e.type !== 'purchase' && e.time <= firstPurchase), p, start, pAlive);
  const updated = updatePurchaseModel(personalised(model, personal), features, bought ? 1 : 0, ON_DEVICE_LEARNING_RATE);
  return { weights: updated.weights, bias: updated.bias, sessions: (personal?.sessions ?? 0) + 1 };
}
