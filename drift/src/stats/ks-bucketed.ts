/**
 * The KS statistic without sorting everything: bucket both samples by value,
 * bound the ECDF gap inside each bucket from the bucket counts alone, and sort
 * only the few buckets that could hold the maximum or the minimum gap.
 *
 * Every value in bucket k has a gap (in units of 1/(n1 n2), exact integers)
 * between L_k = A·n2 - (B + b_k)·n1 and U_k = (A + a_k)·n2 - B·n1, where A, B
 * count the values of a and b below the bucket. The gap at each bucket's last
 * value is known exactly, so buckets whose bound cannot reach the best such gap
 * are skipped. Distinct exact gaps differ by at least 1/(n1 n2), far more than
 * double rounding, so the skipped values cannot tie SciPy's float maximum either.
 */
import { sortTaggedRange } from './ks-pooled-sort';
import { KsExtremes, type KsStatistic, scanPooled } from './ks-statistic';

/** Bucket count 2^bits, aiming at ~8 values per bucket within cache-friendly bounds. */
const MIN_BUCKET_BITS = 8;
const MAX_BUCKET_BITS = 16;
/** About this many values per sample set the bucket grid's range. */
const SAMPLED_PER_SIDE = 2048;
/** Give up (let the caller sort everything) when this share of values lands in candidate buckets. */
const MAX_CANDIDATE_SHARE = 0.25;
/** Gaps are exact integers only while n1·n2 stays well inside the doubles' 2^53. */
const MAX_EXACT_PRODUCT = 2 ** 51;

/** Candidate buckets in value order, with the counts of a and b below each. */
interface Plan {
  isCandidate: Uint8Array;
  /** Per bucket: next write position in the candidate arrays (candidate buckets only). */
  cursor: Uint32Array;
  segments: { from: number; to: number; i0: number; j0: number }[];
  total: number;
}

/**
 * The KS statistic of non-empty a and b (throws a RangeError on NaN), or undefined when
 * bucketing cannot help: constant or infinite range, heavily tied or skewed data, huge n1·n2.
 */
export function ksStatisticBucketed(a: ArrayLike<number>, b: ArrayLike<number>): KsStatistic | undefined {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 * n2 >= MAX_EXACT_PRODUCT) return undefined;
  // The bucket grid spans a subsample's range; values outside it clamp into the end buckets.
  const { lo, hi } = sampledRange(a, b);
  const width = hi - lo;
  if (!(width > 0 && Number.isFinite(width))) return undefined;
  const bits = Math.min(Math.max(Math.round(Math.log2((n1 + n2) / 8)), MIN_BUCKET_BITS), MAX_BUCKET_BITS);
  const buckets = 2 ** bits;
  const scale = buckets / width;
  const counts = new Uint32Array(2 * buckets); // [2k]: values of a in bucket k, [2k+1]: of b
  countInto(counts, a, 0, 'a', lo, scale, buckets);
  countInto(counts, b, 1, 'b', lo, scale, buckets);
  const plan = planCandidates(counts, n1, n2);
  if (plan.total > MAX_CANDIDATE_SHARE * (n1 + n2)) return undefined;
  const values = new Float64Array(plan.total);
  const fromA = new Uint8Array(plan.total);
  extractInto(values, fromA, a, 1, plan, lo, scale, buckets);
  extractInto(values, fromA, b, 0, plan, lo, scale, buckets);
  const scratch = new Float64Array(plan.total);
  const scratchTags = new Uint8Array(plan.total);
  const ext = new KsExtremes();
  for (const s of plan.segments) {
    sortTaggedRange(values, fromA, scratch, scratchTags, s.from, s.to);
    scanPooled(values, fromA, s.from, s.to, { i0: s.i0, j0: s.j0, n1, n2 }, ext);
  }
  return ext.result();
}

/**
 * Monotone map from value to bucket: equal values share a bucket and larger values never
 * land lower (IEEE subtraction and multiplication round monotonically; clamping keeps it so).
 */
function bucketOf(x: number, lo: number, scale: number, buckets: number): number {
  const y = (x - lo) * scale;
  if (y < buckets) return y > 0 ? y | 0 : 0;
  return buckets - 1;
}

/** Min and max of every SAMPLE_STRIDE-th value of both samples: a cheap grid for the buckets. */
function sampledRange(a: ArrayLike<number>, b: ArrayLike<number>): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const xs of [a, b]) {
    const stride = Math.max(1, Math.floor(xs.length / SAMPLED_PER_SIDE));
    for (let i = 0; i < xs.length; i += stride) {
      const x = xs[i] as number;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  return { lo, hi };
}

/** Counts values per bucket; also the one pass that looks at every value, so it rejects NaN. */
function countInto(
  counts: Uint32Array,
  xs: ArrayLike<number>,
  side: 0 | 1,
  name: string,
  lo: number,
  scale: number,
  buckets: number,
): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (x !== x) throw new RangeError(`ks2samp: ${name}[${i}] is NaN; samples must not contain NaN`);
    const slot = 2 * bucketOf(x, lo, scale, buckets) + side;
    counts[slot] = (counts[slot] as number) + 1;
  }
}

/** Marks the buckets whose gap bounds reach the best (or worst) end-of-bucket gap. */
function planCandidates(counts: Uint32Array, n1: number, n2: number): Plan {
  const buckets = counts.length / 2;
  let best = -Infinity;
  let worst = Infinity;
  let acc = 0; // running gap A·n2 - B·n1 at the end of each bucket
  for (let k = 0; k < buckets; k++) {
    const ak = counts[2 * k] as number;
    const bk = counts[2 * k + 1] as number;
    if (ak + bk === 0) continue;
    acc += ak * n2 - bk * n1;
    if (acc > best) best = acc;
    if (acc < worst) worst = acc;
  }
  const plan: Plan = { isCandidate: new Uint8Array(buckets), cursor: new Uint32Array(buckets), segments: [], total: 0 };
  let i0 = 0;
  let j0 = 0;
  for (let k = 0; k < buckets; k++) {
    const ak = counts[2 * k] as number;
    const bk = counts[2 * k + 1] as number;
    if (ak + bk === 0) continue;
    const before = i0 * n2 - j0 * n1;
    if (before + ak * n2 >= best || before - bk * n1 <= worst) {
      plan.isCandidate[k] = 1;
      plan.cursor[k] = plan.total;
      plan.segments.push({ from: plan.total, to: plan.total + ak + bk, i0, j0 });
      plan.total += ak + bk;
    }
    i0 += ak;
    j0 += bk;
  }
  return plan;
}

function extractInto(
  values: Float64Array,
  fromA: Uint8Array,
  xs: ArrayLike<number>,
  tag: 0 | 1,
  plan: Plan,
  lo: number,
  scale: number,
  buckets: number,
): void {
  const { isCandidate, cursor } = plan;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const k = bucketOf(x, lo, scale, buckets);
    if (isCandidate[k] === 1) {
      const at = cursor[k] as number;
      cursor[k] = at + 1;
      values[at] = x;
      fromA[at] = tag;
    }
  }
}
