import { categoryKey, type AttributeValue, type Catalog, type CatalogItem } from '../catalog';
import type { Profile } from '../profile/state';
import type { Reason } from './context';

/**
 * Business rules: declarative, from the store's server (the catalog's `rules`, and store-wide
 * `createLocalrec({ rules })`) and per call (`recommend({ rules })`, `related(id, { rules })`,
 * `rerank(ids, { rules })`; rerank.ts says how they keep its list whole). They apply in this order:
 *
 * 1. `filter` and `exclude` run with the built-in filters, before anything is scored: an item a
 *    filter drops is never shown, not even when a `pin` names it;
 * 2. `boost` and `bury` add (subtract) their weight to the blend's total, after novelty damping;
 * 3. `pin` runs last, after top-k: the item is moved (or brought in) to its position.
 *
 * A rule outside its `activeFrom` / `activeUntil` window does nothing. An invalid rule is
 * reported as a {@link RuleError} naming the rule and its field; the other rules still apply.
 */

/** How a rule matches one custom attribute: this value, one of these values, or (numbers) a range. */
export type AttributeMatch = AttributeValue | AttributeValue[] | { min?: number; max?: number };

/** Which items a rule is about; every field given must hold. */
export interface RuleMatch {
  /** One of these item ids. */
  ids?: string[];
  /** A category path prefix: "Home > Candles & lights" or ["Home", "Candles & lights"]. */
  category?: string | string[];
  /** One of these brands. */
  brand?: string | string[];
  /** Price at least `min` and at most `max`. */
  price?: { min?: number; max?: number };
  /** In stock (true) or not (false). */
  available?: boolean;
  /** The catalog's custom `attributes`, each as {@link AttributeMatch}: `{ material: 'wool', size: ['S', 'M'], weight: { max: 2 } }`. */
  attributes?: Record<string, AttributeMatch>;
}

interface RuleBase {
  /** Names the rule in reasons and errors (default: `rules[i]` or `store rules[i]`). */
  label?: string;
  /** The rule applies from this time on (ISO date-time or ms since the epoch). */
  activeFrom?: string | number;
  /** ...and until this time. */
  activeUntil?: string | number;
}

/** Keeps only the items that match. */
export interface FilterRule extends RuleBase { type: 'filter'; where: RuleMatch }
/** Drops the items that match `where` or any exclusion given. */
export interface ExcludeRule extends RuleBase {
  type: 'exclude';
  where?: RuleMatch;
  /** Items the shopper bought within this many days. */
  boughtWithinDays?: number;
  /** Items in the shopper's cart. */
  inCart?: boolean;
  /** Out-of-stock items (always dropped by the built-in filters too). */
  outOfStock?: boolean;
  /** The item the page shows (`context.itemId`). */
  currentItem?: boolean;
}
/** Adds `weight` (boost) or subtracts it (bury) from the score of the items that match. */
export interface WeightRule extends RuleBase { type: 'boost' | 'bury'; where: RuleMatch; weight: number }
/** Puts `itemId` at `position` (1 = first) of the list, unless a filter removed it. */
export interface PinRule extends RuleBase { type: 'pin'; itemId: string; position: number }

/** A business rule as the store writes it. */
export type RuleInput = FilterRule | ExcludeRule | WeightRule | PinRule;

/** A valid rule, its window in ms and its label resolved. */
export type Rule = RuleInput & { label: string; from: number; until: number };

/** A rule that was not applied: which one (`rule` is its index in its list; -1 when the store-wide list itself could not be downloaded or read), the field and why. */
export interface RuleError {
  code: 'invalid_rule';
  rule: number;
  label: string;
  /** The offending field, for example `rules[2].weight`. */
  field: string;
  message: string;
}

const TYPES = ['filter', 'exclude', 'boost', 'bury', 'pin'];
const MATCH_KEYS = ['ids', 'category', 'brand', 'price', 'available', 'attributes'];
const MAX_WEIGHT = 10;

class Invalid extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '');

function time(v: unknown, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(t)) throw new Invalid(field, 'must be an ISO date-time or ms since the epoch');
  return t;
}

