import { describe, expect, it } from 'vitest';
import { fnv1a, hashEmbedding, priceBand, priceBandRange, queryEmbedding } from './hash-embedding';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('hash embedding', () => {
  it('is deterministic and unit length', () => {
    const item = { title: 'White Hanging Heart T-Light Holder', category: ['Home', 'Candles'], price: 2.95 };
    const a = hashEmbedding(item);
    expect(Array.from(a)).toEqual(Array.from(hashEmbedding(item)));
    expect(dot(a, a)).toBeCloseTo(1, 5);
    expect(fnv1a('abc')).toBe(0x1a47e90b);
  });

  it('puts items of one category and shared words closer than strangers', () => {
    const candle1 = hashEmbedding({ title: 'Glass Star T-Light Holder', category: ['Home', 'Candles'], price: 3 });
    const candle2 = hashEmbedding({ title: 'Zinc Heart T-Light Holder', category: ['Home', 'Candles'], price: 4 });
    const bag = hashEmbedding({ title: 'Retrospot Lunch Bag', category: ['Fashion', 'Bags'], price: 1.65 });
    expect(dot(candle1, candle2)).toBeGreaterThan(0.5);
    expect(dot(candle1, candle2)).toBeGreaterThan(dot(candle1, bag) + 0.3);
  });

  it('lands a search query near the items it names', () => {
    const q = queryEmbedding('lunch bag');
    const bag = hashEmbedding({ title: 'Retrospot Lunch Bag', category: ['Fashion', 'Bags'], price: 1.65 });
    const candle = hashEmbedding({ title: 'Glass Star T-Light Holder', category: ['Home', 'Candles'], price: 3 });
    expect(dot(q, bag)).toBeGreaterThan(dot(q, candle) + 0.2);
  });

  it('bands prices on a log scale', () => {
    expect(priceBand(1)).toBe(priceBand(2));
    expect(priceBand(1)).toBeLessThan(priceBand(20));
    expect(priceBand(0)).toBe(0);
    for (const price of [0.07, 0.5, 1, 2.95, 6.25, 12.75, 99, 1234.5]) {
      const [low, high] = priceBandRange(priceBand(price));
      expect(price).toBeGreaterThanOrEqual(low);
      expect(price).toBeLessThan(high);
    }
  });
});
