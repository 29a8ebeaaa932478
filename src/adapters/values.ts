/** The contract's shared value rules (ids, quantities, currencies, queries, event names). */
import { elements, get, isRecord } from './read';
import { money } from './money';

/** Shopify's global ids, `gid://shopify/Product/7992983748843`: the id is the last segment. */
const SHOPIFY_GID = /^gid:\/\/shopify\/[^/]+\/([^/?#]+)/i;

/**
 * An item or order id: a trimmed non-empty string (a Shopify GID stripped to its id) or a finite
 * number written out; anything else is absent.
 */
export function itemId(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '') return undefined;
  return SHOPIFY_GID.exec(s)?.[1] ?? s;
}

/** The first of `keys` that holds a usable id: the priority orders of the rules. */
export function firstId(o: unknown, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const id = itemId(get(o, key));
    if (id !== undefined) return id;
  }
  return undefined;
}

/** A finite number, or a numeric string such as "2". */
export function quantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** A three-letter code, trimmed and upper-cased ("usd" → "USD"); anything else is absent. */
export function currency(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const code = v.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : undefined;
}

/** A search query: a string with something in it once trimmed. */
export function query(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const q = v.trim();
  return q === '' ? undefined : q;
}

/** An event name lower-cased and stripped to [a-z0-9]: "Add to Cart", "addToCart" and "add_to_cart" all read "addtocart". */
export function squashName(name: unknown): string {
  return typeof name === 'string' ? name.toLowerCase().replace(/[^a-z0-9]/g, '') : '';
}

/** One item of a payload before the shared rules: its id may be missing. */
export interface FoundItem {
  itemId: string | undefined;
  quantity?: number | undefined;
  price?: number | undefined;
}

/** An item that carries `quantity` and `price` beside its id (GA4 `items`, UA `products`, GTM `transactionProducts`, Segment). */
export function flatItem(item: object, idKeys: readonly string[]): FoundItem {
  return { itemId: firstId(item, idKeys), quantity: quantity(get(item, 'quantity')), price: money(get(item, 'price')) };
}

/** The {@link flatItem}s of a list, null and other non-objects skipped. */
export function flatItems(list: unknown, idKeys: readonly string[]): FoundItem[] {
  return elements(list).filter(isRecord).map((item) => flatItem(item, idKeys));
}