function checkMatch(m: unknown, field: string): void {
  if (!isRecord(m)) throw new Invalid(field, 'must be an object such as { category: "Home" }');
  for (const key of Object.keys(m)) {
    if (!MATCH_KEYS.includes(key)) {
      throw new Invalid(`${field}.${key}`, `is not a catalog field rules can match (${MATCH_KEYS.join(', ')}); custom attributes go under \`attributes\`, as in { attributes: { ${key}: … } }`);
    }
  }
  if (m.ids !== undefined && !strings(m.ids)) throw new Invalid(`${field}.ids`, 'must be a non-empty array of item ids');
  for (const key of ['category', 'brand'] as const) {
    if (m[key] !== undefined && !(typeof m[key] === 'string' && m[key] !== '') && !strings(m[key])) throw new Invalid(`${field}.${key}`, 'must be a name or an array of names');
  }
  if (m.available !== undefined && typeof m.available !== 'boolean') throw new Invalid(`${field}.available`, 'must be true or false');
  if (m.price !== undefined) checkRange(m.price, `${field}.price`);
  if (m.attributes !== undefined) {
    if (!isRecord(m.attributes)) throw new Invalid(`${field}.attributes`, 'must be an object such as { material: "wool" }');
    for (const [name, want] of Object.entries(m.attributes)) {
      const f = `${field}.attributes.${name}`;
      if (isRecord(want)) checkRange(want, f);
      else if (Array.isArray(want) ? want.length === 0 || !want.every(isValue) : !isValue(want)) throw new Invalid(f, 'must be a value (text, number, true/false), a non-empty array of values, or { min?, max? }');
    }
  }
}

const isValue = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function checkRange(r: unknown, field: string): void {
  if (!isRecord(r)) throw new Invalid(field, 'must be { min?, max? }');
  for (const key of Object.keys(r)) if (key !== 'min' && key !== 'max') throw new Invalid(`${field}.${key}`, 'is not min or max');
  for (const k of ['min', 'max'] as const) {
    if (r[k] !== undefined && (typeof r[k] !== 'number' || !Number.isFinite(r[k]))) throw new Invalid(`${field}.${k}`, 'must be a finite number');
  }
}

function checkRule(r: Record<string, unknown>, f: string): void {
  if (!TYPES.includes(r.type as string)) throw new Invalid(`${f}.type`, `must be one of ${TYPES.join(', ')}`);
  if (r.label !== undefined && typeof r.label !== 'string') throw new Invalid(`${f}.label`, 'must be a string');
  if (r.type === 'pin') {
    if (typeof r.itemId !== 'string' || r.itemId === '') throw new Invalid(`${f}.itemId`, 'must be an item id');
    if (!Number.isInteger(r.position) || (r.position as number) < 1) throw new Invalid(`${f}.position`, 'must be a whole number from 1 (the first place)');
    return;
  }
  if (r.type === 'exclude') {
    if (r.where !== undefined) checkMatch(r.where, `${f}.where`);
    const d = r.boughtWithinDays;
    if (d !== undefined && (typeof d !== 'number' || !Number.isFinite(d) || d <= 0)) throw new Invalid(`${f}.boughtWithinDays`, 'must be a number of days > 0');
    for (const k of ['inCart', 'outOfStock', 'currentItem'] as const) {
      if (r[k] !== undefined && typeof r[k] !== 'boolean') throw new Invalid(`${f}.${k}`, 'must be true or false');
    }
    if (r.where === undefined && d === undefined && !r.inCart && !r.outOfStock && !r.currentItem) {
      throw new Invalid(`${f}.where`, 'is needed unless boughtWithinDays, inCart, outOfStock or currentItem is given');
    }
    return;
  }
  checkMatch(r.where, `${f}.where`);
  if (r.type !== 'filter') {
    const w = r.weight;
    if (typeof w !== 'number' || !(w > 0) || w > MAX_WEIGHT) throw new Invalid(`${f}.weight`, `must be a number above 0 and at most ${MAX_WEIGHT}`);
  }
}

/**
 * Checks rules as the store wrote them. Returns the valid ones and an error for each invalid one
 * (naming its index and field); `name` is the list's name in labels and fields ("rules",
 * "store rules"). Never throws.
 */
