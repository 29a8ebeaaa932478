import { describe, expect, it } from 'vitest';
import { syntheticCatalog } from '../../bench/catalogs';
import { parseCatalog, type CatalogJson } from './catalog';
import { decodeCompactCatalog, encodeCompactCatalog, isCompactCatalog, parseCompactCatalog } from './catalog-compact';
import { testCatalogJson } from './testing/fixtures';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return { code: (e as { code?: string }).code, field: (e as { field?: string }).field };
  }
  return undefined;
};

describe('the compact catalog format', () => {
  it('gives back the same catalog without embeddings, display fields, custom attributes and published rules included', () => {
    const json: CatalogJson = testCatalogJson();
    json.items[0] = { ...json.items[0]!, image: 'https://x/1.jpg', url: '/p/c1', attributes: { material: 'wool', weightKg: 1.5, organic: true } };
    json.rules = [{ type: 'filter', where: { attributes: { material: 'wool' } } }];
    const bytes = encodeCompactCatalog(json);
    expect(isCompactCatalog(bytes)).toBe(true);
    expect(decodeCompactCatalog(bytes)).toEqual(json);
  });

  it('keeps each embedding number within half a quantisation step, at under a quarter of the JSON size', () => {
    const json = syntheticCatalog({ items: 2000, embeddings: true });
    const bytes = encodeCompactCatalog(json);
    expect(bytes.length).toBeLessThan(new TextEncoder().encode(JSON.stringify(json)).length / 4);
    const back = decodeCompactCatalog(bytes);
    back.items.forEach((item, i) => {
      const e = json.items[i]!.embedding!;
      const step = Math.max(...e.map(Math.abs)) / 127;
      item.embedding!.forEach((x, d) => expect(Math.abs(x - e[d]!)).toBeLessThanOrEqual(step / 2 + 1e-6));
      expect({ ...item, embedding: 0 }).toEqual({ ...json.items[i], embedding: 0 });
    });
    // Rows are normalised when the catalog is built: the cosine of each quantised row to its original.
    const a = parseCatalog(json);
    const b = parseCatalog(back);
    for (let i = 0; i < 2000; i++) {
      let dot = 0;
      for (let d = 0; d < 64; d++) dot += a.matrix[i * 64 + d]! * b.matrix[i * 64 + d]!;
      expect(dot).toBeGreaterThan(0.999);
    }
  });

  it('builds straight from the bytes the same catalog as decoding to JSON v1 and parsing it (matrix bit for bit)', () => {
    for (const embeddings of [true, false]) {
      const bytes = encodeCompactCatalog(syntheticCatalog({ items: 500, embeddings }));
      const direct = parseCompactCatalog(bytes);
      const viaJson = parseCatalog(decodeCompactCatalog(bytes));
      expect(direct.matrix).toEqual(viaJson.matrix);
      expect(direct.hashedItems).toBe(embeddings ? 0 : 500);
      expect({ ...direct, matrix: 0, items: direct.items.map((i) => ({ ...i, embedding: 0 })) }).toEqual({ ...viaJson, matrix: 0, items: viaJson.items.map((i) => ({ ...i, embedding: 0 })) });
    }
    // Items are validated as JSON v1's are.
    const json = testCatalogJson();
    json.items[2] = { ...json.items[2]!, price: -1 };
    expect(code(() => parseCompactCatalog(encodeCompactCatalog(json)))).toEqual({ code: 'invalid_catalog', field: 'items[2].price' });
  });

  it('refuses a row scale that would make a number infinite in float32', () => {
    const good = encodeCompactCatalog(syntheticCatalog({ items: 5, embeddings: true }));
    const view = new DataView(good.buffer, good.byteOffset);
    const start = 8 + Math.ceil(view.getUint32(4, true) / 4) * 4;
    view.setFloat32(start + 3 * 4, 3e38, true);
    expect(code(() => parseCompactCatalog(good))).toEqual({ code: 'invalid_catalog', field: 'embeddings[3]' });
    expect(code(() => decodeCompactCatalog(good))).toEqual({ code: 'invalid_catalog', field: 'embeddings[3]' });
  });

  it('refuses an embedding on only some items, and bad bytes with invalid_catalog naming the field', () => {
    const json = testCatalogJson();
    json.items[0] = { ...json.items[0]!, embedding: [1, 2, 3] };
    expect(code(() => encodeCompactCatalog(json))).toEqual({ code: 'invalid_catalog', field: 'items' });
    const good = encodeCompactCatalog(syntheticCatalog({ items: 50, embeddings: true }));
    expect(code(() => decodeCompactCatalog(good.subarray(0, good.length - 10)))).toEqual({ code: 'invalid_catalog', field: 'embeddings' });
    expect(code(() => decodeCompactCatalog(new Uint8Array(20)))).toEqual({ code: 'invalid_catalog', field: 'magic' });
    const header = JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + new DataView(good.buffer).getUint32(4, true)))) as { columns: { id: string[] } };
    header.columns.id.pop();
    const head = new TextEncoder().encode(JSON.stringify(header));
    const cut = new Uint8Array(8 + head.length);
    cut.set(good.subarray(0, 4));
    new DataView(cut.buffer).setUint32(4, head.length, true);
    cut.set(head, 8);
    expect(code(() => decodeCompactCatalog(cut))).toEqual({ code: 'invalid_catalog', field: 'columns.id' });
  });
});
