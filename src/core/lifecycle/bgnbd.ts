import { LocalrecError } from '../errors';
import { minimize } from './nelder-mead';
import { hyp2f1, lnBeta, lnGamma } from './special';

/**
 * BG/NBD ("beta-geometric / negative binomial distribution") model of repeat buying, after
 * Fader, Hardie & Lee (2005), "Counting your customers the easy way". Time is in whatever unit
 * the data uses (weeks for CDNOW); `alpha` and every `t` share that unit.
 */

/** Population parameters: purchase rate ~ Gamma(r, alpha); drop-out probability ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** One customer's calibration summary. */
export interface RfmSummary {
  /** Repeat purchases in the calibration window (purchases after the first; same-day merged). */
  x: number;
  /** Time of the last purchase, measured from the first. 0 when x = 0. */
  tx: number;
  /** Time from the first purchase to the end of the calibration window. */
  T: number;
}

function checkParams(p: BgNbdParams): void {
  if (!(p.r > 0 && p.alpha > 0 && p.a > 0 && p.b > 0)) {
    throw new LocalrecError('invalid_argument', `BG/NBD parameters must all be positive, got ${JSON.stringify(p)}`);
  }
}

function checkSummary({ x, tx, T }: RfmSummary): void {
  if (!(Number.isInteger(x) && x >= 0 && tx >= 0 && T >= tx)) {
    throw new LocalrecError('invalid_argument', `need integer x >= 0 and 0 <= t_x <= T, got x=${x}, t_x=${tx}, T=${T}`);
  }
}

/** One customer's log-likelihood (eq. 6 of the paper, written with log-sum-exp for large x). */
export function bgnbdCustomerLogLikelihood(p: BgNbdParams, { x, tx, T }: RfmSummary): number {
  const { r, alpha, a, b } = p;
  const a1 = lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha);
  const a2 = lnGamma(a + b) + lnGamma(b + x) - lnGamma(b) - lnGamma(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return a1 + a2 + a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  const m = Math.max(a3, a4);
  return a1 + a2 + m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m));
}

/** Total log-likelihood of a cohort. */
export function bgnbdLogLikelihood(p: BgNbdParams, customers: readonly RfmSummary[]): number {
  let ll = 0;
  for (const c of customers) ll += bgnbdCustomerLogLikelihood(p, c);
  return ll;
}

/** A maximum-likelihood fit. */
export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  converged: boolean;
}

/**
 * Maximum-likelihood fit by Nelder–Mead on log-parameters (so they stay positive), started from
 * a few points and restarted from the best; identical summaries are pooled to keep it fast.
 *
 * @example fitBgNbd(customers).params // { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } on CDNOW
 */
export function fitBgNbd(customers: readonly RfmSummary[]): BgNbdFit {
  if (customers.length === 0) throw new LocalrecError('invalid_argument', 'fitBgNbd needs at least one customer');
  const pooled = new Map<string, { s: RfmSummary; n: number }>();
  for (const c of customers) {
    checkSummary(c);
    const key = `${c.x}|${c.tx}|${c.T}`;
    const hit = pooled.get(key);
    if (hit) hit.n++;
    else pooled.set(key, { s: c, n: 1 });
  }
  const groups = [...pooled.values()];
  const toParams = (v: number[]): BgNbdParams => ({
    r: Math.exp(v[0]!), alpha: Math.exp(v[1]!), a: Math.exp(v[2]!), b: Math.exp(v[3]!),
  });
  const negLL = (v: number[]) => {
    const p = toParams(v);
    let ll = 0;
    for (const g of groups) ll += g.n * bgnbdCustomerLogLikelihood(p, g.s);
    return -ll;
  };
  // Start alpha near the mean observation length: the rate scale is set by the time unit.
  const meanT = customers.reduce((s, c) => s + c.T, 0) / customers.length;
  const starts = [
    [0, Math.log(Math.max(meanT, 1e-3)), 0, 0],
    [Math.log(0.5), Math.log(Math.max(meanT / 5, 1e-3)), Math.log(0.5), Math.log(2)],
    [Math.log(2), Math.log(Math.max(meanT * 2, 1e-3)), Math.log(2), Math.log(5)],
  ];
  let best = minimize(negLL, starts[0]!);
  for (const s of starts.slice(1)) {
    const res = minimize(negLL, s);
    if (res.value < best.value) best = res;
  }
  return { params: toParams(best.x), logLikelihood: -best.value, converged: best.converged };
}

