import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { validateEvent, type CleanEvent } from '../events';
import { groupSessions, parseDigineticaViews, parseSessionTsv } from '../sequence/click-logs';
import { T0, testCatalogJson } from '../testing/fixtures';
import { describeWithSharedData } from '../testing/shared-data';
import { BOT_SETTINGS, watchForBot, type BotWatch } from './bot';
import { checkProfile } from './repair';
import { emptyProfile, PROFILE_SETTINGS, type Profile } from './state';
import { applyUpdate } from './update';

const catalog = parseCatalog(testCatalogJson());
const ITEMS = catalog.items.map((i) => i.id);
const view = (itemId: string, time: number): CleanEvent => validateEvent({ type: 'view', itemId, time }, time);

/** A seeded generator, so every sequence below is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Views at the given gaps (ms) from T0, over `items` in turn. */
function sequence(gaps: number[], items: (i: number) => string): CleanEvent[] {
  let t = T0;
  return gaps.map((g, i) => view(items(i), (t += g)));
}

/**
 * Runs events through one watch, as the profile would: returns which events were learned, the
 * index of the event that got the visit judged (-1 if none), and the watch.
 */
function watch(events: readonly CleanEvent[], start?: BotWatch) {
  let w = start;
  let judgedAt = -1;
  let reason: string | undefined;
  let ignored = 0;
  const learned: CleanEvent[] = [];
  events.forEach((e, i) => {
    const r = watchForBot(w, e);
    w = r.watch;
    learned.push(...r.learn);
    ignored += r.ignored;
    if (r.judgedNow) [judgedAt, reason] = [i, r.judgedNow];
  });
  return { judgedAt, reason, learned, ignored, watch: w };
}

const distinct = (i: number) => `sku-${i}`;

describe('watchForBot: automated traffic', () => {
  it('a crawler sleeping a fixed second between pages is judged a metronome after 16 pages', () => {
    const rnd = random(1);
    const r = watch(sequence(Array.from({ length: 200 }, () => 1000 + Math.round((rnd() - 0.5) * 20)), distinct));
    expect(r.reason).toBe('metronome');
    expect(r.judgedAt).toBe(BOT_SETTINGS.metronome.judge);
    // Held from the sixth regular interval on, so only the pages before it were learned.
    expect(r.learned).toHaveLength(BOT_SETTINGS.metronome.suspect);
    expect(r.ignored).toBe(200 - BOT_SETTINGS.metronome.suspect);
  });

  it('a scraper at about four pages a second, irregular, is judged on its rate', () => {
    const rnd = random(2);
    const r = watch(sequence(Array.from({ length: 300 }, () => 60 + Math.round(-Math.log(1 - rnd()) * 200)), distinct));
    expect(r.reason).toBe('rate');
    expect(r.judgedAt).toBeLessThan(40);
    expect(r.learned.length).toBeLessThan(BOT_SETTINGS.rate.suspect);
  });

  it('a sweep over distinct items at a pace a person could click, but never stopping to look, is judged', () => {
    const rnd = random(3);
    // About 1.1 pages a second with human-looking spread (coefficient of variation ~0.5): never 25 in 10 s.
    const r = watch(sequence(Array.from({ length: 300 }, () => 450 + Math.round(rnd() * 900)), distinct));
    expect(r.reason).toBe('sweep');
    expect(r.judgedAt).toBe(BOT_SETTINGS.sweep.judge - 1);
    expect(r.learned.length).toBeLessThan(BOT_SETTINGS.sweep.suspect);
  });

  it('events the page delivers at once — a replayed queue, a loop of track() calls — are one moment, not a rate', () => {
    // 1,000 events in one millisecond, then a loop awaiting each track() (15-40 ms apart), then a person.
    const rnd = random(4);
    const gaps = [...Array.from({ length: 1000 }, () => 0), ...Array.from({ length: 1000 }, () => 15 + Math.round(rnd() * 25)), 4000, 7000, 2500, 12000];
    const r = watch(sequence(gaps, (i) => ITEMS[i % ITEMS.length]!));
    expect(r.judgedAt).toBe(-1);
    expect(r.learned).toHaveLength(gaps.length);
  });

  it('impressions and searches are not judged, however fast', () => {
    const events = Array.from({ length: 500 }, (_, i) => validateEvent({ type: 'impression', itemIds: ['k1', 'k2'], time: T0 + i * 300 }, T0 + i * 300));
    expect(watch(events).learned).toHaveLength(500);
  });

  it('a judged visit ends with a 30-minute pause: the next visit is learned', () => {
    const crawl = sequence(Array.from({ length: 40 }, () => 1000), distinct);
    const judged = watch(crawl);
    expect(judged.watch?.judged?.reason).toBe('metronome');
    const later = crawl.at(-1)!.time + PROFILE_SETTINGS.sessionGapMs + 1;
    const next = watchForBot(judged.watch, view('k1', later));
    expect(next.learn.map((e) => e.time)).toEqual([later]);
    expect(next.watch.judged).toBeUndefined();
  });
});

