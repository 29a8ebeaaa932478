/**
 * The sequence ranker's query-time weights: one vocabulary for the ranker, the bundle format
 * (which publishes fitted values) and the fit (which searches them).
 */
export interface RankerParams {
  /** Only the last this many events of the session are used. */
  readonly maxEvents: number;
  /** Weight of the sequential-rules graph. */
  readonly nextWeight: number;
  /** Rules of an event p steps before the last weigh nextDecay^p (1 = all equal, 0 = last only). */
  readonly nextDecay: number;
  /** Weight of the similar-sessions graph. */
  readonly simWeight: number;
  /** Similar scores of an event p steps before the last weigh simDecay^p. */
  readonly simDecay: number;
  /** Boost of an item already in the session. */
  readonly repeatWeight: number;
  /** A repeat seen p steps before the last counts repeatDecay^p. */
  readonly repeatDecay: number;
  /**
   * Per-shopper adaptation: the repeat boost is multiplied by (2·(r+1)/(t+2))^repeatAdapt, where
   * r of the session's t transitions so far went back to an item already seen. 0 = off; a shopper
   * who keeps re-visiting gets up to 2^repeatAdapt of the store's boost, one who never does
   * tends to none of it.
   */
  readonly repeatAdapt: number;
  /** Weight of popularity (mostly a tie breaker among items with little evidence). */
  readonly popWeight: number;
  /** Share of recent (vs all-time) popularity in the term that popWeight weighs. */
  readonly recentShare: number;
}

/** Defaults, tuned by hand on a validation split of YooChoose; a fitted bundle carries its own. */
export const DEFAULT_RANKER_PARAMS: RankerParams = {
  maxEvents: 20,
  nextWeight: 0.5,
  nextDecay: 0.13,
  simWeight: 0.5,
  simDecay: 0.35,
  repeatWeight: 1,
  repeatDecay: 0.5,
  repeatAdapt: 0,
  popWeight: 0.001,
  recentShare: 0,
};

/** Every parameter name, in the order the bundle format writes them. Append only. */
export const RANKER_PARAM_NAMES = [
  'maxEvents',
  'nextWeight',
  'nextDecay',
  'simWeight',
  'simDecay',
  'repeatWeight',
  'repeatDecay',
  'repeatAdapt',
  'popWeight',
  'recentShare',
] as const satisfies readonly (keyof RankerParams)[];

/** Bounds the ranker relies on; the bundle is downloaded, so these are also its validation. */
const MAX_EVENTS_LIMIT = 1000;

/** Whether `name` is a ranker parameter. */
export function isRankerParamName(name: string): name is keyof RankerParams {
  return (RANKER_PARAM_NAMES as readonly string[]).includes(name);
}

/**
 * Why `value` is not allowed for `name`, or undefined when it is. maxEvents is a whole number up
 * to 1000 because the ranker allocates that many slots; recentShare is a mix in [0, 1]; every
 * other weight and decay is a finite number >= 0.
 */
export function rankerParamProblem(name: keyof RankerParams, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return `${name} must be a finite number >= 0`;
  if (name === 'maxEvents' && (!Number.isInteger(value) || value > MAX_EVENTS_LIMIT)) return `maxEvents must be a whole number <= ${MAX_EVENTS_LIMIT}`;
  if (name === 'recentShare' && value > 1) return 'recentShare must be in [0, 1]';
  return undefined;
}
