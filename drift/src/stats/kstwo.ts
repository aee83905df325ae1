/**
 * Survival function of the exact two-sided one-sample KS statistic D_n,
 * `kstwoSf(d, n) = P(D_n >= d)`, following SciPy's `kstwo.sf`.
 *
 * The two-sample test's "asymp" p-value is this function at the effective
 * sample size round(n1 n2 / (n1 + n2)), not the Kolmogorov limit.
 */
import { kstwoCdfDurbin } from './kstwo-durbin';
import { kstwoCdfPelzGood } from './kstwo-pelz-good';
import { kstwoCdfPomeranz } from './kstwo-pomeranz';
import { clipProbability } from './kstwo-scale';
import { smirnovSf } from './smirnov';

/** Simard & L'Ecuyer's boundary between "small" and "large" n. */
const SMALL_N = 140;

/** Stirling-series coefficients B_2j / (2j (2j - 1)), j = 8 .. 1, highest first for Horner. */
/* eslint-disable no-loss-of-precision -- the exact fractions to 20 digits, more than a double holds; each parses to the nearest double, and SciPy's golden values pin the result */
const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];
/* eslint-enable no-loss-of-precision */

// Simard & L'Ecuyer (2011), J. Stat. Softw. 39(11): pick the algorithm by n and n·d².
/** P(D_n >= d) for an integer n >= 1; NaN when n is not a positive integer or d is NaN. */
export function kstwoSf(d: number, n: number): number {
  if (!(Number.isInteger(n) && n > 0) || Number.isNaN(d)) return NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) return clipProbability(1 - rubenGambinoLowCdf(n, t));
  // Ruben & Gambino (1982): P(D_n >= d) = 2 (1 - d)^n for d >= 1 - 1/n.
  if (t >= n - 1) return clipProbability(2 * Math.pow(1 - d, n));
  // For d >= 1/2 the events D+ >= d and D- >= d are disjoint.
  if (d >= 0.5) return clipProbability(2 * smirnovSf(n, d));
  const nd2 = t * d;
  if (n <= SMALL_N) {
    if (nd2 <= 0.754693) return clipProbability(1 - kstwoCdfDurbin(n, d));
    if (nd2 <= 4) return clipProbability(1 - kstwoCdfPomeranz(n, d));
    return clipProbability(2 * smirnovSf(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clipProbability(2 * smirnovSf(n, d));
  const cdf = n <= 100_000 && n * d ** 1.5 <= 1.4 ? kstwoCdfDurbin(n, d) : kstwoCdfPelzGood(n, d);
  return clipProbability(1 - cdf);
}

// Ruben & Gambino (1982): P(D_n <= d) = n!/n^n (2nd - 1)^n for 1/(2n) <= d <= 1/n.
function rubenGambinoLowCdf(n: number, t: number): number {
  if (t <= 0.5) return 0;
  if (n <= SMALL_N) {
    let prob = 1;
    for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    return prob;
  }
  return Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
}

/** log(n! / n^n) by Stirling's series, with n log n removed up front to avoid cancellation. */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}
