/**
 * Pools two KS samples into one ascending array, each value tagged with the
 * sample it came from, so the ECDF gap can be read off in one linear scan
 * (no branchy merge of two sorted arrays). Used for large inputs that bucketing
 * (ks-bucketed.ts) cannot narrow down, e.g. heavily tied or very skewed data.
 *
 * Sorting dominates the test's cost there, so this is an LSD radix sort (Knuth, TAOCP 5.2.5) on the high 32 bits of each double's
 * order-preserving key, followed by a clean-up of the (rare) runs of values that
 * share a high word. Linear time; several times faster than a comparison sort.
 */

import { float64Scratch, uint32Scratch, uint8Scratch } from './scratch-array';

/** Pooled sorted values and, per position, 1 if the value came from sample a, 0 if from b. */
export interface PooledSample {
  values: Float64Array;
  fromA: Uint8Array;
}

/** Three 11/11/10-bit digits cover the high word; 2048 buckets stay cache-resident. */
const DIGIT_SHIFTS = [0, 11, 22] as const;
const DIGIT_BUCKETS = 2048;
/** Ranges up to this length are sorted by insertion sort, longer ones by merge sort. */
const INSERTION_MAX_RUN = 32;

/** Typed-array views follow host byte order; the word arithmetic below assumes little-endian. */
export const RADIX_SUPPORTED = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The work arrays of {@link sortPooled}: one set serves sort after sort (a sorted result lives in
 * them, so it is valid until the next sort with the same set).
 */
export class PooledSortScratch {
  readonly values = float64Scratch();
  readonly tags = uint8Scratch();
  readonly spareValues = float64Scratch();
  readonly spareTags = uint8Scratch();
  readonly histograms = uint32Scratch();
}

/**
 * Copies a then b into one array, tags them, and sorts ascending, in `scratch`'s arrays (fresh
 * ones by default); throws a RangeError naming the sample and index of the first NaN, since NaN
 * has no place in an ECDF.
 */
export function sortPooled(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  scratch = new PooledSortScratch(),
): PooledSample {
  const n1 = a.length;
  const total = n1 + b.length;
  let values = scratch.values.take(total);
  copyChecked(values, 0, a, 'a');
  copyChecked(values, n1, b, 'b');
  let fromA = scratch.tags.take(total);
  fromA.fill(1, 0, n1);
  fromA.fill(0, n1, total);
  let scratchValues = scratch.spareValues.take(total);
  let scratchTags = scratch.spareTags.take(total);
  const counts = highKeyHistograms(values, scratch.histograms.zeroed(DIGIT_SHIFTS.length * DIGIT_BUCKETS));
  for (let pass = 0; pass < DIGIT_SHIFTS.length; pass++) {
    const offsets = counts.subarray(pass * DIGIT_BUCKETS, (pass + 1) * DIGIT_BUCKETS);
    // A digit shared by every element cannot reorder anything.
    if (!prefixSums(offsets, total)) continue;
    scatter(values, fromA, scratchValues, scratchTags, offsets, DIGIT_SHIFTS[pass] as number);
    [values, scratchValues] = [scratchValues, values];
    [fromA, scratchTags] = [scratchTags, fromA];
  }
  finishEqualHighWordRuns(values, fromA, scratchValues, scratchTags);
  return { values, fromA };
}

function copyChecked(out: Float64Array, offset: number, src: ArrayLike<number>, name: string): void {
  const n = src.length;
  if (src instanceof Float64Array) out.set(src, offset);
  else for (let i = 0; i < n; i++) out[offset + i] = src[i] as number;
  for (let i = 0; i < n; i++) {
    const v = out[offset + i] as number;
    if (v !== v) throw new RangeError(`ks2samp: ${name}[${i}] is NaN; samples must not contain NaN`);
  }
}

/** Order-preserving unsigned key of a double's high word: flip all bits of negatives, the sign bit of others. */
function highKey(hiBits: number): number {
  return (hiBits ^ ((hiBits >> 31) | 0x80000000)) >>> 0;
}

function highWords(values: Float64Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
}