export function parseRules(input: unknown, name = 'rules'): { rules: Rule[]; errors: RuleError[] } {
  const rules: Rule[] = [];
  const errors: RuleError[] = [];
  if (input === undefined) return { rules, errors };
  const list = Array.isArray(input) ? input : [input];
  list.forEach((raw: unknown, i) => {
    const f = Array.isArray(input) ? `${name}[${i}]` : name;
    const label = isRecord(raw) && typeof raw.label === 'string' && raw.label ? raw.label : f;
    try {
      if (!isRecord(raw)) throw new Invalid(f, 'must be an object such as { type: "boost", where: { brand: "Regency" }, weight: 0.5 }');
      checkRule(raw, f);
      const from = time(raw.activeFrom, `${f}.activeFrom`, -Infinity);
      const until = time(raw.activeUntil, `${f}.activeUntil`, Infinity);
      if (until < from) throw new Invalid(`${f}.activeUntil`, 'must not be before activeFrom');
      rules.push({ ...(structuredClone(raw) as unknown as RuleInput), label, from, until });
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      errors.push({ code: 'invalid_rule', rule: i, label, field: e.field, message: `${label}: \`${e.field}\` ${e.message}.` });
    }
  });
  return { rules, errors };
}

/** Whether the rule is in force at `now` (inside its active window). */
export function activeAt(rule: Rule, now: number): boolean {
  return rule.from <= now && now <= rule.until;
}

const asList = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** Whether `item` matches every field `m` gives. */
export function matches(m: RuleMatch, item: CatalogItem): boolean {
  if (m.ids && !m.ids.includes(item.id)) return false;
  if (m.available !== undefined && item.available !== m.available) return false;
  if (m.brand !== undefined && (item.brand === undefined || !asList(m.brand).includes(item.brand))) return false;
  if (m.price && !inRange(item.price, m.price)) return false;
  if (m.category !== undefined) {
    const prefix = Array.isArray(m.category) ? m.category : m.category.split(' > ');
    if (categoryKey(item.category, prefix.length) !== categoryKey(prefix)) return false;
  }
  if (m.attributes) {
    for (const [name, want] of Object.entries(m.attributes)) {
      const have = item.attributes?.[name];
      if (have === undefined) return false;
      if (Array.isArray(want) ? !want.includes(have) : typeof want === 'object' ? typeof have !== 'number' || !inRange(have, want) : have !== want) return false;
    }
  }
  return true;
}

const inRange = (v: number, r: { min?: number; max?: number }) => (r.min === undefined || v >= r.min) && (r.max === undefined || v <= r.max);

/** What the rules read besides the item. */
export interface RuleScope { catalog: Catalog; profile: Profile; now: number; currentItem?: string | undefined }

/** Each filter and exclude rule in force, with its test: false for an item it drops. */
export function ruleTests(rules: readonly Rule[], scope: RuleScope): [Rule, (item: CatalogItem) => boolean][] {
  const active = rules.filter((r) => (r.type === 'filter' || r.type === 'exclude') && activeAt(r, scope.now)) as (Rule & (FilterRule | ExcludeRule))[];
  const { profile, now } = scope;
  return active.map((r) => {
    if (r.type === 'filter') return [r, (item: CatalogItem) => matches(r.where, item)];
    const bought = new Set<string>();
    if (r.boughtWithinDays !== undefined) {
      for (const p of profile.purchases) if (now - p.time < r.boughtWithinDays * 86_400_000) p.itemIds.forEach((id) => bought.add(id));
    }
    return [r, (item: CatalogItem) => !(
      (r.where !== undefined && matches(r.where, item)) || bought.has(item.id) || (r.inCart && profile.cart[item.id] !== undefined)
      || (r.outOfStock && !item.available) || (r.currentItem && item.id === scope.currentItem)
    )];
  });
}

/**
 * The filter and exclude rules as one test: false for an item they drop. Undefined when no such
 * rule is in force (the common case costs nothing).
 */
export function ruleFilter(rules: readonly Rule[], scope: RuleScope): ((i: number) => boolean) | undefined {
  const tests = ruleTests(rules, scope);
  if (tests.length === 0) return undefined;
  return (i) => {
    const item = scope.catalog.items[i]!;
    return tests.every(([, t]) => t(item));
  };
}

