import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../catalog';
import { validateEvent } from '../events';
import { applyEvent } from '../profile/apply-event';
import { emptyProfile } from '../profile/state';
import { T0, testCatalogJson } from '../testing/fixtures';
import { SIGNAL_NAMES, type SignalName } from './blend';
import type { RankContext } from './context';
import { MIN_REASON_WEIGHT, reasonsFor } from './reasons';

const catalog = parseCatalog(testCatalogJson());
const profile = emptyProfile(64, T0);
applyEvent(profile, validateEvent({ type: 'add_to_cart', itemId: 'k1', time: T0 }, T0), catalog);
const ctx: RankContext = { catalog, profile, request: { k: 3 }, now: T0 + 1000, sequence: undefined };
const k2 = catalog.index.get('k2')!;

function parts(p: Partial<Record<SignalName, number>>): Record<SignalName, number> {
  return Object.fromEntries(SIGNAL_NAMES.map((n) => [n, p[n] ?? 0])) as Record<SignalName, number>;
}

describe('reasonsFor', () => {
  it('lets each signal that moved the item speak, strongest first, in words a shopper reads', () => {
    const out = reasonsFor(ctx, k2, parts({ similarity: 0.61234, brand: 0.2, category: 0.5, prior: 0.1 }));
    expect(out.map((r) => r.kind)).toEqual(['similar_to', 'category', 'brand']);
    expect(out[0]).toMatchObject({ itemId: 'k1', weight: 0.612, text: 'Similar to Regency Cakestand 3 Tier, which you added to your cart' });
    expect(out[2]!.text).toBe('You like the Regency range');
  });

  it('stays quiet about signals below the threshold', () => {
    const out = reasonsFor(ctx, k2, parts({ category: MIN_REASON_WEIGHT, brand: 0.2 }));
    expect(out.map((r) => r.kind)).toEqual(['brand']);
  });

  it('says "popular" only when nothing else explains the item or popularity outweighs it', () => {
    expect(reasonsFor(ctx, k2, parts({ prior: 0.01 })).map((r) => r.kind)).toEqual(['popular']);
    expect(reasonsFor(ctx, k2, parts({ brand: 0.2, prior: 0.15 })).map((r) => r.kind)).toEqual(['brand']);
    expect(reasonsFor(ctx, k2, parts({ brand: 0.1, prior: 0.15 })).map((r) => r.kind)).toEqual(['popular', 'brand']);
  });
});
