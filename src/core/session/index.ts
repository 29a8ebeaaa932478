// The session-ranking surface the worker and the Node tools use.
export type { BundleMeta, LogEvent, LogSession, NeighbourGraph, SessionBundle, SessionEvent } from './types';
export { decodeBundle, encodeBundle, BUNDLE_VERSION } from './bundle-format';
export { buildSessionBundle, DEFAULT_BUILD_OPTIONS, type BuildOptions } from './bundle-builder';
export { emptyBundle } from './empty-bundle';
export { SessionRanker, DEFAULT_RANKER_PARAMS, type Explanation, type RankerParams } from './ranker';
export { topK, type Scored, type TopKOptions } from '../ranking/top-k';
