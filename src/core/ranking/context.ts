import type { Catalog } from '../catalog';
import type { Profile } from '../profile/state';
import type { RecommendRequest } from './request';
import type { Scratch } from './scratch';
import type { Rule } from './rules';
import type { SequenceScores } from './signals/sequence';

/** Everything one ranking call reads; no stage changes it. */
export interface RankContext {
  readonly catalog: Catalog;
  readonly profile: Profile;
  readonly request: RecommendRequest;
  readonly now: number;
  /** The bundle's scores for the shopper's current session, when a bundle is loaded and knows an item of it. */
  readonly sequence: SequenceScores | undefined;
  /**
   * The share of its score an item already seen this session keeps (novelty.ts; default
   * `SEEN_DAMPING`). 1 turns the damping off, as a next-click evaluation ranks: a strip the
   * shopper sees damps what they just saw, a prediction of their next click must not.
   */
  readonly seenDamping?: number;
  /** Business rules in force for this call (store-wide and the request's, parsed: rules.ts). */
  readonly rules?: readonly Rule[];
  /** Typed arrays to reuse instead of allocating (scratch.ts); the engine passes one, tests need not. */
  readonly scratch?: Scratch;
}

/** The candidates still in play, in request order: catalog indices and their cosine to the profile's query. */
export interface Pool {
  readonly items: Int32Array;
  readonly similarity: Float32Array;
  /** Every candidate the request named, filtered ones included (see the sequence signal's scale). */
  readonly requested: Int32Array;
}

/** Why an item was recommended. */
export type ReasonKind = 'similar_to' | 'sequence' | 'category' | 'brand' | 'price_band' | 'context' | 'popular' | 'rule' | 'explore';

/** Why an item was recommended: a signal, its share of the score, and words for a person. */
export interface Reason {
  kind: ReasonKind;
  text: string;
  /** This signal's contribution to the item's score. */
  weight: number;
  itemId?: string;
  category?: string;
  /** For `kind: 'rule'`: the label of the business rule that moved the item (boost, bury, pin). */
  rule?: string;
}
