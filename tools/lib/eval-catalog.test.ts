import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../src/core/catalog';
import { digineticaContents, evalCatalog, NO_CATEGORY, onlineRetailContents } from './eval-catalog';

const session = (sessionId: string, ...ids: string[]) => ({ sessionId, events: ids.map((itemId, t) => ({ itemId, time: t })) });

describe('eval catalogs', () => {
  it('reads Diginetica categories as one-level paths', () => {
    const c = digineticaContents('itemId;categoryId\n139578;1096\n417975;1096\n9;\n');
    expect([...c]).toEqual([['139578', { category: ['1096'] }], ['417975', { category: ['1096'] }]]);
  });

  it('reads Online Retail titles and median prices under every spelling of a stock code', () => {
    const csv = [
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
      '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,01/12/2010 08:26,2.55,17850,United Kingdom',
      '536366,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,01/12/2010 09:26,2.95,17850,United Kingdom',
      '536367,85123a,WHITE HANGING HEART T-LIGHT HOLDER,1,01/12/2010 10:26,3.35,,United Kingdom',
    ].join('\n');
    const c = onlineRetailContents(csv);
    expect(c.get('85123A')).toEqual({ title: 'White Hanging Heart T-Light Holder', price: 2.95 });
    expect(c.get('85123a')).toBe(c.get('85123A'));
  });

  it('lists the training items in tie order, with what the data says and placeholders for the rest', () => {
    const contents = new Map([['10', { title: 'Red Lunch Bag', price: 1.65 }], ['9', { category: ['7'] }]]);
    const { json, stats } = evalCatalog([session('a', '10', '9', '10'), session('b', '10', 'x')], contents, 'v');
    expect(json.items.map((i) => i.id)).toEqual(['9', '10', 'x']);
    expect(json.items).toEqual([
      { id: '9', title: '9', category: ['7'], price: 0, available: true, popularity: 1 },
      { id: '10', title: 'Red Lunch Bag', category: [NO_CATEGORY], price: 1.65, available: true, popularity: 2 },
      { id: 'x', title: 'x', category: [NO_CATEGORY], price: 0, available: true, popularity: 1 },
    ]);
    expect(stats).toEqual({ items: 3, titled: 1, categorised: 1, priced: 1 });
    // Valid for the SDK, which computes every item's embedding itself.
    expect(parseCatalog(json).hashedItems).toBe(3);
  });
});