/** One rule that moved an item: the reason it gives (a filter or exclusion moves an item only in `rerank()`, to the end). */
export function ruleReason(rule: Rule, weight: number): Reason {
  const text = rule.type === 'pin' ? `Placed here by the store (${rule.label})`
    : rule.type === 'filter' || rule.type === 'exclude' ? `Moved to the end by the store (${rule.label})`
    : `${rule.type === 'boost' ? 'Promoted' : 'Moved down'} by the store (${rule.label})`;
  return { kind: 'rule', text, weight, rule: rule.label };
}

/**
 * Stage 4b, boost and bury: adds each active rule's signed weight, in place, to the score of the
 * pool items it matches. Returns the reasons per pool position (sparse).
 */
export function applyWeights(rules: readonly Rule[], catalog: Catalog, items: Int32Array, scores: Float32Array, now: number): Map<number, Reason[]> {
  const moved = new Map<number, Reason[]>();
  for (const r of rules) {
    if ((r.type !== 'boost' && r.type !== 'bury') || !activeAt(r, now)) continue;
    const w = r.type === 'boost' ? r.weight : -r.weight;
    for (let c = 0; c < items.length; c++) {
      if (!matches(r.where, catalog.items[items[c]!]!)) continue;
      scores[c] = scores[c]! + w;
      moved.set(c, [...(moved.get(c) ?? []), ruleReason(r, w)]);
    }
  }
  return moved;
}

/**
 * Flags, in `flags` (one per catalog item), the `items` an active boost or bury matches: the items
 * whose score stage 4b moves (for the shortlist, which keeps them whatever their bound says).
 */
export function markWeighted(rules: readonly Rule[], catalog: Catalog, items: Int32Array, now: number, flags: Uint8Array): void {
  for (const r of rules) {
    if ((r.type !== 'boost' && r.type !== 'bury') || !activeAt(r, now)) continue;
    for (let c = 0; c < items.length; c++) if (matches(r.where, catalog.items[items[c]!]!)) flags[items[c]!] = 1;
  }
}

/** The catalog indices that the active pins within the first `k` places name (see applyPins). */
export function pinnedItems(rules: readonly Rule[], catalog: Catalog, k: number, now: number): number[] {
  const out: number[] = [];
  for (const r of rules) {
    const item = r.type === 'pin' && r.position <= k && activeAt(r, now) ? catalog.index.get(r.itemId) : undefined;
    if (item !== undefined) out.push(item);
  }
  return out;
}

/**
 * Stage 6, pins: moves each pinned item (in `pool`: not filtered out) to its position in `list`
 * (pool positions, best first), bringing it in when top-k left it out; the list keeps at most k
 * entries, so the last one drops out. A pin past k does nothing (the strip has no such place); one
 * past a shorter list puts the item last. Pins apply in order of position (ties: rule order; an
 * item pinned twice takes its first pin). Returns the pinned pool positions with their rule.
 */
export function applyPins(rules: readonly Rule[], catalog: Catalog, items: Int32Array, list: number[], k: number, now: number): Map<number, Rule> {
  const pins = (rules.filter((r) => r.type === 'pin' && r.position <= k && activeAt(r, now)) as (Rule & PinRule)[]).sort((a, b) => a.position - b.position);
  const pinned = new Map<number, Rule>();
  if (pins.length === 0) return pinned;
  // A search per pin: a pool of 100,000 items holds a handful of pins, not worth a map of the pool.
  for (const r of pins) {
    const item = catalog.index.get(r.itemId);
    const c = item === undefined ? -1 : items.indexOf(item);
    if (c >= 0 && !pinned.has(c)) pinned.set(c, r);
  }
  // Out first, then in by ascending position, so a later pin never shifts an earlier one.
  const rest = list.filter((c) => !pinned.has(c));
  for (const [c, r] of pinned) rest.splice(Math.min((r as PinRule).position - 1, rest.length), 0, c);
  list.splice(0, list.length, ...rest.slice(0, k));
  return pinned;
}
