/**
 * Helpers shared by the KS distribution code: power-of-two rescaling for the exact
 * recursions (Durbin, Pomeranz), whose intermediate values leave the double range
 * long before the answer does, and SciPy's final clip of probabilities into [0, 1].
 */

/** Exponent step used when an intermediate value is rescaled. */
export const SCALE_EXPONENT = 128;
/** 2^128: multiply by it to lift a value that is about to underflow. */
export const TWO_POW_128 = 2 ** 128;
/** 2^-128: multiply by it to lower a value that is about to overflow. */
export const TWO_POW_MINUS_128 = 2 ** -128;

/** x * 2^e, exact while the result is normal; applied in steps so 2^e itself never overflows. */
export function ldexp(x: number, e: number): number {
  let out = x;
  let rest = e;
  while (rest > 1000) {
    out *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    out *= 2 ** -1000;
    rest += 1000;
  }
  return out * 2 ** rest;
}

/** Clamps a probability into [0, 1] (NaN passes through). */
export function clipProbability(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
