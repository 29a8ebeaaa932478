/**
 * Seeded synthetic catalogs in the JSON v1 format (src/core/catalog.ts), for the benchmark: the
 * same seed gives the same catalog byte for byte, on any machine. Items fall into a three-level
 * category tree (12 × 8 × 6 leaves), 70 % carry one of 400 brands, prices are log-normal,
 * popularity is Zipf-like and 5 % are out of stock. With `embeddings`, each item's 64 numbers are
 * its leaf category's centre plus noise (so the cosine has content to find), to 4 decimals.
 */
import type { CatalogItem, CatalogJson } from '../src/core/catalog';
import { seededRandom as random } from '../src/core/lifecycle/classifier-metrics';

const WORDS = ['linen', 'oak', 'glass', 'copper', 'wool', 'cotton', 'ceramic', 'steel', 'bamboo', 'velvet', 'marble', 'leather',
  'lamp', 'mug', 'chair', 'throw', 'vase', 'bowl', 'frame', 'clock', 'shelf', 'rug', 'basket', 'candle', 'tray', 'jug',
  'red', 'blue', 'green', 'white', 'black', 'grey', 'small', 'large', 'round', 'square', 'vintage', 'modern', 'classic', 'set'];

/** A catalog of `items` items; `dim` numbers of embedding per item when `embeddings` is true. */
export function syntheticCatalog({ items, embeddings = false, seed = 13, dim = 64 }: { items: number; embeddings?: boolean; seed?: number; dim?: number }): CatalogJson {
  const rnd = random(seed * 7919 + items + (embeddings ? 1 : 0));
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const leaves: string[][] = [];
  for (let a = 0; a < 12; a++) for (let b = 0; b < 8; b++) for (let c = 0; c < 6; c++) leaves.push([`Dept ${a}`, `Aisle ${a}.${b}`, `Shelf ${a}.${b}.${c}`]);
  const centres = embeddings ? leaves.map(() => Array.from({ length: dim }, normal)) : [];
  const brands = Array.from({ length: 400 }, (_, i) => `Brand ${i}`);
  const out: CatalogItem[] = [];
  for (let i = 0; i < items; i++) {
    const leaf = Math.floor(rnd() * leaves.length);
    // Shallower paths for some items, as real taxonomies have.
    const depth = rnd() < 0.2 ? 2 : 3;
    const item: CatalogItem = {
      id: `p${i}`,
      title: `${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)} ${i}`,
      category: leaves[leaf]!.slice(0, depth),
      price: Math.round(Math.exp(2.5 + normal()) * 100) / 100,
      available: rnd() >= 0.05,
      popularity: Math.floor(1000 / (1 + rnd() * 200)),
    };
    if (rnd() < 0.7) item.brand = pick(brands);
    if (embeddings) item.embedding = centres[leaf]!.map((c) => Math.round((c + 0.8 * normal()) * 1e4) / 1e4);
    out.push(item);
  }
  return { format: 'localrec-catalog', formatVersion: 1, version: `synthetic-${items}${embeddings ? '-e' : ''}-s${seed}`, currency: 'GBP', items: out };
}

/** A seeded browsing session over a catalog: `count` events on available items, mostly in a few categories. */
export function syntheticEvents(catalog: CatalogJson, count: number, seed = 7): { type: string; itemId: string }[] {
  const rnd = random(seed);
  const available = catalog.items.filter((i) => i.available);
  const focus = available.filter((i) => i.category[0] === available[Math.floor(rnd() * available.length)]!.category[0]);
  const types = ['view', 'view', 'view', 'click', 'add_to_cart'];
  return Array.from({ length: count }, (_, i) => {
    const from = rnd() < 0.7 && focus.length ? focus : available;
    return { type: types[i % types.length]!, itemId: from[Math.floor(rnd() * from.length)]!.id };
  });
}
