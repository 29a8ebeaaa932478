/**
 * localrec: on-device personalisation. Behaviour events, the shopper's profile and the ranking
 * stay in this browser; nothing about the shopper is sent anywhere.
 */
import { createLocalrecWith, type Localrec, type LocalrecOptions } from './client/localrec';

/**
 * Starts localrec for this page.
 *
 * @example
 * const rec = createLocalrec({ catalog: '/catalog.json' });
 * await rec.track({ type: 'view', itemId: '85123A' });
 * const { items } = await rec.recommend({ k: 8 });
 */
export function createLocalrec(options: LocalrecOptions): Localrec {
  return createLocalrecWith(
    () => new Worker(new URL('../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'localrec-engine' }),
    options,
    () => import('./client/sources'),
  );
}

export { LocalrecError, type LocalrecErrorCode } from './core/errors';
export type { Consent, Diagnostics, ExportedData, Localrec, LocalrecOptions, StageChange } from './client/localrec';
export type { Prediction, LifecycleStage } from './core/predict';
export type { TrackEvent, PurchaseLine } from './core/events';
export type { AttributeValue, CatalogItem, CatalogJson, ItemDetails } from './core/catalog';
export type { Reason, Recommendation, RecommendRequest } from './core/ranking/rank';
export type { AffinityView, CatalogChange, ProfileChange, ProfileSnapshot, Progress, ReadyInfo, RecommendResult, BackendReport, RelatedOptions, RerankOptions, RuleError, RuleInput,
  RuleMatch, AttributeMatch, FilterRule, ExcludeRule, WeightRule, PinRule } from './protocol';
