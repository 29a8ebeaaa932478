import { LocalrecError } from '../errors';
import type { RuleInput } from './rules';

/** What the page asks `recommend()` for. */
export interface RecommendRequest {
  /** How many items to return (1..500). */
  k: number;
  /** Rank only these item ids (the store's own candidate list); default: the whole catalog. */
  candidates?: string[];
  /** Never return these ids. */
  exclude?: string[];
  /** The page's context: the product being shown ("more like this") or a category being browsed. */
  context?: { itemId?: string; category?: string };
  /** Business rules for this call, applied with the store-wide ones (see rules.ts for the order). */
  rules?: RuleInput[];
  /** The store's name for where the list is shown ("home-strip"): given back on the result, for the store's analytics. */
  placement?: string;
  /** Diversity re-rank strength, 0..1 (MMR over the best candidates, diversity.ts); default 0, off. */
  diversity?: number;
  /** At most this many items of one leaf category in the list (a whole number from 1); default no cap. */
  maxPerCategory?: number;
  /** At most this many items of one brand in the list (a whole number from 1); default no cap. */
  maxPerBrand?: number;
  /** Share of the k slots (0..1) kept for items outside the shopper's top interests, reason `explore`; default 0. */
  explore?: number;
  /** Put each item's display fields (title, price, image, url, …) on its result as `item`; default false. */
  details?: boolean;
}

/** Checks a request from the page; throws `LocalrecError('invalid_argument')` naming the field. */
export function validateRequest(input: unknown): RecommendRequest {
  const bad = (field: string, what: string): never => {
    throw new LocalrecError('invalid_argument', `recommend(): \`${field}\` ${what}.`, field);
  };
  if (input === undefined) input = {};
  if (typeof input !== 'object' || input === null) return bad('request', 'must be an object such as { k: 10 }');
  const r = input as Record<string, unknown>;
  const k = r.k ?? 10;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > 500) bad('k', 'must be a whole number from 1 to 500');
  const ids = (v: unknown, f: string) => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return bad(f, 'must be an array of item ids');
    return v as string[];
  };
  const out: RecommendRequest = { k: k as number };
  const candidates = ids(r.candidates, 'candidates');
  const exclude = ids(r.exclude, 'exclude');
  if (candidates) out.candidates = candidates;
  if (exclude) out.exclude = exclude;
  if (r.rules !== undefined) {
    if (!Array.isArray(r.rules)) bad('rules', 'must be an array of rules');
    out.rules = r.rules as RuleInput[];
  }
  if (r.placement !== undefined) {
    if (typeof r.placement !== 'string' || r.placement.length > 200) bad('placement', 'must be a name of at most 200 characters');
    out.placement = r.placement as string;
  }
  if (r.details !== undefined) {
    if (typeof r.details !== 'boolean') bad('details', 'must be true or false');
    out.details = r.details as boolean;
  }
  for (const f of ['diversity', 'explore'] as const) {
    const v = r[f];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) bad(f, 'must be a number from 0 to 1');
    out[f] = v as number;
  }
  for (const f of ['maxPerCategory', 'maxPerBrand'] as const) {
    const v = r[f];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad(f, 'must be a whole number from 1');
    out[f] = v as number;
  }
  if (r.context !== undefined) {
    const c = r.context as Record<string, unknown>;
    if (typeof c !== 'object' || c === null) bad('context', 'must be an object');
    out.context = {};
    if (typeof c.itemId === 'string') out.context.itemId = c.itemId;
    if (typeof c.category === 'string') out.context.category = c.category;
  }
  return out;
}
