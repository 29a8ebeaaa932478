/** Small helpers every demo module shares: DOM lookup, escaping, and the shopper's words for things. */
import type { CatalogItem } from '../src/index';

export const $ = <T extends HTMLElement = HTMLElement>(sel: string, root: ParentNode = document): T => {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`demo: ${sel} is missing from the page`);
  return el;
};

/** Everything the catalog says is text from a data file: escape it before it becomes markup. */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

let currency = 'GBP';
export function setCurrency(code: string): void {
  currency = code;
}
export const shopCurrency = (): string => currency;
export const money = (v: number): string => new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(v);

/** The shopper reads "Candles & lights", not the catalog's path "Home > Candles & lights". */
export const leaf = (path: string | readonly string[]): string => (typeof path === 'string' ? path.split(' > ') : path).at(-1) ?? '';

export const describe = (item: CatalogItem): string => `${leaf(item.category)}${item.brand ? ` · ${item.brand} range` : ''}`;

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

export const kb = (bytes: number): string => `${Math.round(bytes / 1024).toLocaleString('en-GB')} KB`;

/** "2.50 GBP – 6.25 GBP" as the SDK writes a price band, in the shop's own money format. */
export function priceRange(range: string): string {
  const [lo, hi] = (range.match(/\d+(?:\.\d+)?/g) ?? []).map(Number);
  return lo === undefined || hi === undefined ? range : `${money(lo)} to ${money(hi)}`;
}

export const clock = (t: number): string => new Date(t).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
