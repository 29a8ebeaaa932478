import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalrecError } from '../../src/core/errors';
import { buildSequenceBundle } from '../../src/core/sequence/bundle-builder';
import { encodeBundle } from '../../src/core/sequence/bundle-format';
import { groupSessions, parseLog } from '../../src/core/sequence/click-logs';
import { buildCohort } from '../../src/core/lifecycle/cohort';
import { parseOnlineRetailPurchases } from '../../src/core/lifecycle/purchase-logs';
import { parseDay } from '../../src/core/lifecycle/transactions';
import { writeCustomerSummary } from '../store-sql';
import { storeBuild } from './build';
import { Engine, sqlString } from './engine';
import { loadEvents, type StoreLogFormat } from './readers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'localrec-store-build-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** Loads `path` as `format` into a fresh engine; returns the summary and the events in seq order. */
async function load(path: string, format: StoreLogFormat) {
  const engine = await Engine.open({ tempDirectory: mkdtempSync(join(dir, 'engine-')) });
  try {
    const summary = await loadEvents(engine, path, format);
    const events = (await engine.rows('SELECT session_id, item_id, time FROM events ORDER BY seq'))
      .map((r) => [String(r.session_id), String(r.item_id), Number(r.time)]);
    return { summary, events };
  } finally {
    engine.close();
  }
}

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await promise.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(LocalrecError);
  expect((e as LocalrecError).code).toBe('invalid_data');
  expect((e as Error).message).toMatch(pattern);
}

/** A seeded log of `days` days: sessions of 1..12 clicks over 40 items, a few popular. */
function syntheticLog(seed: number, sessions: number, days: number, firstDay = 19000): string {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const lines = ['SessionId\tItemId\tTime'];
  for (let k = 0; k < sessions; k++) {
    const day = firstDay + Math.floor((k / sessions) * days);
    let t = day * 86400 + 3600 + Math.floor(rand() * 60000);
    const len = 1 + Math.floor(rand() * rand() * 12);
    let item = Math.floor(rand() * rand() * 40);
    for (let i = 0; i < len; i++) {
      lines.push(`d${day}s${k}\t${item}\t${t}`);
      t += 1 + Math.floor(rand() * 200);
      item = rand() < 0.6 ? (item + 1 + Math.floor(rand() * 3)) % 40 : Math.floor(rand() * rand() * 40);
    }
  }
  return lines.join('\n') + '\n';
}

