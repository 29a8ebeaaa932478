import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { LocalrecError } from '../errors';
import { validateEvent } from '../events';
import { T0, testCatalogJson } from '../testing/fixtures';
import { applyEvent } from './apply-event';
import { formatInterest, parseInterest, suppressInterest, suppressionTest } from './interests';
import { readableProfile } from './readable';
import { emptyProfile } from './state';

const catalog = parseCatalog(testCatalogJson());
const item = (id: string) => catalog.items[catalog.index.get(id)!]!;

function browsed(...ids: string[]) {
  const p = emptyProfile(64, T0);
  ids.forEach((itemId, i) => applyEvent(p, validateEvent({ type: 'view', itemId, time: T0 + i }, T0 + i), catalog));
  return p;
}

describe('interests', () => {
  it('reads back what profile() lists, and nothing else', () => {
    const view = readableProfile(browsed('c1', 'k1'), catalog, 2, T0 + 10);
    for (const a of [...view.topCategories, ...view.topBrands]) expect(formatInterest(parseInterest(a.interest))).toBe(a.interest);
    expect(view.topBrands.map((b) => b.interest)).toEqual(['brand:Regency']);
    expect(parseInterest('category:Home > Candles & lights')).toEqual({ kind: 'category', key: 'Home > Candles & lights' });
    for (const bad of ['Home', 'category:', 'colour:red', 42, null]) {
      expect(() => parseInterest(bad)).toThrow(LocalrecError);
    }
  });

  it('suppresses a category and everything under it, and only that', () => {
    const p = suppressInterest(browsed('c1', 'k3'), parseInterest('category:Home'));
    expect(Object.keys(p.categories).sort()).toEqual(['Fashion', 'Fashion > Bags & purses']);
    expect(p.suppressed).toEqual(['category:Home']);
    const hidden = suppressionTest(p)!;
    expect(hidden(item('c1'))).toBe(true);
    expect(hidden(item('k1'))).toBe(true);
    expect(hidden(item('k3'))).toBe(false);
  });

  it('suppresses a brand without touching categories; removing twice records it once', () => {
    const p = browsed('k1');
    const brand = parseInterest('brand:Regency');
    suppressInterest(suppressInterest(p, brand), brand);
    expect(p.brands).toEqual({});
    expect(p.categories['Home > Kitchen & dining']!.score).toBeGreaterThan(0);
    expect(p.suppressed).toEqual(['brand:Regency']);
    expect(suppressionTest(p)!(item('k2'))).toBe(true);
    expect(suppressionTest(p)!(item('c1'))).toBe(false);
  });

  it('needs no test when nothing was removed, and ignores a damaged stored entry', () => {
    expect(suppressionTest(emptyProfile(64, T0))).toBeUndefined();
    const p = { ...emptyProfile(64, T0), suppressed: ['garbage', 'brand:Vintage'] };
    expect(suppressionTest(p)!(item('c3'))).toBe(true);
    expect(suppressionTest(p)!(item('c1'))).toBe(false);
  });
});
