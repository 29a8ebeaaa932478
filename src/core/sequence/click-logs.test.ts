import { describe, expect, it } from 'vitest';
import { LocalrecError } from '../errors';
import { detectLogFormat, groupSessions, parseDigineticaViews, parseOnlineRetailClicks, parseSessionTsv } from './click-logs';

describe('log parsers', () => {
  it('reads session-rec TSV in any column order', () => {
    const ev = parseSessionTsv('ItemId\tSessionId\tTime\nA\t1\t10.5\nB\t1\t9\n');
    expect(ev).toEqual([
      { sessionId: '1', itemId: 'A', time: 10.5 },
      { sessionId: '1', itemId: 'B', time: 9 },
    ]);
    expect(groupSessions(ev)[0]!.events.map((e) => e.itemId)).toEqual(['B', 'A']);
  });

  it('reads Diginetica raw views (date + timeframe ms)', () => {
    const text = 'session_id;user_id;item_id;timeframe;eventdate\n1;NA;81766;526309;2016-05-09\n';
    expect(detectLogFormat(text)).toBe('diginetica');
    expect(parseDigineticaViews(text)).toEqual([{ sessionId: '1', itemId: '81766', time: Date.UTC(2016, 4, 9) / 1000 + 526.309 }]);
  });

  it('reads Online Retail: invoices are sessions, cancellations skipped, anonymous and free lines kept', () => {
    const text =
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
      '536365,85123A ,"HEART, WHITE",6,01/12/2010 08:26,2.55,17850,United Kingdom\n' +
      'C536379,D,Discount,-1,01/12/2010 09:41,27.5,14527,United Kingdom\n' +
      '536414,22139,,56,01/12/2010 11:52,0,,United Kingdom\n';
    expect(detectLogFormat(text)).toBe('online-retail');
    expect(parseOnlineRetailClicks(text)).toEqual([
      { sessionId: '536365', itemId: '85123A', time: Date.UTC(2010, 11, 1, 8, 26) / 1000 },
      { sessionId: '536414', itemId: '22139', time: Date.UTC(2010, 11, 1, 11, 52) / 1000 },
    ]);
  });

  it('rejects malformed files with invalid_data', () => {
    expect(() => parseSessionTsv('a\tb\n')).toThrow(expect.objectContaining({ code: 'invalid_data' }));
    expect(() => parseSessionTsv('SessionId\tItemId\tTime\n1\tA\tnoon\n')).toThrow(LocalrecError);
  });
});
