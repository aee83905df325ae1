import { logGamma } from './log-gamma';

const EPS = Number.EPSILON;
// Smallest magnitude the Lentz iteration may divide by (Numerical Recipes' FPMIN).
const TINY = 1e-300;
const MAX_ITERATIONS = 10_000;

/**
 * Regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a) for a > 0, x >= 0
 * (Q(a, 0) = 1, Q(a, ∞) = 0); throws RangeError outside that domain.
 */
export function regularizedGammaQ(a: number, x: number): number {
  checkDomain('regularizedGammaQ', a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  // Same split as Numerical Recipes gammq: the series converges fast below a + 1, the fraction above.
  return x < a + 1 ? 1 - lowerSeries(a, x) : upperContinuedFraction(a, x);
}

/** Regularized lower incomplete gamma function P(a, x) = γ(a, x) / Γ(a) = 1 - Q(a, x) for a > 0, x >= 0. */
export function regularizedGammaP(a: number, x: number): number {
  checkDomain('regularizedGammaP', a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? lowerSeries(a, x) : 1 - upperContinuedFraction(a, x);
}

function checkDomain(name: string, a: number, x: number): void {
  if (!(a > 0) || a === Infinity) throw new RangeError(`${name}: a must be a finite number > 0 (got ${a})`);
  if (!(x >= 0)) throw new RangeError(`${name}: x must be >= 0 (got ${x})`);
}

// x^a e^{-x} / Γ(a), in log space so that large a and x neither overflow nor underflow early.
function prefactor(a: number, x: number): number {
  return Math.exp(a * Math.log(x) - x - logGamma(a));
}

// Power series P(a, x) = x^a e^{-x} / Γ(a+1) · Σ_n x^n / ((a+1)…(a+n)) (Abramowitz & Stegun 6.5.29; NR3 gser).
function lowerSeries(a: number, x: number): number {
  let ap = a;
  let term = 1 / a;
  let sum = term;
  for (let n = 0; n < MAX_ITERATIONS; n++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) return sum * prefactor(a, x);
  }
  throw new Error(`regularizedGamma: series did not converge for a=${a}, x=${x}`);
}

// Legendre continued fraction for Γ(a, x) evaluated with the modified Lentz method (A&S 6.5.31; NR3 gcf).
function upperContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPS) return prefactor(a, x) * h;
  }
  throw new Error(`regularizedGamma: continued fraction did not converge for a=${a}, x=${x}`);
}
