/**
 * Sorted Float64Array copies of small KS samples (large ones go through
 * ks-bucketed.ts or the pooled radix sort in ks-pooled-sort.ts).
 */

/**
 * Returns a new ascending Float64Array holding `values`; throws a RangeError naming
 * `sampleName` and the first NaN's index, since NaN has no place in an ECDF.
 */
export function sortedCopy(values: ArrayLike<number>, sampleName: string): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) throw new RangeError(`ks2samp: ${sampleName}[${i}] is NaN; samples must not contain NaN`);
    out[i] = v;
  }
  // Typed-array sort compares numerically (a plain array's default sort would compare strings).
  return out.sort();
}