describe('readers', () => {
  it('session-rec TSV: good rows load in file order; malformed ones are counted, named and skipped', async () => {
    const path = file('clicks.tsv', 'SessionId\tItemId\tTime\n1\t10\t100\n1\t11\t101.5\n2\t10\t102\n2\t\t103\n3\t12\tsoon\n3\t12\t104\t9\n4\t13\t105\n');
    // rows: 1-3 good, 4 no item, 5 bad time, 6 an extra field, 7 good
    const { summary, events } = await load(path, 'tsv');
    expect(events).toEqual([['1', '10', 100], ['1', '11', 101.5], ['2', '10', 102], ['4', '13', 105]]);
    expect(summary).toMatchObject({ rows: 7, events: 4, skipped: 3, ignored: 0 });
    expect(summary.reasons).toEqual({ 'empty item id': 1, 'time is not a number': 1, 'too many columns': 1 });
    expect(summary.examples.map((e) => e.reason).sort()).toEqual(['empty item id', 'time is not a number', 'too many columns']);
    // Where: file lines (the header is line 1), in file order.
    expect(summary.examples.map((e) => e.at)).toEqual(['line 5', 'line 6', 'line 7']);
  });

  it('a file that is not what it claims stops before loading anything', async () => {
    await rejects(load(file('views.csv', 'session_id;user_id;item_id;timeframe;eventdate\n1;;5;10;2016-05-09\n'), 'tsv'), /not a session-rec TSV file: its header lacks SessionId, ItemId, Time/);
    await rejects(load(file('fake.parquet', 'SessionId\tItemId\tTime\n1\t2\t3\n'), 'parquet'), /not a Parquet file/);
    await rejects(load(file('fake.ndjson', 'SessionId\tItemId\tTime\n1\t2\t3\n'), 'ga4-json'), /not GA4 NDJSON/);
    await rejects(load(file('other.ndjson', '{"id":1,"name":"x"}\n'), 'ga4-json'), /not a GA4 BigQuery export: its first event lacks event_name/);
    // The right header over rows that are mostly not data: the file is not what it claims.
    await rejects(load(file('mostly-bad.tsv', 'SessionId\tItemId\tTime\n1\t2\tx\n1\t\t3\n1\t2\t3\n'), 'tsv'), /2 of 3 rows are malformed .* is it really tsv\?/);
  });

  it('Diginetica views: time is the event date plus timeframe ms; a bad date is skipped', async () => {
    const path = file('views.csv', 'session_id;user_id;item_id;timeframe;eventdate\n1;;81766;526309;2016-05-09\n1;;31331;1031018;2016-05-09\n2;;32118;243569;2016-05-9x\n3;;9654;75848;2016-05-10\n');
    const { summary, events } = await load(path, 'diginetica');
    const day = Date.parse('2016-05-09T00:00:00Z') / 1000;
    expect(events).toEqual([['1', '81766', day + 526.309], ['1', '31331', day + 1031.018], ['3', '9654', day + 86400 + 75.848]]);
    expect(summary.reasons).toEqual({ 'eventdate is not a YYYY-MM-DD date': 1 });
    // The in-memory parser reads the good rows the same way.
    const good = parseLog('session_id;user_id;item_id;timeframe;eventdate\n1;;81766;526309;2016-05-09\n', 'diginetica');
    expect(events[0]).toEqual([good[0]!.sessionId, good[0]!.itemId, good[0]!.time]);
  });

  it('Online Retail: invoices are sessions, cancellations are ignored (not errors), a Latin-1 file reads', async () => {
    const rows = [
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
      '536365,85123A,"WHITE HANGING HEART, T-LIGHT",6,01/12/2010 08:26,2.55,17850,United Kingdom',
      '536365,71053,WHITE METAL LANTERN,6,01/12/2010 08:26,3.39,17850,United Kingdom',
      'C536379,D,Discount,-1,01/12/2010 09:41,27.5,14527,United Kingdom',
      '536380,gift_0001_40,Gift Voucher \xa340.00,1,1/12/2010 9:41,34.04,,United Kingdom',
      '536381,22086,PAPER CHAIN KIT,two,01/12/2010 09:41,2.55,15311,United Kingdom',
      '536382,22086,PAPER CHAIN KIT,1,31/02/2010 09:41,2.55,15311,United Kingdom',
    ];
    const { summary, events } = await load(file('retail.csv', Buffer.from(rows.join('\n') + '\n', 'latin1')), 'online-retail');
    const t = Date.UTC(2010, 11, 1, 8, 26) / 1000;
    expect(events).toEqual([['536365', '85123A', t], ['536365', '71053', t], ['536380', 'gift_0001_40', t + 75 * 60]]);
    expect(summary).toMatchObject({ rows: 6, events: 3, ignored: 1, skipped: 2 });
    expect(summary.reasons).toEqual({ 'Quantity is not a number': 1, 'InvoiceDate is not DD/MM/YYYY HH:MM': 1 });
  });

  it('Parquet: session_id / item_id / time columns, time in seconds or a TIMESTAMP; empty ids are skipped', async () => {
    const engine = await Engine.open({ tempDirectory: mkdtempSync(join(dir, 'engine-')) });
    const seconds = join(dir, 'events.parquet');
    const stamps = join(dir, 'stamps.parquet');
    try {
      await engine.run(`COPY (SELECT * FROM (VALUES ('s1', 'a', 100.0), ('s1', 'b', 130.0), ('s2', NULL, 140.0), ('s2', 'a', 150.0)) v(session_id, item_id, time))
        TO ${sqlString(seconds)} (FORMAT PARQUET)`);
      await engine.run(`COPY (SELECT 's1' AS SessionId, 42 AS ItemId, TIMESTAMP '2024-03-01 10:00:00.5' AS Time) TO ${sqlString(stamps)} (FORMAT PARQUET)`);
    } finally {
      engine.close();
    }
    const a = await load(seconds, 'parquet');
    expect(a.events).toEqual([['s1', 'a', 100], ['s1', 'b', 130], ['s2', 'a', 150]]);
    expect(a.summary).toMatchObject({ rows: 4, skipped: 1, reasons: { 'empty item id': 1 } });
    expect(a.summary.examples[0]!.at).toBe('row 3');
    const b = await load(stamps, 'parquet');
    expect(b.events).toEqual([['s1', '42', Date.UTC(2024, 2, 1, 10, 0, 0, 500) / 1000]]);
    await rejects(load(join(dir, 'stamps.parquet'), 'ga4-parquet'), /not a GA4 BigQuery export: it lacks event_name/);
  });

  const GA4 = new URL('./fixtures/ga4-export.ndjson', import.meta.url).pathname;
  const ga4Expected = [
    ['1187954301.1699990000.1699990500', 'SKU-A', 1699990501],
    ['1187954301.1699990000.1699990500', 'SKU-B', 1699990560],
    ['1187954301.1699990000.1699990500', 'SKU-B', 1699990580],
    ['1187954301.1699990000.1699990500', 'SKU-B', 1699990700],
    ['1187954301.1699990000.1699990500', 'SKU-C', 1699990700],
    ['522318870.1699991000.1699990500', 'SKU-A', 1699991000],
    ['522318870.1699991000.1699990500', 'SKU-C', 1699991030],
  ];
  const ga4Reasons = { 'not a JSON object': 1, 'no ga_session_id in event_params': 1, 'item without item_id': 1, 'event_timestamp is not a number': 1 };

  it('GA4 export as NDJSON (INT64 as strings, as BigQuery exports them): one event per item of the item events', async () => {
    const { summary, events } = await load(GA4, 'ga4-json');
    expect(events).toEqual(ga4Expected);
    // session_start, view_item_list (impressions) and page_view are not looks at items.
    expect(summary).toMatchObject({ rows: 13, events: 7, ignored: 3, skipped: 4 });
    expect(summary.reasons).toEqual(ga4Reasons);
    expect(summary.examples[0]).toMatchObject({ at: 'line 9', reason: 'not a JSON object' });
  });

  it('GA4 export as Parquet (nested event_params and items) reads the same events', async () => {
    const path = join(dir, 'ga4.parquet');
    const engine = await Engine.open({ tempDirectory: mkdtempSync(join(dir, 'engine-')) });
    try {
      // The export's types: event_timestamp INT64, event_params ARRAY<STRUCT<key, value STRUCT<…>>>, items ARRAY<STRUCT<…>>.
      await engine.run(`COPY (SELECT event_name, TRY_CAST(event_timestamp AS BIGINT) AS event_timestamp, user_pseudo_id, event_params, items
        FROM read_json(${sqlString(GA4)}, format='newline_delimited', ignore_errors=true, columns={
          event_name: 'VARCHAR', event_timestamp: 'VARCHAR', user_pseudo_id: 'VARCHAR',
          event_params: 'STRUCT("key" VARCHAR, "value" STRUCT(string_value VARCHAR, int_value BIGINT, float_value DOUBLE, double_value DOUBLE))[]',
          items: 'STRUCT(item_id VARCHAR, item_name VARCHAR, price DOUBLE, quantity BIGINT)[]'})
        WHERE event_name IS NOT NULL)
        TO ${sqlString(path)} (FORMAT PARQUET)`);
    } finally {
      engine.close();
    }
    const { summary, events } = await load(path, 'ga4-parquet');
    expect(events).toEqual(ga4Expected);
    const { 'not a JSON object': _notInParquet, ...rest } = ga4Reasons;
    expect(summary).toMatchObject({ rows: 12, events: 7, ignored: 3, skipped: 3 });
    expect(summary.reasons).toEqual(rest);
  });
});

