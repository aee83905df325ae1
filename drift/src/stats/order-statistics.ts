/**
 * The values at the given 0-based ranks of a sample, as if it were sorted ascending,
 * without sorting it: a multi-target quickselect (Hoare's FIND, 1961) that only
 * recurses into the parts holding a wanted rank, O(n log k) for k ranks.
 * `values` is not modified; returns one value per entry of `ranks`, in that order.
 */
export function orderStatistics(values: ArrayLike<number>, ranks: ArrayLike<number>): Float64Array {
  const n = values.length;
  const work = Float64Array.from(values);
  const wanted = Int32Array.from(ranks).sort();
  for (const rank of wanted) {
    if (!(rank >= 0 && rank < n)) throw new RangeError(`orderStatistics: rank ${rank} is outside [0, ${n - 1}]`);
  }
  selectRanks(work, 0, n - 1, wanted, 0, wanted.length - 1);
  const out = new Float64Array(ranks.length);
  for (let i = 0; i < ranks.length; i++) out[i] = work[ranks[i] as number] as number;
  return out;
}

/** Places every rank in wanted[first..last] (sorted) at its sorted position within work[lo..hi]. */
function selectRanks(
  work: Float64Array,
  lo: number,
  hi: number,
  wanted: Int32Array,
  first: number,
  last: number,
): void {
  while (first <= last && lo < hi) {
    const split = partition(work, lo, hi);
    // work[lo..split] <= work[split+1..hi]; send each wanted rank to its side.
    let middle = first;
    while (middle <= last && (wanted[middle] as number) <= split) middle++;
    selectRanks(work, lo, split, wanted, first, middle - 1);
    // Tail-iterate on the upper part instead of recursing.
    first = middle;
    lo = split + 1;
  }
}

/**
 * Hoare's partition of work[lo..hi] (lo < hi) around a median-of-three pivot: returns j with
 * every value in work[lo..j] <= every value in work[j+1..hi], and lo <= j < hi. Scans stop on
 * values equal to the pivot, so runs of ties split evenly instead of degrading to O(n²).
 */
function partition(work: Float64Array, lo: number, hi: number): number {
  const pivot = medianOfThree(work[lo] as number, work[(lo + hi) >>> 1] as number, work[hi] as number);
  let i = lo - 1;
  let j = hi + 1;
  for (;;) {
    do i++;
    while ((work[i] as number) < pivot);
    do j--;
    while ((work[j] as number) > pivot);
    if (i >= j) return j;
    const swap = work[i] as number;
    work[i] = work[j] as number;
    work[j] = swap;
  }
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}
