import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { validateEvent, type TrackEvent } from '../core/events';
import { describeWithSharedData } from '../core/testing/shared-data';
import { createDataLayerReader, dataLayerReadings } from './data-layer';
import { readDataLayer, readSegment, readShopifyPixel } from './index';
import { toNormalised, type NormalisedEvent, type Reading } from './reading';
import { segmentReading } from './segment';
import { shopifyReading } from './shopify';

/** One case of ../shared/data/ecommerce-events (see its README, "Case format"). */
interface Case {
  id: string;
  input: { gtag?: unknown[]; dataLayer?: unknown; segment?: [string, string, unknown?]; shopify?: { name: string; data: unknown } };
  expected: NormalisedEvent[];
}

const NOW = Date.UTC(2026, 10, 1);
/** A real `Arguments` object, as gtag pushes it. */
function realArguments(...args: unknown[]): IArguments {
  return (function (this: void, ..._: unknown[]) {
    return arguments;
  })(...args);
}

/** `{"0": …, "1": …}` is how JSON renders a gtag `Arguments` object; the real thing must read the same. */
function asRealArguments(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || !Object.hasOwn(entry, '0')) return entry;
  const o = entry as Record<string, unknown>;
  return realArguments(...Object.keys(o).sort((a, b) => Number(a) - Number(b)).map((k) => o[k]));
}

function entriesOf(input: Case['input']): unknown[] {
  if (input.gtag) return [realArguments(...input.gtag)];
  return Array.isArray(input.dataLayer) ? input.dataLayer : [input.dataLayer];
}

function readingsOf(input: Case['input']): Reading[] {
  if (input.segment) return [segmentReading(...input.segment)];
  if (input.shopify) return [shopifyReading(input.shopify)];
  return dataLayerReadings(entriesOf(input));
}

function eventsOf(input: Case['input']): TrackEvent[] {
  if (input.segment) return readSegment(...input.segment);
  if (input.shopify) return readShopifyPixel(input.shopify);
  return readDataLayer(entriesOf(input));
}

const FIGURES = ['quantity', 'price', 'value'] as const;
const LABELS = ['currency', 'query', 'orderId'] as const;

/**
 * The contract's comparison ("How a test should use these cases", step 3): equal lengths and
 * types, item ids equal in order, each figure present in both within 1e-9 or absent in both,
 * each label equal or absent in both. Returns what differs, empty when they match.
 */
function compareEvents(actual: readonly NormalisedEvent[], expected: readonly NormalisedEvent[]): string[] {
  if (actual.length !== expected.length) return [`${actual.length} events, expected ${expected.length}`];
  return actual.flatMap((a, i) => {
    const e = expected[i]!;
    const out: string[] = [];
    if (a.type !== e.type) out.push(`#${i} type ${a.type}, expected ${e.type}`);
    if (a.itemIds.length !== e.itemIds.length || a.itemIds.some((id, j) => String(id) !== String(e.itemIds[j]))) {
      out.push(`#${i} itemIds ${JSON.stringify(a.itemIds)}, expected ${JSON.stringify(e.itemIds)}`);
    }
    for (const k of FIGURES) {
      const [x, y] = [a[k], e[k]];
      if ((x === undefined) !== (y === undefined) || (x !== undefined && y !== undefined && !(Math.abs(x - y) <= 1e-9))) {
        out.push(`#${i} ${k} ${x}, expected ${y}`);
      }
    }
    for (const k of LABELS) if (a[k] !== e[k]) out.push(`#${i} ${k} ${a[k]}, expected ${e[k]}`);
    return out;
  });
}

/**
 * What `track()` can carry of an expected event: a view, click or cart event of several items is
 * one event per item, without figures (see `toTrackEvents`); views, clicks, searches and
 * impressions carry no figures at all.
 */
function expectedAsTracked(e: NormalisedEvent): NormalisedEvent[] {
  const { type, itemIds } = e;
  switch (type) {
    case 'none':
      return [];
    case 'view':
    case 'click':
      return itemIds.map((id) => ({ type, itemIds: [id] }));
    case 'add_to_cart':
    case 'remove_from_cart':
      return itemIds.length === 1 ? [e] : itemIds.map((id) => ({ type, itemIds: [id] }));
    case 'purchase':
      return [e];
    case 'search':
      return [{ type, itemIds: [], query: e.query! }];
    case 'impression':
      return [{ type, itemIds }];
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A `track()` event in the contract's shape, with only the fields its type carries. */
function trackedAsNormalised(e: TrackEvent): NormalisedEvent {
  switch (e.type) {
    case 'view':
    case 'click':
      return { type: e.type, itemIds: [e.itemId] };
    case 'add_to_cart':
    case 'remove_from_cart': {
      const { type, itemId, time: _t, ...rest } = e;
      return { type, itemIds: [itemId], ...rest };
    }
    case 'purchase': {
      const { items, time: _t, ...rest } = e;
      const one = items.length === 1 ? items[0]! : undefined;
      return dropUndefined({ ...rest, itemIds: items.map((l) => l.itemId), quantity: one?.quantity, price: one?.price }) as NormalisedEvent;
    }
    case 'search':
      return { type: 'search', itemIds: [], query: e.query };
    case 'impression':
      return { type: 'impression', itemIds: e.itemIds };
  }
}

const tally = new Map<string, { cases: number; passed: number; tracked: number }>();
afterAll(() => {
  for (const [file, t] of tally) {
    console.info(`${file}: ${t.passed}/${t.cases} cases match the contract's expected events; ${t.tracked}/${t.cases} as track() events`);
  }
});

for (const file of ['ga4-wild.json', 'ua-ecommerce.json', 'shopify-pixels.json']) {
  describeWithSharedData(`ecommerce-events/${file}`, `the shared cases of ${file}`, (path) => {
    const cases = JSON.parse(readFileSync(path, 'utf8')) as Case[];
    const t = { cases: cases.length, passed: 0, tracked: 0 };
    tally.set(file, t);

    it.each(cases.map((c) => [c.id, c] as const))('%s reads as expected (none included)', (_id, c) => {
      expect(compareEvents(readingsOf(c.input).map(toNormalised), c.expected)).toEqual([]);
      t.passed++;
    });

    it.each(cases.map((c) => [c.id, c] as const))('%s gives the track() events the expected ones stand for, all valid', (_id, c) => {
      const events = eventsOf(c.input);
      expect(compareEvents(events.map(trackedAsNormalised), c.expected.flatMap(expectedAsTracked))).toEqual([]);
      for (const e of events) expect(() => validateEvent(e, NOW)).not.toThrow();
      t.tracked++;
    });

    const layers = cases.filter((c) => c.input.dataLayer !== undefined);
    if (layers.length > 0) {
      it.each(layers.map((c) => [c.id, c] as const))('%s: the same entries as real Arguments, and pushed one by one, read the same', (_id, c) => {
        const entries = entriesOf(c.input);
        const atOnce = dataLayerReadings(entries);
        expect(dataLayerReadings(entries.map(asRealArguments))).toEqual(atOnce);
        const read = createDataLayerReader();
        expect(entries.flatMap((entry) => read(entry))).toEqual(atOnce);
      });
    }
  });
}
