/**
 * The worker's half of live source wiring (the page's half is src/client/sources.ts): each raw
 * payload a wired source sent is read with the adapters into track() events and validated as
 * track() validates, the dataLayer with GTM's carried `ecommerce` kept from push to push, and
 * what each source sent is counted for diagnostics().
 */
import { createDataLayerReader } from '../src/adapters/data-layer';
import { toTrackEvents } from '../src/adapters/reading';
import { readSegment } from '../src/adapters/segment';
import { readShopifyPixel } from '../src/adapters/shopify';
import { LocalrecError } from '../src/core/errors';
import { validateEvent, type CleanEvent, type TrackEvent } from '../src/core/events';
import type { SourceCounts, SourceName } from '../src/protocol';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The Web Pixels event in the Shopify custom pixel's message `{ localrec: 'shopify', id, event }` (docs/shopify-pixel.md). */
const pixelEvent = (message: unknown) => (isObject(message) && isObject(message.event) && typeof message.event.name === 'string' ? message.event : undefined);

/**
 * The `track()` events in one payload of each source, or undefined when the payload is not what
 * that source sends. The payload was copied to plain data on the page (no getters, no cycles);
 * the readers are still the ones that never throw, as the page's copy is not trusted either.
 */
const READERS: Record<SourceName, (payload: unknown, dataLayer: (entry: unknown) => TrackEvent[]) => TrackEvent[] | undefined> = {
  // An object push, or a gtag call (its Arguments object arrives as an array).
  dataLayer: (entry, dataLayer) => (isObject(entry) ? dataLayer(entry) : undefined),
  // `[event, properties]`, as analytics.on('track') gave them.
  segment: (call) => (Array.isArray(call) && typeof call[0] === 'string' ? readSegment('track', call[0], call[1]) : undefined),
  // The custom pixel's message, holding a Web Pixels event `{ name, data }`.
  shopify: (message) => {
    const event = pixelEvent(message);
    return event && readShopifyPixel(event as { name: string; data: unknown });
  },
};

/**
 * The custom pixel gives each event an id of its own and posts it again until localrec answers,
 * so an event may arrive twice: its events are known by that id, not by the one the page gave.
 */
function pixelId(message: unknown): string | undefined {
  const id = isObject(message) ? message.id : undefined;
  return (typeof id === 'string' && id.length <= 100) || typeof id === 'number' ? `shopify:${id}` : undefined;
}

/** Reads the payloads of wired sources, one reader state per worker, and counts them. */
export class SourceReaders {
  private readonly counts: Partial<Record<SourceName, SourceCounts>> = {};
  private readonly dataLayerReader = createDataLayerReader();
  private readonly readDataLayer = (entry: unknown) => this.dataLayerReader(entry).flatMap(toTrackEvents);

  /**
   * The validated events in one payload of `source`, in payload order, and the payload's own id
   * when its source gives one. A payload that is not what the source sends gives no events and is
   * counted malformed; so is one with an event track() would refuse, whose other events are
   * still returned.
   */
  read(source: unknown, payload: unknown, now: number): { events: CleanEvent[]; id: string | undefined } {
    if (typeof source !== 'string' || !Object.hasOwn(READERS, source)) {
      throw new LocalrecError('invalid_argument', `Unknown source ${JSON.stringify(String(source))}: one of ${Object.keys(READERS).join(', ')}.`, 'source');
    }
    const name = source as SourceName;
    const counts = (this.counts[name] ??= { payloads: 0, events: 0, skipped: 0, malformed: 0 });
    counts.payloads++;
    const id = name === 'shopify' ? pixelId(payload) : undefined;
    const events = READERS[name](payload, this.readDataLayer);
    if (events === undefined) {
      counts.malformed++;
      return { events: [], id };
    }
    if (events.length === 0) counts.skipped++;
    const valid: CleanEvent[] = [];
    for (const event of events) {
      try {
        valid.push(validateEvent(event, now));
      } catch {
        // Refused as track() would refuse it; the payload's other events still count.
      }
    }
    if (valid.length < events.length) counts.malformed++;
    counts.events += valid.length;
    return { events: valid, id };
  }

  /** What each source sent, for diagnostics(); undefined until one sent something. */
  snapshot(): Partial<Record<SourceName, SourceCounts>> | undefined {
    return Object.keys(this.counts).length ? structuredClone(this.counts) : undefined;
  }
}
