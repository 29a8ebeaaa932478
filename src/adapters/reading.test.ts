import { describe, expect, it } from 'vitest';
import { reading, toNormalised, toTrackEvents } from './reading';

const item = (itemId: string | undefined, quantity?: number, price?: number) => ({ itemId, quantity, price });

describe('the shared rules', () => {
  it('keeps item ids in payload order, the first occurrence of each', () => {
    const r = reading('impression', { items: [item('b'), item(undefined), item('a'), item('b')] });
    expect(toNormalised(r)).toEqual({ type: 'impression', itemIds: ['b', 'a'] });
  });

  it('reports quantity and price only when exactly one item resolved an id', () => {
    expect(toNormalised(reading('add_to_cart', { items: [item('a', 2, 5), item(undefined, 9, 9)] })))
      .toEqual({ type: 'add_to_cart', itemIds: ['a'], quantity: 2, price: 5 });
    expect(toNormalised(reading('add_to_cart', { items: [item('a', 2, 5), item('b', 1, 3)] }))).toEqual({ type: 'add_to_cart', itemIds: ['a', 'b'] });
    // Two lines of one id: one item id, but two items resolved.
    expect(toNormalised(reading('add_to_cart', { items: [item('a', 2, 5), item('a', 1, 3)] }))).toEqual({ type: 'add_to_cart', itemIds: ['a'] });
  });

  it('reports a currency only beside a price or value', () => {
    expect(toNormalised(reading('view', { items: [item('a')], currency: 'USD' }))).toEqual({ type: 'view', itemIds: ['a'] });
    expect(toNormalised(reading('view', { items: [item('a', undefined, 3)], currency: 'USD' }))).toMatchObject({ price: 3, currency: 'USD' });
    expect(toNormalised(reading('impression', { items: [item('a', 1, 3), item('b', 1, 4)], currency: 'USD' }))).not.toHaveProperty('currency');
    expect(toNormalised(reading('impression', { items: [item('a'), item('b')], value: 7, currency: 'USD' }))).toMatchObject({ value: 7, currency: 'USD' });
  });

  it('turns item events without an id and searches without a query into none; a purchase always counts', () => {
    for (const type of ['view', 'click', 'impression', 'add_to_cart', 'remove_from_cart'] as const) {
      expect(reading(type, { items: [item(undefined, 1, 2)], value: 3 }).type).toBe('none');
    }
    expect(reading('search', { items: [item('a')] }).type).toBe('none');
    expect(toNormalised(reading('search', { items: [item('a')], query: 'mug' }))).toEqual({ type: 'search', itemIds: [], query: 'mug' });
    expect(toNormalised(reading('purchase', {}))).toEqual({ type: 'purchase', itemIds: [] });
  });

  it('keeps orderId on purchases and query on searches only', () => {
    expect(reading('add_to_cart', { items: [item('a')], orderId: '1', query: 'q' })).toEqual({ type: 'add_to_cart', lines: [{ itemId: 'a' }] });
    expect(reading('purchase', { orderId: '1', query: 'q' })).toEqual({ type: 'purchase', lines: [], orderId: '1' });
  });
});

describe('toTrackEvents', () => {
  it('gives nothing for none, one event for a single item, one per item for several', () => {
    expect(toTrackEvents(reading('none', {}))).toEqual([]);
    expect(toTrackEvents(reading('add_to_cart', { items: [item('a', 2, 5)], value: 10, currency: 'EUR' })))
      .toEqual([{ type: 'add_to_cart', itemId: 'a', quantity: 2, price: 5, value: 10, currency: 'EUR' }]);
    // The value described both items together: no split event carries it.
    expect(toTrackEvents(reading('add_to_cart', { items: [item('a', 2, 5), item('b', 1, 3)], value: 13, currency: 'EUR' })))
      .toEqual([{ type: 'add_to_cart', itemId: 'a' }, { type: 'add_to_cart', itemId: 'b' }]);
    expect(toTrackEvents(reading('view', { items: [item('a', 1, 5)], currency: 'EUR' }))).toEqual([{ type: 'view', itemId: 'a' }]);
    expect(toTrackEvents(reading('click', { items: [item('a'), item('b')] }))).toEqual([{ type: 'click', itemId: 'a' }, { type: 'click', itemId: 'b' }]);
  });

  it('keeps each purchase line with its own figures', () => {
    expect(toTrackEvents(reading('purchase', { items: [item('a', 2, 5), item('b')], value: 12, currency: 'EUR', orderId: '77' })))
      .toEqual([{ type: 'purchase', items: [{ itemId: 'a', quantity: 2, price: 5 }, { itemId: 'b' }], value: 12, currency: 'EUR', orderId: '77' }]);
  });

  it('gives searches and impressions as track() takes them', () => {
    expect(toTrackEvents(reading('search', { query: 'mug' }))).toEqual([{ type: 'search', query: 'mug' }]);
    expect(toTrackEvents(reading('impression', { items: [item('a'), item('b')] }))).toEqual([{ type: 'impression', itemIds: ['a', 'b'] }]);
  });
});