describe('storeBuild', () => {
  const noFit = { fitEvents: false as const };

  it('builds the bytes the in-memory builder builds, catalog included', async () => {
    const text = syntheticLog(7, 300, 4);
    const path = file('synthetic.tsv', text);
    const sessions = groupSessions(parseLog(text, 'tsv'));
    for (const minSupport of [1, 2]) {
      const r = await storeBuild(path, 'tsv', { ...noFit, build: { minSupport } });
      expect(encodeBundle(r.bundle)).toEqual(encodeBundle(buildSequenceBundle(sessions, { minSupport })));
    }
    const catalog = [...Array.from({ length: 30 }, (_, i) => String(i)), 'new-1'];
    // `catalog` alone, as build-bundle passes it: storeBuild makes its items the bundle's extra items.
    const r = await storeBuild(path, 'tsv', { ...noFit, catalog });
    const known = new Set(catalog);
    const filtered = groupSessions(parseLog(text, 'tsv').filter((e) => known.has(e.itemId)));
    expect(encodeBundle(r.bundle)).toEqual(encodeBundle(buildSequenceBundle(filtered, { extraItems: catalog })));
  });

  it.skipIf(!existsSync('../shared/data/yoochoose-100k/train.tsv'))('builds the in-memory bytes on YooChoose-100k (skipped without ../shared/data)', async () => {
    const path = '../shared/data/yoochoose-100k/train.tsv';
    const r = await storeBuild(path, 'tsv', noFit);
    expect(encodeBundle(r.bundle)).toEqual(encodeBundle(buildSequenceBundle(groupSessions(parseLog(readFileSync(path, 'utf8'), 'tsv')))));
  });

  /** The synthetic log split by day into files with their header. */
  function byDay(text: string): string[] {
    const [header, ...lines] = text.trim().split('\n');
    const days = new Map<string, string[]>();
    for (const l of lines) {
      const day = l.slice(1, l.indexOf('s'));
      if (!days.has(day)) days.set(day, []);
      days.get(day)!.push(l);
    }
    return [...days.values()].map((ls) => `${header}\n${ls.join('\n')}\n`);
  }

  for (const halfLifeDays of [0, 1.5]) {
    it(`a daily run over kept aggregates builds what a full rebuild builds (half-life ${halfLifeDays || 'off'}), fit included when off`, async () => {
      const text = syntheticLog(11, 900, 3);
      // The fit (slow) once: without decay, on a window that is a real bound.
      const fit = halfLifeDays === 0 ? { fitEvents: 3000 } : noFit;
      const full = await storeBuild(file(`all-${halfLifeDays}.tsv`, text), 'tsv', { halfLifeDays, ...fit });
      const state = join(dir, `state-${halfLifeDays}`);
      let daily;
      for (const [i, day] of byDay(text).entries()) {
        daily = await storeBuild(file(`day-${halfLifeDays}-${i}.tsv`, day), 'tsv', { state, ...(i === 0 ? { halfLifeDays } : {}), ...fit });
        expect(daily.incremental).toBe(i > 0);
      }
      expect(daily!.totalEvents).toBe(full.totalEvents);
      expect(encodeBundle(daily!.bundle)).toEqual(encodeBundle(full.bundle));
      if (halfLifeDays === 0) {
        expect(daily!.windowEvents).toBe(full.windowEvents);
        expect(full.windowEvents).toBeLessThan(full.totalEvents);
        expect(full.fit!.fitted).toBe(true);
        expect(daily!.fit!.params).toEqual(full.fit!.params);
        // A fast daily run publishes the kept weights instead of fitting again.
        const next = await storeBuild(file('day-next.tsv', byDay(syntheticLog(12, 100, 1, 19003))[0]!), 'tsv', { state, keepWeights: true });
        expect(next.fit).toBeNull();
        expect(next.bundle.params).toEqual(full.fit!.params);
        expect(next.totalEvents).toBeGreaterThan(full.totalEvents);
      }
      if (halfLifeDays > 0) {
        // Decay changes the bundle: the same log without it weighs the first day as much as the last.
        const flat = await storeBuild(file('all-flat.tsv', text), 'tsv', noFit);
        expect(encodeBundle(flat.bundle)).not.toEqual(encodeBundle(full.bundle));
      }
    });
  }

  it('bad input leaves the kept aggregates as they were, and other options cannot add to them', async () => {
    const state = join(dir, 'state-kept');
    await storeBuild(file('kept.tsv', syntheticLog(3, 200, 1)), 'tsv', { state, ...noFit });
    const before = readdirSync(state).map((f) => [f, readFileSync(join(state, f))]);
    await rejects(storeBuild(file('wrong.csv', 'InvoiceNo,StockCode\n1,2\n'), 'tsv', { state, ...noFit }), /not a session-rec TSV file/);
    const e = await storeBuild(file('next.tsv', syntheticLog(4, 50, 1, 19001)), 'tsv', { state, halfLifeDays: 7, ...noFit }).catch((x: unknown) => x);
    expect((e as LocalrecError).code).toBe('invalid_argument');
    expect((e as Error).message).toMatch(/half-life of 0 days, not 7/);
    expect(readdirSync(state).map((f) => [f, readFileSync(join(state, f))])).toEqual(before);
  });
});

