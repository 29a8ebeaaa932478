import { describe, expect, it } from 'vitest';
import { currency, firstId, flatItems, itemId, quantity, query, squashName } from './values';

describe('the shared value rules', () => {
  it('reads ids: trimmed strings, finite numbers written out, Shopify GIDs stripped', () => {
    expect(itemId(' 85123A ')).toBe('85123A');
    expect(itemId(7234567890123)).toBe('7234567890123');
    expect(itemId(0)).toBe('0');
    expect(itemId('gid://shopify/Product/7992983748843')).toBe('7992983748843');
    expect(itemId('gid://shopify/OrderIdentity/5396439498987')).toBe('5396439498987');
    expect(itemId(' gid://shopify/ProductVariant/44843037950166 ')).toBe('44843037950166');
    for (const v of ['', '   ', null, undefined, Number.NaN, Infinity, true, {}, ['a']]) expect(itemId(v)).toBeUndefined();
  });

  it('takes the first usable id in priority order', () => {
    expect(firstId({ item_id: '', id: 'X', sku: 'S' }, ['item_id', 'id', 'sku'])).toBe('X');
    expect(firstId({ item_id: null, sku: 12 }, ['item_id', 'id', 'sku'])).toBe('12');
    expect(firstId({ name: 'A name is never an id' }, ['item_id', 'id'])).toBeUndefined();
  });

  it('reads quantities from finite numbers and numeric strings only', () => {
    expect(quantity(2)).toBe(2);
    expect(quantity('2')).toBe(2);
    expect(quantity(' 3 ')).toBe(3);
    expect(quantity('1.5')).toBe(1.5);
    expect(quantity(0)).toBe(0);
    for (const v of ['', 'two', '2 pcs', '1,000', null, Number.NaN, Infinity, true, {}]) expect(quantity(v)).toBeUndefined();
  });

  it('keeps three-letter currencies, trimmed and upper-cased', () => {
    expect(currency('usd')).toBe('USD');
    expect(currency(' eur ')).toBe('EUR');
    for (const v of ['新台幣', 'US$', 'EURO', '', 826, null]) expect(currency(v)).toBeUndefined();
  });

  it('reads a query only from a string with something in it', () => {
    expect(query('  lantern ')).toBe('lantern');
    for (const v of ['', '   ', 42, null]) expect(query(v)).toBeUndefined();
  });

  it('squashes names to lower-case letters and digits', () => {
    expect(squashName('Add to Cart')).toBe('addtocart');
    expect(squashName('gtm4wp.addProductToCart')).toBe('gtm4wpaddproducttocart');
    expect(squashName(7)).toBe('');
  });

  it('reads flat item lists, skipping null and other non-objects', () => {
    expect(flatItems([null, 'x', 3, { id: 'a', price: '1,50', quantity: '2' }], ['id'])).toEqual([{ itemId: 'a', quantity: 2, price: 1.5 }]);
    expect(flatItems({ 0: { id: 'a' }, length: 1 }, ['id'])).toEqual([]);
  });
});
