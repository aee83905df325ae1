// Integration stops once the integrand is below e^{-CUTOFF} of its value at t = 0: far below double precision.
const CUTOFF = 50;
const MAX_STEP = 0.2;

/**
 * Exponentially scaled modified Bessel function of the second kind, e^x · K_ν(x), for real ν and x > 0
 * (Infinity at x = 0); throws RangeError for x < 0 or NaN.
 */
export function besselKScaled(nu: number, x: number): number {
  if (!Number.isFinite(nu)) throw new RangeError(`besselK: order must be finite (got ${nu})`);
  if (!(x >= 0)) throw new RangeError(`besselK: x must be >= 0 (got ${x})`);
  if (x === 0) return Infinity;
  if (x === Infinity) return 0;
  const order = Math.abs(nu); // K_{-ν} = K_ν
  // Trapezoidal rule on the integral e^x K_ν(x) = ∫_0^∞ exp(-2x sinh²(t/2)) cosh(νt) dt (DLMF 10.32.9).
  // The integrand is entire and decays double-exponentially, so the rule converges geometrically in 1/h
  // (Trefethen & Weideman, SIAM Review 56, 2014); h ∝ 1/√x resolves the Gaussian-like peak for large x.
  const h = Math.min(MAX_STEP, 0.5 / Math.sqrt(x));
  let sum = 0.5;
  for (let j = 1; ; j++) {
    const t = j * h;
    const s = Math.sinh(0.5 * t);
    const exponent = 2 * x * s * s;
    sum += Math.exp(-exponent) * Math.cosh(order * t);
    if (exponent - order * t > CUTOFF) break;
  }
  return h * sum;
}

/** Modified Bessel function of the second kind K_ν(x) for real ν and x >= 0 (Infinity at 0, underflows to 0 past x ≈ 745). */
export function besselK(nu: number, x: number): number {
  const scaled = besselKScaled(nu, x);
  return scaled === Infinity ? Infinity : Math.exp(-x) * scaled;
}
