import { besselK } from './special/bessel-k';
import { logGamma } from './special/log-gamma';

// SciPy stops the series after the first term below this, and we must stop at the same term to match it.
const TERM_TOLERANCE = 1e-7;
const PI_POW_1_5 = Math.PI ** 1.5;

/**
 * CDF of the limiting (n → ∞) Cramér–von Mises distribution at x > 0 (0 for x <= 0), summed like SciPy's
 * `_cdf_cvm_inf`: absolute accuracy about 1e-7, and not meant for the far upper tail (x > ~4).
 */
export function cramerVonMisesLimitCdf(x: number): number {
  if (Number.isNaN(x)) throw new RangeError('cramerVonMisesLimitCdf: x is NaN');
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  let total = 0;
  // Anderson & Darling (1952) series in the form of Csörgő & Faraway (1996), eq. 1.3:
  // Σ_k Γ(k+½) / (Γ(½) k!) · √(4k+1) / (π√x) · e^{-q} K_{1/4}(q), q = (4k+1)² / (16x); Γ(½) = √π joins the π^{3/2}.
  for (let k = 0; ; k++) {
    const u = Math.exp(logGamma(k + 0.5) - logGamma(k + 1)) / (PI_POW_1_5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const term = u * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
    total += term;
    if (!(Math.abs(term) >= TERM_TOLERANCE)) return total;
  }
}
