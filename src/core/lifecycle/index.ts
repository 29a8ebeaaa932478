/**
 * Lifecycle and purchase-probability maths: BG/NBD, Gamma–Gamma, cohort building, parsers,
 * stage rules, the per-shopper prediction the worker calls, and the session purchase model.
 * Pure: no DOM, no IndexedDB, no tfjs backend.
 */
export * from './bgnbd';
export * from './gamma-gamma';
export * from './special';
export * from './nelder-mead';
export * from './transactions';
export * from './cohort';
export * from './purchase-logs';
export * from './stage';
export * from './shopper';
export * from './session-features';
export * from './purchase-model';
export * from './classifier-metrics';