/**
 * P(alive | x, t_x, T): the probability the customer has not dropped out.
 * Always 1 for x = 0 (the model lets a customer drop out only right after a repeat purchase).
 */
export function pAlive(p: BgNbdParams, s: RfmSummary): number {
  checkParams(p);
  checkSummary(s);
  if (s.x === 0) return 1;
  const { r, alpha, a, b } = p;
  const logOdds = Math.log(a) - Math.log(b + s.x - 1) + (r + s.x) * (Math.log(alpha + s.T) - Math.log(alpha + s.tx));
  return 1 / (1 + Math.exp(logOdds));
}

/** Nudges a away from 1, where the closed forms have a removable 0/0. */
function safeA(a: number): number {
  return Math.abs(a - 1) < 1e-9 ? 1 + 1e-9 : a;
}

/**
 * E[Y(t) | x, t_x, T]: expected repeat purchases in the next `t` time units (eq. 10).
 * The 2F1 term is used in its Euler-transformed form, (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z),
 * which equals ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z) but stays small and fast for large x.
 *
 * @example conditionalExpectedPurchases({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, 39, { x: 2, tx: 30.43, T: 38.86 }) // ≈ 1.226
 */
export function conditionalExpectedPurchases(p: BgNbdParams, t: number, s: RfmSummary): number {
  checkParams(p);
  checkSummary(s);
  if (!(t >= 0)) throw new LocalrecError('invalid_argument', `t must be >= 0, got ${t}`);
  if (t === 0) return 0;
  const { r, alpha, b } = p;
  const a = safeA(p.a);
  const { x, T } = s;
  const z = t / (alpha + T + t);
  const tail = Math.pow(1 - z, a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
  const numerator = ((a + b + x - 1) / (a - 1)) * (1 - tail);
  return numerator * pAlive({ r, alpha, a, b }, s);
}

/** E[X(t)]: expected purchases in (0, t] for a randomly chosen new customer (eq. 9). */
export function expectedPurchases(p: BgNbdParams, t: number): number {
  checkParams(p);
  if (!(t >= 0)) throw new LocalrecError('invalid_argument', `t must be >= 0, got ${t}`);
  if (t === 0) return 0;
  const { r, alpha, b } = p;
  const a = safeA(p.a);
  const z = t / (alpha + t);
  const tail = Math.pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1, z);
  return ((a + b - 1) / (a - 1)) * (1 - tail);
}

/** P(X(t) = n): probability a new customer makes exactly n purchases in (0, t] (eq. 8). */
export function probabilityOfPurchases(p: BgNbdParams, t: number, n: number): number {
  checkParams(p);
  if (!(t >= 0) || !(Number.isInteger(n) && n >= 0)) {
    throw new LocalrecError('invalid_argument', `need t >= 0 and integer n >= 0, got t=${t}, n=${n}`);
  }
  const { r, alpha, a, b } = p;
  if (t === 0) return n === 0 ? 1 : 0;
  const logRatio = Math.log(alpha / (alpha + t));
  const logZ = Math.log(t / (alpha + t));
  // ln[ Γ(r+j) / (Γ(r) j!) (α/(α+t))^r (t/(α+t))^j ]: the NBD probability of j events.
  const lnNbd = (j: number) => lnGamma(r + j) - lnGamma(r) - lnGamma(j + 1) + r * logRatio + j * logZ;
  const lnB = lnBeta(a, b);
  let prob = Math.exp(lnBeta(a, b + n) - lnB + lnNbd(n));
  if (n > 0) {
    let cdf = 0;
    for (let j = 0; j < n; j++) cdf += Math.exp(lnNbd(j));
    prob += Math.exp(lnBeta(a + 1, b + n - 1) - lnB) * Math.max(0, 1 - cdf);
  }
  return prob;
}
