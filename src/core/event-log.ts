import type { CleanEvent } from './events';

/**
 * An event as it is written to the raw log. Search text is never written: what a shopper typed
 * can name them ("jane.doe@example.com lantern"), and ranking needs it only for the live session
 * vector, which the profile keeps. The log keeps that a search happened, with "…" for its text
 * (no word in it, so a profile rebuilt from the log gains nothing from it either).
 */
export const UNKEPT_QUERY = '…';

export function storedForm(e: CleanEvent): CleanEvent {
  return e.type === 'search' ? { type: 'search', query: UNKEPT_QUERY, time: e.time } : e;
}
