/**
 * Prices as stores' templates print them: "£12.50", "1.234,56", "12,50 €", "1,250.00". The
 * separator rules are the contract's (../shared/data/ecommerce-events/README.md, "Money").
 */
import { get } from './read';

/** Keeps only the last `sep` as the decimal point; the others were thousands separators. */
function lastAsDecimal(s: string, sep: '.' | ','): string {
  const i = s.lastIndexOf(sep);
  return `${s.slice(0, i).replaceAll(sep, '')}.${s.slice(i + 1)}`;
}

/**
 * A price printed as text, or undefined when it does not read as one.
 *
 * @example
 * parseMoneyText('1.234,56 €') // 1234.56
 */
export function parseMoneyText(text: string): number | undefined {
  let s = text.replace(/[^0-9.,-]/g, '');
  const dot = s.lastIndexOf('.');
  const comma = s.lastIndexOf(',');
  if (dot >= 0 && comma >= 0) {
    // Both kinds: the rightmost is the decimal separator, the other groups thousands.
    const decimal = dot > comma ? '.' : ',';
    s = lastAsDecimal(s.replaceAll(decimal === '.' ? ',' : '.', ''), decimal);
  } else if (comma >= 0) {
    // Commas alone: "12,50" is a decimal comma, "1,250" and "1,250,000" group thousands.
    s = /^[^,]*,\d{1,2}$/.test(s) ? s.replace(',', '.') : s.replaceAll(',', '');
  } else if (dot >= 0) {
    s = lastAsDecimal(s, '.');
  }
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n + 0 : undefined; // + 0: "-0" is 0
}

/** A finite number as it is, or money printed as text; anything else is absent. */
function moneyValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return typeof v === 'string' ? parseMoneyText(v) : undefined;
}

/**
 * A price or value: a number, a printed price, or an object with an `amount` (Shopify's
 * `MoneyV2`, a serialised Spree `Price`) read as its amount.
 */
export function money(v: unknown): number | undefined {
  return typeof v === 'object' && v !== null ? moneyValue(get(v, 'amount')) : moneyValue(v);
}
