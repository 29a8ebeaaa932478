import { LocalrecError } from '../errors';

/**
 * Special functions the lifecycle models need: log-gamma (with sign, for negative arguments)
 * and the Gauss hypergeometric function 2F1. Written here because no small, browser-safe
 * library covers 2F1 for the parameter ranges BG/NBD produces (large x, z near 1).
 */

// Lanczos approximation, g = 7, n = 9: about 15 significant digits for x > 0.5.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LN_2PI = 0.9189385332046728;

/** ln|Γ(x)| and the sign of Γ(x). At the poles (x = 0, -1, -2, ...) `ln` is +Infinity. */
export function signedLnGamma(x: number): { ln: number; sign: 1 | -1 } {
  if (Number.isInteger(x) && x <= 0) return { ln: Infinity, sign: 1 };
  if (x < 0.5) {
    // Reflection: Γ(x) Γ(1-x) = π / sin(πx).
    const s = Math.sin(Math.PI * x);
    const rest = signedLnGamma(1 - x);
    return { ln: Math.log(Math.PI / Math.abs(s)) - rest.ln, sign: (s < 0 ? -rest.sign : rest.sign) as 1 | -1 };
  }
  const y = x - 1;
  let series = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) series += LANCZOS[i]! / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return { ln: HALF_LN_2PI + (y + 0.5) * Math.log(t) - t + Math.log(series), sign: 1 };
}

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (!(x > 0)) throw new LocalrecError('invalid_argument', `lnGamma needs x > 0, got ${x}`);
  return signedLnGamma(x).ln;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), for a, b > 0. */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

const MAX_TERMS = 2_000_000;

/** Plain power series Σ (a)_n (b)_n / ((c)_n n!) z^n; |z| < 1 assumed. */
function series2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  let quiet = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    term *= ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (term === 0) return sum; // terminating (a or b a non-positive integer)
    // Stop once terms are negligible twice in a row and past the hump where they may still grow.
    if (Math.abs(term) <= 1e-17 * Math.abs(sum) && n > Math.abs(a) + Math.abs(b)) {
      if (++quiet >= 2) return sum;
    } else {
      quiet = 0;
    }
  }
  return sum;
}

/** Product Γ(n1)Γ(n2) / (Γ(d1)Γ(d2)) computed in log space with signs; 0 when a denominator is a pole. */
function gammaRatio(n1: number, n2: number, d1: number, d2: number): number {
  const [gn1, gn2, gd1, gd2] = [n1, n2, d1, d2].map(signedLnGamma) as [
    ReturnType<typeof signedLnGamma>, ReturnType<typeof signedLnGamma>,
    ReturnType<typeof signedLnGamma>, ReturnType<typeof signedLnGamma>,
  ];
  if (!Number.isFinite(gd1.ln) || !Number.isFinite(gd2.ln)) return 0;
  return gn1.sign * gn2.sign * gd1.sign * gd2.sign * Math.exp(gn1.ln + gn2.ln - gd1.ln - gd2.ln);
}

function isNearInteger(v: number): boolean {
  return Math.abs(v - Math.round(v)) < 1e-6;
}

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z < 1 (z = 1 too when
 * c − a − b > 0, by Gauss's theorem).
 *
 * - z < 0: Pfaff's transformation to w = z/(z−1) in (0, 1), where the series converges.
 * - 0 ≤ z ≤ 0.9: the power series, or Euler's transformation 2F1(c−a, c−b; c; z)(1−z)^(c−a−b)
 *   when that has smaller parameters (BG/NBD with many purchases: a, b ≈ c, both large).
 * - z > 0.9: the 1 − z connection formula when c − a − b is not an integer, else the series
 *   (slow, but still converges for z < 1).
 *
 * @example hyp2f1(1, 1, 2, 0.5) // = -ln(0.5)/0.5 ≈ 1.386294
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite)) {
    throw new LocalrecError('invalid_argument', `hyp2f1 needs finite arguments, got (${a}, ${b}, ${c}, ${z})`);
  }
  if (Number.isInteger(c) && c <= 0) {
    throw new LocalrecError('invalid_argument', `hyp2f1 is undefined for c = ${c} (a non-positive integer)`);
  }
  if (z === 0 || a === 0 || b === 0) return 1;
  if (z === 1) {
    if (c - a - b <= 0) throw new LocalrecError('invalid_argument', `hyp2f1 diverges at z = 1 when c - a - b <= 0`);
    return gammaRatio(c, c - a - b, c - a, c - b);
  }
  if (z > 1) throw new LocalrecError('invalid_argument', `hyp2f1 is only implemented for z <= 1, got ${z}`);
  if (z < 0) {
    const w = z / (z - 1);
    // Keep a terminating (non-positive integer) parameter in the first slot so the series stays finite.
    const swap = !(Number.isInteger(a) && a < 0) && Number.isInteger(b) && b < 0;
    const [p, q] = swap ? [b, a] : [a, b];
    return Math.pow(1 - z, -p) * hyp2f1(p, c - q, c, w);
  }
  const s = c - a - b;
  if (z > 0.9 && !isNearInteger(s) && !isNearInteger(c - a) && !isNearInteger(c - b)) {
    const y = 1 - z;
    const first = gammaRatio(c, s, c - a, c - b) * series2f1(a, b, 1 - s, y);
    const second = Math.pow(y, s) * gammaRatio(c, -s, a, b) * series2f1(c - a, c - b, 1 + s, y);
    return first + second;
  }
  if (Math.abs((c - a) * (c - b)) < Math.abs(a * b)) {
    return Math.pow(1 - z, s) * series2f1(c - a, c - b, c, z);
  }
  return series2f1(a, b, c, z);
}
