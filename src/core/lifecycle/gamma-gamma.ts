import { LocalrecError } from '../errors';
import { minimize } from './nelder-mead';
import { lnGamma } from './special';

/**
 * Gamma–Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Colombo & Jiang 1999):
 * a customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, v) across customers,
 * independent of the purchase process. Fit on customers with at least one repeat purchase.
 */

/** Population parameters of the Gamma–Gamma model. */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** One customer's spend summary: `x` transactions with mean value `mx`. */
export interface SpendSummary {
  x: number;
  mx: number;
}

/** One customer's log-likelihood of observing mean spend mx over x transactions. */
export function gammaGammaCustomerLogLikelihood({ p, q, v }: GammaGammaParams, { x, mx }: SpendSummary): number {
  return (
    lnGamma(p * x + q) - lnGamma(p * x) - lnGamma(q) + q * Math.log(v) +
    (p * x - 1) * Math.log(mx) + p * x * Math.log(x) - (p * x + q) * Math.log(x * mx + v)
  );
}

/** A maximum-likelihood Gamma–Gamma fit. */
export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  converged: boolean;
}

/**
 * Maximum-likelihood fit (Nelder–Mead on log-parameters). Customers with x = 0 or a
 * non-positive mean spend carry no information and are ignored.
 *
 * @example fitGammaGamma(returning.map(c => ({ x: c.x, mx: c.monetary }))).params
 */
export function fitGammaGamma(customers: readonly SpendSummary[]): GammaGammaFit {
  const usable = customers.filter((c) => c.x > 0 && c.mx > 0 && Number.isFinite(c.mx));
  if (usable.length < 2) {
    throw new LocalrecError('invalid_argument', 'fitGammaGamma needs at least two customers with repeat purchases and positive spend');
  }
  const toParams = (w: number[]): GammaGammaParams => ({ p: Math.exp(w[0]!), q: Math.exp(w[1]!), v: Math.exp(w[2]!) });
  const negLL = (w: number[]) => {
    const params = toParams(w);
    let ll = 0;
    for (const c of usable) ll += gammaGammaCustomerLogLikelihood(params, c);
    return -ll;
  };
  const meanSpend = usable.reduce((s, c) => s + c.mx, 0) / usable.length;
  // Start where E[spend] = p v / (q − 1) matches the data with moderate heterogeneity.
  const starts = [
    [Math.log(2), Math.log(3), Math.log(meanSpend)],
    [Math.log(6), Math.log(4), Math.log(meanSpend / 2)],
    [0, Math.log(2), Math.log(meanSpend / 4)],
  ];
  let best = minimize(negLL, starts[0]!);
  for (const s of starts.slice(1)) {
    const res = minimize(negLL, s);
    if (res.value < best.value) best = res;
  }
  return { params: toParams(best.x), logLikelihood: -best.value, converged: best.converged };
}

/**
 * E[M | x, m_x]: the customer's expected average transaction value, a weighted mix of the
 * population mean p·v/(q−1) and their own observed mean (weight grows with x).
 * With x = 0 it is the population mean (needs q > 1).
 */
export function conditionalExpectedSpend({ p, q, v }: GammaGammaParams, { x, mx }: SpendSummary): number {
  if (!(p > 0 && q > 1 && v > 0)) {
    throw new LocalrecError('invalid_argument', `expected spend needs p > 0, q > 1, v > 0, got p=${p}, q=${q}, v=${v}`);
  }
  if (x <= 0) return (p * v) / (q - 1);
  return (p * (v + x * mx)) / (p * x + q - 1);
}
