/**
 * Survival function of the one-sided one-sample KS statistic D_n^+ (Smirnov),
 * the building block of `kstwoSf` for large deviations. SciPy evaluates the same
 * sum in double-double arithmetic; plain doubles with the care below stay within
 * ~1e-13 relative of it up to n = 10^6, well inside the golden tolerance of 1e-9.
 */
import { clipProbability } from './kstwo-scale';

/** Above this n SciPy stops summing and uses an asymptotic formula; we follow it. */
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;

/** log of the smallest positive subnormal; exp of anything smaller is 0 (cephes MINLOG). */
const MIN_LOG = -745.1332191019412;

/**
 * ln 2 split Cody–Waite style (fdlibm's constants): cExp · LN2_HI is exact, so the
 * binomial's exponent (up to ~10^6 · ln 2) adds no systematic rounding to every term.
 */
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;

/** 2^32: the running binomial coefficient's mantissa is kept within [2^-32, 2^32]. */
const TWO_32 = 2 ** 32;

/** P(D_n^+ >= x) for an integer n >= 1 and 0 <= x <= 1; NaN outside that domain. */
export function smirnovSf(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { floor: nxFloor, frac: alpha } = floorOfProduct(n, x);
  // x <= 1/n has a closed form: P(D+ < x) = x (1 + x)^(n-1).
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) return clipProbability(1 - x * Math.pow(1 + x, n - 1));
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return clipProbability(Math.pow(1 - x, n));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    // Asymptotic tail, as in SciPy: p ~ exp(-(6nx + 1)^2 / (18n)).
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    return clipProbability(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  // Terms need 1 - x - v/n > 0: v <= n - floor(nx) - 1, whether or not n x is an integer.
  const lastV = n - nxFloor - 1;
  return clipProbability(x * birnbaumTingeySum(n, x, lastV));
}

// Birnbaum & Tingey (1951): P(D_n^+ >= x) = x Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v).
// All terms are positive, so the sum is stable. The binomial is carried as cMan · 2^cExp and the
// powers in log space, so no factor overflows or underflows before the product is formed.
function birnbaumTingeySum(n: number, x: number, lastV: number): number {
  const nTerms = lastV + 1;
  const mid = Math.floor(n / 2);
  // v = 0: C(n,0) x^(-1) (1 - x)^n.
  let sum = Math.exp(n * Math.log1p(-x)) / x;
  let cMan = n; // C(n, 1) = cMan · 2^cExp
  let cExp = 0;
  for (let v = 1; v < nTerms; v++) {
    const up = x + v / n;
    const powers = (v - 1) * Math.log(up) + (n - v) * Math.log1p(-up);
    const term = cMan * Math.exp(cExp * LN2_HI + powers + cExp * LN2_LO);
    sum += term;
    // SciPy's stopping rule: the remaining terms cannot move the sum by an ulp.
    if (term !== 0) {
      if (4 * (nTerms - v) * term < Number.EPSILON * sum && v !== nTerms - 1) break;
    } else if (v > mid) {
      break;
    }
    cMan *= (n - v) / (v + 1);
    // Keep the mantissa near 1 (exact power-of-two steps) so exp() above sees the full exponent.
    if (cMan > TWO_32) {
      cMan /= TWO_32;
      cExp += 32;
    } else if (cMan < 1 / TWO_32) {
      cMan *= TWO_32;
      cExp -= 32;
    }
  }
  return sum;
}

/** floor(n x) and its fractional part, exact even when n x rounds to an integer in doubles. */
function floorOfProduct(n: number, x: number): { floor: number; frac: number } {
  const p = n * x;
  const err = twoProductError(n, x, p);
  let fl = Math.floor(p);
  let frac = p - fl + err;
  if (frac < 0) {
    fl -= 1;
    frac += 1;
  } else if (frac >= 1) {
    fl += 1;
    frac -= 1;
  }
  return { floor: fl, frac };
}

// Dekker (1971) TwoProduct: the exact rounding error of a * b, via Veltkamp splitting.
function twoProductError(a: number, b: number, product: number): number {
  const [aHi, aLo] = split(a);
  const [bHi, bLo] = split(b);
  return aLo * bLo - (product - aHi * bHi - aLo * bHi - aHi * bLo);
}

function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
}