describe('applyUpdate with a crawler in the middle', () => {
  it("keeps the shopper's liked brand on top and counts only what a person did", () => {
    const ctx = (now: number) => ({ catalog, lifecycle: undefined, now });
    const p: Profile = emptyProfile(catalog.dim, T0);
    const person = [view('k1', T0), view('k2', T0 + 40_000), view('k1', T0 + 95_000)];
    for (const e of person) applyUpdate(p, e, ctx(e.time));
    // The next day, a crawler walks the rest of the catalog every 800 ms for five minutes.
    const others = ITEMS.filter((id) => catalog.items[catalog.index.get(id)!]!.brand !== 'Regency');
    const crawl = Array.from({ length: 375 }, (_, i) => view(others[i % others.length]!, T0 + 86_400_000 + i * 800));
    for (const e of crawl) applyUpdate(p, e, ctx(e.time));
    expect(p.automated).toMatchObject({ visits: 1, last: { reason: 'metronome' } });
    expect(p.counts.view).toBe(person.length + BOT_SETTINGS.metronome.suspect);
    expect(p.automated!.ignored).toBe(crawl.length - BOT_SETTINGS.metronome.suspect);
    const top = Object.entries(p.brands).sort((a, b) => b[1].score - a[1].score)[0]![0];
    expect(top).toBe('Regency');
  });

  it('a stored profile with a damaged watch keeps everything else', () => {
    const p = emptyProfile(catalog.dim, T0) as Profile & Record<string, unknown>;
    p.botWatch = { last: 'x', moments: [1], items: [] } as unknown as BotWatch;
    p.automated = { visits: 1, ignored: 3 };
    const checked = checkProfile(p);
    expect(checked).toBeDefined();
    expect(checked!.botWatch).toBeUndefined();
    expect(checked!.automated).toEqual({ visits: 1, ignored: 3 });
  });
});

/** Replays each session of a real click log through a fresh watch; returns the sessions judged or held back. */
function judgedSessions(sessions: ReturnType<typeof groupSessions>): { sessions: number; judged: number } {
  let judged = 0;
  for (const s of sessions) {
    const events = s.events.map((e) => view(e.itemId, Math.round(e.time * 1000)));
    const r = watch(events);
    // Every event a person made is learned, none held back at the end.
    if (r.judgedAt >= 0 || r.learned.length + r.watch!.held.length !== events.length || r.watch!.held.length > 0) judged++;
  }
  return { sessions: sessions.length, judged };
}

// People: no session of two real stores' click logs is judged automated.
describeWithSharedData('yoochoose-100k/train.tsv', 'watchForBot on YooChoose shoppers', (path) => {
  it('judges none of 21,210 sessions', () => {
    const text = readFileSync(path, 'utf8') + readFileSync(path.replace('train.tsv', 'test.tsv'), 'utf8').replace(/^[^\n]*\n/, '');
    const r = judgedSessions(groupSessions(parseSessionTsv(text)));
    expect(r.sessions).toBeGreaterThan(20_000);
    expect(r.judged).toBe(0);
  });
});

describeWithSharedData('diginetica-sample/train-item-views.csv', 'watchForBot on Diginetica shoppers', (path) => {
  it('judges none of 2,986 sessions', () => {
    const r = judgedSessions(groupSessions(parseDigineticaViews(readFileSync(path, 'utf8'))));
    expect(r.sessions).toBeGreaterThan(2_900);
    expect(r.judged).toBe(0);
  });
});
