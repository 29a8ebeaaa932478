import { describe, expect, it } from 'vitest';
import { parseCatalog, type CatalogItem } from '../../catalog';
import { testCatalogJson } from '../../testing/fixtures';
import { catalogVariety, hasContent } from './variety';

const catalogOf = (items: Partial<CatalogItem>[]) => parseCatalog(testCatalogJson({
  items: items.map((x, i) => ({ id: String(100 + i), title: String(100 + i), category: ['All items'], price: 0, available: true, popularity: 1, ...x })),
}));

describe('catalogVariety', () => {
  it('finds every field varying in a real catalog, and no shipped embeddings', () => {
    expect(catalogVariety(parseCatalog(testCatalogJson()))).toEqual({ categories: true, brands: true, priceBands: true, titles: true, embeddings: false });
  });

  it('finds nothing in a catalog of ids only: titles that are ids, one category, one price', () => {
    const ids = catalogOf([{}, {}, {}, {}]);
    expect(catalogVariety(ids)).toEqual({ categories: false, brands: false, priceBands: false, titles: false, embeddings: false });
    expect(hasContent(ids)).toBe(false);
  });

  it('needs a value shared by some items and not all: one per item or one for all says nothing', () => {
    expect(catalogVariety(catalogOf([{ category: ['a'] }, { category: ['b'] }, { category: ['c'] }])).categories).toBe(false);
    expect(catalogVariety(catalogOf([{ category: ['a'] }, { category: ['a'] }, { category: ['c'] }])).categories).toBe(true);
    // A shared parent with distinct leaves still tells the parent's items from the others'.
    expect(catalogVariety(catalogOf([{ category: ['a', 'x'] }, { category: ['a', 'y'] }, { category: ['b', 'z'] }])).categories).toBe(true);
    expect(catalogVariety(catalogOf([{ brand: 'R' }, {}, { brand: 'R' }])).brands).toBe(true);
    expect(catalogVariety(catalogOf([{ price: 2 }, { price: 2.1 }, { price: 40 }])).priceBands).toBe(true);
    expect(catalogVariety(catalogOf([{ title: 'Red lunch bag' }, { title: 'Blue lunch box' }, { title: 'Candle' }])).titles).toBe(true);
    expect(catalogVariety(catalogOf([{ title: 'Item one' }, { title: 'Item two' }, { title: 'Item six' }])).titles).toBe(false);
  });

  it('takes shipped embeddings as content', () => {
    const shipped = catalogOf([{ embedding: [1, 0] }, { embedding: [0, 1] }, { embedding: [1, 1] }]);
    expect(catalogVariety(shipped).embeddings).toBe(true);
    expect(hasContent(shipped)).toBe(true);
  });
});