describe('lifecycle inputs (sql/customers.sql)', () => {
  /** The SQL's summary CSV next to buildCohort's customers, by id. */
  async function both(path: string, end: string) {
    const out = join(dir, `summary-${Math.random().toString(36).slice(2)}.csv`);
    await writeCustomerSummary(path, end, out);
    const [, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
    const sql = rows.map((l) => l.split(',')).map(([id, x, tx, T, m]) => ({ id: id!, x: Number(x), tx: Number(tx), T: Number(T), monetary: Number(m) }));
    const cohort = buildCohort(parseOnlineRetailPurchases(readFileSync(path, 'latin1')), { calibrationEndDay: parseDay(end) })
      .map((c) => ({ id: c.id, x: c.x, tx: c.tx, T: c.T, monetary: c.monetary ?? 0 }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { sql, cohort };
  }
  const expectSame = ({ sql, cohort }: Awaited<ReturnType<typeof both>>) => {
    expect(sql.map((c) => [c.id, c.x, c.tx, c.T])).toEqual(cohort.map((c) => [c.id, c.x, c.tx, c.T]));
    sql.forEach((c, k) => expect(c.monetary).toBeCloseTo(cohort[k]!.monetary, 9));
  };

  it('frequency, recency, T and monetary value are what cohort.ts computes', async () => {
    const rows = [
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
      '1,A,x,2,01/12/2010 08:00,1.5,17850.0,UK', '2,B,x,1,01/12/2010 09:00,4,17850,UK', // same day: one purchase of 7
      '3,A,x,1,08/12/2010 10:00,10,17850,UK', '4,A,x,3,22/12/2010 10:00,10,17850,UK', // a repeat; one after the end
      'C5,A,x,-1,08/12/2010 11:00,10,17850,UK', '6,A,x,1,02/12/2010 10:00,3,,UK', // cancellation, anonymous
      '7,B,x,1,03/12/2010 10:00,2,12001,UK', '8,B,x,-4,04/12/2010 10:00,2,12001,UK', // adjustment
    ];
    const r = await both(file('purchases.csv', rows.join('\n') + '\n'), '2010-12-15');
    expect(r.sql).toEqual([
      { id: '12001', x: 0, tx: 0, T: 12 / 7, monetary: 0 },
      { id: '17850', x: 1, tx: 1, T: 14 / 7, monetary: 10 },
    ]);
    expectSame(r);
  });

  it.skipIf(!existsSync('../shared/data/online-retail-2010-12/online-retail.csv'))('on Online Retail (skipped without ../shared/data)', async () => {
    expectSame(await both('../shared/data/online-retail-2010-12/online-retail.csv', '2010-12-15'));
  });
});

describe('the guide (docs/store-build.md)', () => {
  it('its DuckDB commands run and build the bundle build-bundle builds', async () => {
    const guide = readFileSync(new URL('../../docs/store-build.md', import.meta.url), 'utf8');
    const block = /<!-- tested: store-build.test.ts -->\s*```sh\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(block, 'the guide has a tested sh block').toBeDefined();
    const work = mkdtempSync(join(dir, 'guide-'));
    const events = file('guide-events.tsv', syntheticLog(5, 400, 2));
    const root = new URL('../..', import.meta.url).pathname;
    execFileSync('bash', ['-euo', 'pipefail', '-c', block!], { cwd: root, env: { ...process.env, WORK: work, EVENTS: events }, stdio: 'pipe' });
    const direct = await storeBuild(events, 'tsv');
    expect(new Uint8Array(readFileSync(join(work, 'bundle', 'session-bundle.bin')))).toEqual(encodeBundle(direct.bundle));
  }, 120_000);
});
