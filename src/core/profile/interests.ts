import { categoryKey, type CatalogItem } from '../catalog';
import { LocalrecError } from '../errors';
import type { Profile } from './state';

/**
 * An interest the shopper can see in `profile()` and remove: a category path or a brand (range).
 * Written as "category:Home > Candles" or "brand:Regency", the one form the page, the stored
 * profile and ranking share.
 */
export interface Interest { kind: 'category' | 'brand'; key: string }

export function formatInterest(i: Interest): string {
  return `${i.kind}:${i.key}`;
}

/** Reads an interest the page sent; throws `invalid_argument` for anything else. */
export function parseInterest(text: unknown): Interest {
  const m = typeof text === 'string' ? /^(category|brand):(.+)$/s.exec(text) : null;
  if (!m) {
    throw new LocalrecError('invalid_argument', 'removeInterest() takes "category:<path>" or "brand:<name>", as listed in profile().', 'interest');
  }
  return { kind: m[1] as Interest['kind'], key: m[2]! };
}

/** Removes an interest (in place): its affinity is zeroed and ranking drops matching items until it is restored. */
export function suppressInterest(p: Profile, interest: Interest): Profile {
  const { kind, key } = interest;
  if (kind === 'category') {
    for (const k of Object.keys(p.categories)) if (k === key || k.startsWith(`${key} > `)) delete p.categories[k];
  } else {
    delete p.brands[key];
  }
  const text = formatInterest(interest);
  if (!p.suppressed.includes(text)) p.suppressed.push(text);
  return p;
}

/**
 * A test of whether an item falls under an interest the shopper removed, or undefined when they
 * removed none (so ranking skips the test for every item).
 */
export function suppressionTest(p: Profile): ((item: CatalogItem) => boolean) | undefined {
  if (p.suppressed.length === 0) return undefined;
  const interests = p.suppressed.map(parseStored).filter((i): i is Interest => i !== undefined);
  return (item) => {
    const path = categoryKey(item.category);
    return interests.some((s) => s.kind === 'category' ? path === s.key || path.startsWith(`${s.key} > `) : item.brand === s.key);
  };
}

/** A stored entry written by an older version or damaged is ignored rather than fatal. */
function parseStored(text: string): Interest | undefined {
  try {
    return parseInterest(text);
  } catch {
    return undefined;
  }
}
