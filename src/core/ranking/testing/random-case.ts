import { parseCatalog, type CatalogItem, type CatalogJson } from '../../catalog';
import { validateEvent } from '../../events';
import { seededRandom as random } from '../../lifecycle/classifier-metrics';
import { applyEvent } from '../../profile/apply-event';
import { suppressInterest } from '../../profile/interests';
import { emptyProfile } from '../../profile/state';
import { T0 } from '../../testing/fixtures';
import { candidateIndices } from '../candidates';
import type { RankContext } from '../context';
import { queryVector, similarities } from '../query';
import type { RecommendRequest } from '../request';
import { parseRules } from '../rules';

/**
 * A random ranking case for the equivalence tests (rank.equivalence.test.ts, shortlist.test.ts):
 * catalog (hashed or with embeddings, with ties in popularity), profile, request, rules, bundle
 * scores; the candidates' exact cosines and the query behind them.
 */
export function randomCase(seed: number): { ctx: RankContext; candidates: Int32Array; similarity: Float32Array; query: Float32Array | undefined } {
  const rnd = random(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const n = 20 + int(300);
  const withEmbeddings = rnd() < 0.4;
  const tree = [['Home', 'Candles'], ['Home', 'Kitchen', 'Cups'], ['Home', 'Kitchen', 'Plates'], ['Toys'], ['Garden', 'Pots'], ['Garden']];
  const items: CatalogItem[] = Array.from({ length: n }, (_, i) => {
    const item: CatalogItem = {
      id: `i${i}`, title: `${['red', 'oak', 'glass', 'tin'][int(4)]} ${['cup', 'lamp', 'pot', 'car'][int(4)]}`, category: tree[int(tree.length)]!,
      price: rnd() < 0.1 ? 0 : Math.round(rnd() * 5000) / 100, available: rnd() > 0.1, popularity: int(4) * 10,
    };
    if (rnd() < 0.6) item.brand = `b${int(5)}`;
    if (withEmbeddings) item.embedding = Array.from({ length: 8 }, () => rnd() - 0.5);
    return item;
  });
  const json: CatalogJson = { format: 'localrec-catalog', formatVersion: 1, version: `r${seed}`, items };
  const catalog = parseCatalog(json);
  const now = T0 + 3_600_000;
  const profile = emptyProfile(catalog.dim, T0);
  const types = ['view', 'click', 'add_to_cart', 'view'] as const;
  for (let e = 0, count = int(25); e < count; e++) {
    const time = now - int(40) * 60_000 - (rnd() < 0.3 ? 40 * 86_400_000 : 0);
    const itemId = `i${int(n)}`;
    const raw = rnd() < 0.1 ? { type: 'purchase', items: [{ itemId, quantity: 1, price: 2 }], time } : { type: types[int(types.length)], itemId, time };
    applyEvent(profile, validateEvent(raw, time), catalog);
  }
  if (rnd() < 0.2) suppressInterest(profile, rnd() < 0.5 ? { kind: 'category', key: 'Home > Kitchen' } : { kind: 'brand', key: 'b1' });
  const request: RecommendRequest = { k: 1 + int(30) };
  if (rnd() < 0.3) request.candidates = Array.from({ length: int(60) }, () => `i${int(n + 10)}`);
  if (rnd() < 0.3) request.exclude = [`i${int(n)}`, `i${int(n)}`];
  if (rnd() < 0.3) request.context = rnd() < 0.5 ? { itemId: `i${int(n)}` } : { category: 'Home > Kitchen' };
  if (rnd() < 0.15) request.diversity = rnd();
  const rules = rnd() < 0.3 ? parseRules([
    { type: 'boost', where: { brand: 'b2' }, weight: 0.3 },
    { type: 'bury', where: { category: 'Toys' }, weight: 0.2 },
    { type: 'pin', itemId: `i${int(n)}`, position: 1 + int(3) },
    ...(rnd() < 0.5 ? [{ type: 'filter', where: { price: { max: 40 } } }] : []),
  ]).rules : undefined;
  const sequence = rnd() < 0.3 ? { scores: Float32Array.from({ length: n }, () => (rnd() < 0.5 ? 0 : rnd())), explain: () => [{ itemId: 'i0', weight: 1 }] } : undefined;
  const candidates = candidateIndices(catalog, request);
  const query = queryVector(profile, catalog, now, request.context);
  const similarity = similarities(catalog, candidates, query);
  const ctx: RankContext = { catalog, profile, request, now, sequence, ...(rules ? { rules } : {}), ...(rnd() < 0.2 ? { seenDamping: 1 } : {}) };
  return { ctx, candidates, similarity, query };
}