/** Counts of every digit of every key, gathered in one read pass into `counts` (zeros on entry). */
function highKeyHistograms(values: Float64Array, counts: Uint32Array): Uint32Array {
  const words = highWords(values);
  for (let i = 0; i < values.length; i++) {
    const k = highKey(words[2 * i + 1] as number);
    const d0 = k & 0x7ff;
    const d1 = DIGIT_BUCKETS + ((k >>> 11) & 0x7ff);
    const d2 = 2 * DIGIT_BUCKETS + (k >>> 22);
    counts[d0] = (counts[d0] as number) + 1;
    counts[d1] = (counts[d1] as number) + 1;
    counts[d2] = (counts[d2] as number) + 1;
  }
  return counts;
}

/** Turns counts into start offsets in place; false when one bucket holds every element. */
function prefixSums(counts: Uint32Array, n: number): boolean {
  let sum = 0;
  let useful = true;
  for (let b = 0; b < counts.length; b++) {
    const c = counts[b] as number;
    if (c === n) useful = false;
    counts[b] = sum;
    sum += c;
  }
  return useful;
}

/** One stable counting-sort pass on the digit at `shift`, moving tags along. */
function scatter(
  values: Float64Array,
  tags: Uint8Array,
  outValues: Float64Array,
  outTags: Uint8Array,
  offsets: Uint32Array,
  shift: number,
): void {
  const words = highWords(values);
  for (let i = 0; i < values.length; i++) {
    const digit = (highKey(words[2 * i + 1] as number) >>> shift) & 0x7ff;
    const at = offsets[digit] as number;
    offsets[digit] = at + 1;
    outValues[at] = values[i] as number;
    outTags[at] = tags[i] as number;
  }
}

/** Sorts each run of equal high words by full value; runs are almost always of length 1. */
function finishEqualHighWordRuns(
  values: Float64Array,
  tags: Uint8Array,
  scratch: Float64Array,
  scratchTags: Uint8Array,
): void {
  const words = highWords(values);
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i < values.length && words[2 * i + 1] === words[2 * start + 1]) continue;
    if (i - start > 1) sortTaggedRange(values, tags, scratch, scratchTags, start, i);
    start = i;
  }
}

/**
 * Sorts values[from, to) ascending, moving each value's tag with it; the scratch
 * arrays (same length as values) are used for ranges longer than a few dozen.
 */
export function sortTaggedRange(
  values: Float64Array,
  tags: Uint8Array,
  scratch: Float64Array,
  scratchTags: Uint8Array,
  from: number,
  to: number,
): void {
  if (to - from > INSERTION_MAX_RUN) mergeSortRange(values, tags, scratch, scratchTags, from, to);
  else insertionSortRange(values, tags, from, to);
}

function insertionSortRange(values: Float64Array, tags: Uint8Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = values[i] as number;
    const t = tags[i] as number;
    let j = i - 1;
    while (j >= from && (values[j] as number) > v) {
      values[j + 1] = values[j] as number;
      tags[j + 1] = tags[j] as number;
      j--;
    }
    values[j + 1] = v;
    tags[j + 1] = t;
  }
}

/** Bottom-up merge sort of values[from, to) with their tags, using the scratch arrays. */
function mergeSortRange(
  values: Float64Array,
  tags: Uint8Array,
  scratch: Float64Array,
  scratchTags: Uint8Array,
  from: number,
  to: number,
): void {
  for (let s = from; s < to; s += INSERTION_MAX_RUN)
    insertionSortRange(values, tags, s, Math.min(s + INSERTION_MAX_RUN, to));
  let src = values;
  let srcTags = tags;
  let dst = scratch;
  let dstTags = scratchTags;
  for (let width = INSERTION_MAX_RUN; width < to - from; width *= 2) {
    for (let lo = from; lo < to; lo += 2 * width) {
      const mid = Math.min(lo + width, to);
      const hi = Math.min(lo + 2 * width, to);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        const takeLeft = i < mid && (j >= hi || (src[i] as number) <= (src[j] as number));
        const from_ = takeLeft ? i++ : j++;
        dst[k] = src[from_] as number;
        dstTags[k] = srcTags[from_] as number;
      }
    }
    [src, dst] = [dst, src];
    [srcTags, dstTags] = [dstTags, srcTags];
  }
  if (src !== values) {
    values.set(src.subarray(from, to), from);
    tags.set(srcTags.subarray(from, to), from);
  }
}
