/**
 * Bonferroni-adjusted p-values min(1, m · p_i), in input order; throws RangeError on a value outside [0, 1].
 * An empty input gives an empty output.
 */
export function bonferroni(ps: ArrayLike<number>): Float64Array {
  checkPValues(ps, 'bonferroni');
  const m = ps.length;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) out[i] = Math.min(1, m * (ps[i] as number));
  return out;
}

/**
 * Benjamini–Hochberg (1995) step-up adjusted p-values (R's `p.adjust(method = "BH")`), in input order, bit-identical
 * to SciPy's `false_discovery_control`; throws RangeError on a value outside [0, 1]. An empty input gives an empty output.
 */
export function benjaminiHochberg(ps: ArrayLike<number>): Float64Array {
  checkPValues(ps, 'benjaminiHochberg');
  const m = ps.length;
  // Stable ascending order: ties keep their input order, as NumPy's kind='stable'.
  const order = Array.from({ length: m }, (_, i) => i);
  order.sort((i, j) => (ps[i] as number) - (ps[j] as number) || i - j);

  const adjusted = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    // m / rank first, then the product: the operation order that makes the result bit-exact.
    adjusted[r] = (ps[order[r] as number] as number) * (m / (r + 1));
  }
  // Step-up: a p-value is never adjusted above the adjusted value of a larger one.
  for (let r = m - 2; r >= 0; r--) {
    adjusted[r] = Math.min(adjusted[r] as number, adjusted[r + 1] as number);
  }
  const out = new Float64Array(m);
  for (let r = 0; r < m; r++) out[order[r] as number] = Math.min(1, Math.max(0, adjusted[r] as number));
  return out;
}

function checkPValues(ps: ArrayLike<number>, name: string): void {
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i] as number;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${name}: p-value at index ${i} must be in [0, 1] (got ${p})`);
  }
}
