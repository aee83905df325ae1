/**
 * Window columns in the shapes the tests take: the non-missing values of a numeric column
 * (and a sorted copy for the tests that need one), and category counts from categorical codes.
 */
import type { PooledSortScratch } from '../stats/ks-pooled-sort';
import { sortAscending } from '../stats/ks-sort';
import type { ScratchArray } from '../stats/scratch-array';
import { requireFiniteSample } from '../stats/sorted-sample';

/** The values of a numeric column without its missing ones (NaN), in window order: the column itself, or a copy (into `into` when given). */
export function presentValues(column: Float64Array, into?: ScratchArray<Float64Array>): Float64Array {
  let present = 0;
  for (let i = 0; i < column.length; i++) if (column[i] === column[i]) present++;
  if (present === column.length) return column;
  const out = into?.take(present) ?? new Float64Array(present);
  let at = 0;
  for (let i = 0; i < column.length; i++) {
    const v = column[i] as number;
    if (v === v) out[at++] = v;
  }
  return out;
}

/**
 * An ascending copy of NaN-free values (radix sort for large windows: sorting dominates a sample test's
 * cost), in `scratch`'s arrays when given (valid until their next sort), else in new ones.
 */
export function sortedCopy(values: Float64Array, scratch?: PooledSortScratch): Float64Array {
  return sortAscending(values, scratch);
}

/**
 * {@link sortedCopy} after the checks the statistics make of a raw sample (at least `minLength` values,
 * all finite), so the tests that take sorted samples fail as their raw forms would; `where` names the sample.
 */
export function checkedSortedCopy(
  values: Float64Array,
  where: string,
  minLength: number,
  scratch?: PooledSortScratch,
): Float64Array {
  requireFiniteSample(values, where, minLength);
  return sortedCopy(values, scratch);
}

/**
 * Counts of codes 0 … categories - 1 (the last being `__other__`), skipping -1 (missing); throws a
 * RangeError naming `where` and the index of any other code, which would mean a broken window.
 */
export function codeCounts(codes: Int32Array, categories: number, where: string): Float64Array {
  const counts = new Float64Array(categories);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    if (code === -1) continue;
    if (!(code >= 0 && code < categories)) {
      throw new RangeError(
        `${where}: window code at index ${i} is ${code}, expected -1 (missing) or 0 … ${categories - 1}`,
      );
    }
    counts[code] = (counts[code] as number) + 1;
  }
  return counts;
}
