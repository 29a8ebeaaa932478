import { describe, expect, it } from 'vitest';
import { readOnlineRetail } from './online-retail';

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

function errorOf(row: string): { code?: unknown; message?: unknown } {
  try {
    readOnlineRetail(`${HEADER}\n${row}\n`);
  } catch (e) {
    return e as { code?: unknown; message?: unknown };
  }
  throw new Error(`expected "${row}" to be rejected`);
}

describe('readOnlineRetail', () => {
  it('reads typed rows: trimmed fields, quoted commas, UTC time, customer ids normalised', () => {
    const text = [
      HEADER,
      '536365,85123A ,"WHITE HANGING HEART, T-LIGHT HOLDER ",6,01/12/2010 08:26,2.55,17850.0,United Kingdom',
      '',
      'C536379,D,Discount,-1,9/12/2010 9:41,27.5,14527,United Kingdom',
      '536414,22139,,56,01/12/2010 11:52,0,,United Kingdom',
    ].join('\r\n');
    expect(readOnlineRetail(text)).toEqual([
      {
        invoice: '536365', cancelled: false, stockCode: '85123A', description: 'WHITE HANGING HEART, T-LIGHT HOLDER',
        quantity: 6, time: Date.UTC(2010, 11, 1, 8, 26), unitPrice: 2.55, customerId: '17850',
      },
      {
        invoice: 'C536379', cancelled: true, stockCode: 'D', description: 'Discount',
        quantity: -1, time: Date.UTC(2010, 11, 9, 9, 41), unitPrice: 27.5, customerId: '14527',
      },
      {
        invoice: '536414', cancelled: false, stockCode: '22139', description: '',
        quantity: 56, time: Date.UTC(2010, 11, 1, 11, 52), unitPrice: 0, customerId: undefined,
      },
    ]);
  });

  it('marks invoices starting with a lower-case c as cancellations, as the data set documents', () => {
    expect(readOnlineRetail(`${HEADER}\nc536379,D,Discount,-1,01/12/2010 09:41,27.5,14527,UK`)[0]!.cancelled).toBe(true);
  });

  it('rejects a file without the columns it needs', () => {
    expect(() => readOnlineRetail('InvoiceNo,StockCode\n1,2\n')).toThrow(expect.objectContaining({ code: 'invalid_data', message: expect.stringMatching(/missing column "Description"/) }));
  });

  it('names the line and the field of a malformed row', () => {
    const cases: [string, RegExp][] = [
      [',85123A,x,6,01/12/2010 08:26,2.55,17850,UK', /line 2: InvoiceNo is empty/],
      ['536365, ,x,6,01/12/2010 08:26,2.55,17850,UK', /line 2: StockCode is empty/],
      ['536365,85123A,x,six,01/12/2010 08:26,2.55,17850,UK', /line 2: Quantity must be a number, got "six"/],
      ['536365,85123A,x,6,01/12/2010 08:26,,17850,UK', /line 2: UnitPrice must be a number, got ""/],
      ['536365,85123A,x,6,2010-12-01 08:26,2.55,17850,UK', /line 2: InvoiceDate must be DD\/MM\/YYYY HH:MM, got "2010-12-01 08:26"/],
      ['536365,85123A,x,6,31/02/2010 08:26,2.55,17850,UK', /line 2: InvoiceDate/],
      ['536365,85123A,x,6,01/12/2010 24:00,2.55,17850,UK', /line 2: InvoiceDate/],
      ['536365', /line 2: StockCode is empty/],
    ];
    for (const [row, message] of cases) {
      const e = errorOf(row);
      expect(e.code).toBe('invalid_data');
      expect(e.message).toMatch(message);
    }
  });
});
