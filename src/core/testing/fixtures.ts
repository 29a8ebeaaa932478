import type { CatalogItem, CatalogJson } from '../catalog';

/** A small catalog for unit tests: two categories, two ranges, one item out of stock. */
export function testCatalogJson(extra: Partial<CatalogJson> = {}): CatalogJson {
  const item = (id: string, title: string, category: string[], price: number, more: Partial<CatalogItem> = {}): CatalogItem => ({
    id, title, category, price, available: true, popularity: 10, ...more,
  });
  return {
    format: 'localrec-catalog', formatVersion: 1, version: 'test-1', currency: 'GBP',
    items: [
      item('c1', 'White Hanging Heart T-Light Holder', ['Home', 'Candles & lights'], 2.95, { popularity: 90 }),
      item('c2', 'Glass Star Frosted T-Light Holder', ['Home', 'Candles & lights'], 4.25),
      item('c3', 'Zinc Heart Lantern Candle', ['Home', 'Candles & lights'], 5.95, { brand: 'Vintage' }),
      item('c4', 'Pink Scented Candle Set', ['Home', 'Candles & lights'], 3.75, { available: false }),
      item('k1', 'Regency Cakestand 3 Tier', ['Home', 'Kitchen & dining'], 12.75, { brand: 'Regency', popularity: 200 }),
      item('k2', 'Regency Teacup And Saucer', ['Home', 'Kitchen & dining'], 2.95, { brand: 'Regency', popularity: 150 }),
      item('k3', 'Retrospot Lunch Bag Red', ['Fashion', 'Bags & purses'], 1.65, { brand: 'Retrospot', popularity: 300 }),
      item('k4', 'Spaceboy Lunch Box', ['Kids', 'Toys & crafts'], 1.95, { popularity: 250 }),
    ],
    ...extra,
  };
}

export const T0 = Date.UTC(2026, 10, 1, 10, 0, 0);
