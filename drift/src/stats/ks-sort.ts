/**
 * Sorted Float64Array copies of small KS samples (large ones go through
 * ks-bucketed.ts or the pooled radix sort in ks-pooled-sort.ts).
 */
import { PooledSortScratch, RADIX_SUPPORTED, sortPooled } from './ks-pooled-sort';

/** From about this many values on the pooled radix sort beats the built-in typed-array sort (measured on Node 20). */
const RADIX_MIN_LENGTH = 1024;
const EMPTY = new Float64Array(0);

/**
 * An ascending copy of NaN-free values (unchecked), by radix sort for large arrays and the built-in sort
 * for small ones, in `scratch`'s arrays (fresh ones by default; the copy is valid until their next sort).
 */
export function sortAscending(values: Float64Array, scratch = new PooledSortScratch()): Float64Array {
  if (values.length >= RADIX_MIN_LENGTH && RADIX_SUPPORTED) return sortPooled(values, EMPTY, scratch).values;
  const copy = scratch.values.take(values.length);
  copy.set(values);
  return copy.sort();
}

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
