/**
 * Round half to even ("banker's rounding"), the rule NumPy's `np.round` uses.
 *
 * `Math.round` rounds halves up (2.5 → 3); SciPy's KS code rounds the effective
 * sample size with `np.round`, so 2.5 must become 2 to pick the same n.
 */

/** Rounds `x` to the nearest integer, halves to the even neighbour (0.5 → 0, 1.5 → 2, -2.5 → -2). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round sent an exact half up; step back down when that landed on an odd integer.
  // r - x is exact here: halves only exist below 2^52, where the subtraction cannot round.
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}
