import type { ItemEmbeddings } from '../embeddings/quantise';
import type { RankerParams } from './ranker-params';

/** One click/view in a log: the unit every parser produces and every builder consumes. */
export interface LogEvent {
  readonly sessionId: string;
  readonly itemId: string;
  /** Seconds since the epoch (fractions allowed). */
  readonly time: number;
}

/** One look at an item (a view, click, cart add or purchase), as the sequence ranker reads a session. */
export interface ItemLook {
  readonly itemId: string;
  /** Seconds since the epoch; only the order and gaps matter. */
  readonly time: number;
}

/** A session of a log, events sorted by time (stable for equal times). */
export interface LogSession {
  readonly sessionId: string;
  readonly events: readonly ItemLook[];
}

/**
 * Sparse item-to-item graph in CSR form: the neighbours of item `i` are
 * `targets[offsets[i] .. offsets[i+1])` with `weights` in the same slots.
 */
export interface NeighbourGraph {
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
  readonly weights: Float32Array;
}

/**
 * Everything the on-device ranker knows about the catalog. Public data: only aggregates over
 * many sessions, no session ids, no sequences, no time finer than a day.
 */
export interface SequenceBundle {
  /** Item ids (strings); an item's index in this array is its index everywhere else. */
  readonly itemIds: readonly string[];
  /** Events per item over the whole training log, scaled so the maximum is 1. */
  readonly popularity: Float32Array;
  /** Events per item over the last `recentDays` days of the log, scaled so the maximum is 1. */
  readonly recentPopularity: Float32Array;
  /** Directed "viewed next" rules: item → items that followed it in sessions (sequential rules). */
  readonly next: NeighbourGraph;
  /** Symmetric "viewed in similar sessions" scores: an item-kNN derived from session kNN. */
  readonly similar: NeighbourGraph;
  /** Metadata that is safe to publish. */
  readonly meta: BundleMeta;
  /**
   * The ranker weights fitted to this store by the bundle builder (aggregate numbers only);
   * absent in bundles built without a fit, whose ranker then uses the defaults.
   */
  readonly params?: Partial<RankerParams>;
  /**
   * Item vectors learned from the store's sessions (item2vec, src/core/embeddings/), on the
   * bundle's item order; absent unless the builder was asked for them. Aggregates only: items
   * seen in too few sessions have none.
   */
  readonly embeddings?: ItemEmbeddings;
}

/** Bundle metadata: build parameters and the day the log ended. */
export interface BundleMeta {
  /** Days since 1970-01-01 (UTC) of the last training event; no finer time is published. */
  readonly lastDay: number;
  /** Days of log that `recentPopularity` counts. */
  readonly recentDays: number;
  /** Pairs/rules seen in fewer distinct sessions than this were dropped. */
  readonly minSupport: number;
}
