import { describe, expect, it } from 'vitest';
import { LocalrecError } from '../errors';
import { parseCdnowSummary, parseCdnowTransactions, parseOnlineRetailPurchases } from './purchase-logs';
import { parseDay } from './transactions';

function errorOf(fn: () => unknown): LocalrecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LocalrecError) return e;
    throw e;
  }
  throw new Error('expected a LocalrecError');
}

describe('parseCdnowTransactions', () => {
  it('reads the 5-column sample layout (customer = sample id)', () => {
    const text = ' 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n 00018 0002 19970101  1   14.96\n';
    expect(parseCdnowTransactions(text)).toEqual([
      { customerId: '1', day: parseDay('1997-01-01'), amount: 29.33 },
      { customerId: '1', day: parseDay('1997-01-18'), amount: 29.73 },
      { customerId: '2', day: parseDay('1997-01-01'), amount: 14.96 },
    ]);
  });

  it('reads the 4-column master layout with a header and CRLF', () => {
    const text = ' customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n';
    expect(parseCdnowTransactions(text)).toEqual([
      { customerId: '1', day: parseDay('1997-01-01'), amount: 11.77 },
      { customerId: '2', day: parseDay('1997-01-12'), amount: 12 },
    ]);
  });

  it('names the line of bad input', () => {
    const e = errorOf(() => parseCdnowTransactions(' 00001 19970101 1 11.77\n 00002 19971332 1 12.00\n'));
    expect(e.code).toBe('invalid_data');
    expect(e.message).toMatch(/line 2/);
    expect(errorOf(() => parseCdnowTransactions(' 00001 19970101 1 abc\n')).message).toMatch(/line 1: dollar value/);
    expect(errorOf(() => parseCdnowTransactions(' 1 2 3\n')).message).toMatch(/line 1: expected 4/);
    expect(errorOf(() => parseCdnowTransactions('\n')).code).toBe('invalid_data');
  });
});

describe('parseCdnowSummary', () => {
  it('reads ID,frequency,recency,T', () => {
    expect(parseCdnowSummary('ID,frequency,recency,T\n1,2,30.43,38.86\n2,0,0,38.86\n')).toEqual([
      { id: '1', x: 2, tx: 30.43, T: 38.86 },
      { id: '2', x: 0, tx: 0, T: 38.86 },
    ]);
  });
  it('rejects impossible rows and missing columns, naming the line', () => {
    expect(errorOf(() => parseCdnowSummary('ID,frequency,recency,T\n1,2,40,38.86\n')).message).toMatch(/line 2/);
    expect(errorOf(() => parseCdnowSummary('ID,frequency,T\n1,2,3\n')).message).toMatch(/missing column "recency"/);
  });
});

describe('parseOnlineRetailPurchases', () => {
  const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
  it('keeps sales with a customer, skips cancellations, anonymous rows and stock adjustments, honours quotes', () => {
    const text = [
      header,
      '536381,82567,"AIRLINE LOUNGE,METAL SIGN",2,01/12/2010 09:41,2.1,15311,United Kingdom',
      '536477,22041,"RECORD FRAME 7"" SINGLE SIZE ",48,02/12/2010 12:27,2.1,16210.0,United Kingdom',
      'C536379,D,Discount,-1,01/12/2010 09:41,27.5,14527,United Kingdom',
      '536414,22139,,56,01/12/2010 11:52,0,,United Kingdom',
      '536500,21000,damaged,-3,01/12/2010 12:00,0,15311,United Kingdom',
    ].join('\n');
    const out = parseOnlineRetailPurchases(text);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ customerId: '15311', day: parseDay('2010-12-01'), amount: 4.2 });
    expect(out[1]!.customerId).toBe('16210');
    expect(out[1]!.day).toBe(parseDay('2010-12-02'));
    expect(out[1]!.amount).toBeCloseTo(100.8, 10);
  });
  it('names the line of a bad date or number', () => {
    expect(errorOf(() => parseOnlineRetailPurchases(`${header}\n536381,1,x,2,2010-12-01 09:41,2.1,15311,UK`)).message).toMatch(/line 2: InvoiceDate/);
    expect(errorOf(() => parseOnlineRetailPurchases(`${header}\n536381,1,x,two,01/12/2010 09:41,2.1,15311,UK`)).message).toMatch(/line 2: Quantity/);
    expect(errorOf(() => parseOnlineRetailPurchases('a,b\n1,2')).message).toMatch(/missing column/);
  });
});
