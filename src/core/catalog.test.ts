import { describe, expect, it } from 'vitest';
import { parseCatalog } from './catalog';
import { LocalrecError } from './errors';
import { testCatalogJson } from './testing/fixtures';

function fieldOf(json: unknown): string | undefined {
  try {
    parseCatalog(json);
  } catch (e) {
    expect((e as LocalrecError).code).toBe('invalid_catalog');
    return (e as LocalrecError).field;
  }
  throw new Error('expected invalid_catalog');
}

describe('parseCatalog', () => {
  it('builds a normalised matrix, a prior and an index', () => {
    const c = parseCatalog(testCatalogJson());
    expect(c.items).toHaveLength(8);
    expect(c.dim).toBe(64);
    expect(c.hashedItems).toBe(8);
    expect(c.index.get('k3')).toBe(6);
    const row = c.matrix.subarray(0, 64);
    expect(row.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 5);
    expect(Math.max(...c.prior)).toBe(1);
    expect(c.prior[6]).toBe(1); // the most popular item
  });

  it('uses shipped embeddings and checks their dimension', () => {
    const json = testCatalogJson();
    json.items = json.items.slice(0, 2).map((it, i) => ({ ...it, embedding: [i, 1, 0] }));
    const c = parseCatalog(json);
    expect(c.dim).toBe(3);
    expect(c.hashedItems).toBe(0);
    json.items[1]!.embedding = [1, 2];
    expect(fieldOf(json)).toBe('items[1].embedding');
  });

  it('keeps custom attributes and names the item and attribute of a bad one', () => {
    const json = testCatalogJson();
    json.items[0]!.attributes = { material: 'glass', weightKg: 0.4, giftWrap: true };
    expect(parseCatalog(json).items[0]!.attributes).toEqual({ material: 'glass', weightKg: 0.4, giftWrap: true });
    const bad = (attributes: unknown) => {
      const j = testCatalogJson();
      (j.items[3] as unknown as Record<string, unknown>).attributes = attributes;
      return fieldOf(j);
    };
    expect(bad({ material: { name: 'wool' } })).toBe('items[3].attributes.material');
    expect(bad({ size: Number.NaN })).toBe('items[3].attributes.size');
    expect(bad({ tags: ['a'] })).toBe('items[3].attributes.tags');
    expect(bad(['wool'])).toBe('items[3].attributes');
    expect(bad(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`a${i}`, i])))).toBe('items[3].attributes');
  });

  it('carries the published rules as they are: checked when ranking, so a bad one never refuses the catalog', () => {
    const rules = [{ type: 'pin', itemId: 'c1', position: 1 }, { type: 'teleport' }];
    expect(parseCatalog({ ...testCatalogJson(), rules }).rules).toEqual(rules);
    expect(parseCatalog({ ...testCatalogJson(), rules: 'nonsense' }).rules).toBe('nonsense');
    expect(parseCatalog(testCatalogJson()).rules).toBeUndefined();
  });

  it('rejects bad catalogs naming the field', () => {
    expect(fieldOf('nope')).toBe('catalog');
    expect(fieldOf({ ...testCatalogJson(), format: 'other' })).toBe('format');
    expect(fieldOf({ ...testCatalogJson(), formatVersion: 2 })).toBe('formatVersion');
    expect(fieldOf({ ...testCatalogJson(), items: [] })).toBe('items');
    const json = testCatalogJson();
    (json.items[2] as unknown as Record<string, unknown>).price = '3';
    expect(fieldOf(json)).toBe('items[2].price');
    const dup = testCatalogJson();
    dup.items[1]!.id = dup.items[0]!.id;
    expect(fieldOf(dup)).toBe('items[1].id');
    const cat = testCatalogJson();
    cat.items[0]!.category = [];
    expect(fieldOf(cat)).toBe('items[0].category');
  });
});
