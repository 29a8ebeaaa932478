/**
 * Reading payloads that a page built and may still own: a getter that throws, a revoked proxy or
 * an array that claims a billion elements reads as "absent", never as an exception, because an
 * adapter runs inside the store's own tracking calls and must never break them.
 */
import { EVENT_LIMITS } from '../core/events';

/** `o[key]` when `o` is an object (arrays and `Arguments` included); undefined otherwise or when reading throws. */
export function get(o: unknown, key: string): unknown {
  if (typeof o !== 'object' || o === null) return undefined;
  try {
    return (o as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `o[k1][k2]…`, absent as soon as one step is. */
export function at(o: unknown, ...path: string[]): unknown {
  return path.reduce(get, o);
}

/** Whether `o` has `key` as its own property (what "the entry has the key" means in the rules). */
export function has(o: unknown, key: string): boolean {
  if (typeof o !== 'object' || o === null) return false;
  try {
    return Object.hasOwn(o, key);
  } catch {
    return false;
  }
}

export function isList(v: unknown): v is readonly unknown[] {
  try {
    return Array.isArray(v);
  } catch {
    return false;
  }
}

/** A plain object: not null, not an array. */
export function isRecord(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !isList(v);
}

/**
 * The elements of an array, at most `max` of them. Lists longer than `track()` accepts
 * (`EVENT_LIMITS.maxListLength`) are cut rather than read to the end.
 */
export function elements(v: unknown, max: number = EVENT_LIMITS.maxListLength): unknown[] {
  if (!isList(v)) return [];
  const length = get(v, 'length');
  const n = typeof length === 'number' ? Math.min(length, max) : 0;
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(get(v, String(i)));
  return out;
}
