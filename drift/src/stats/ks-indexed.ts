/**
 * The KS statistic of many windows against one sorted reference, without sorting the windows:
 * the reference is indexed once by a grid of value buckets; each window is counted into the
 * same buckets, the ECDF gap is bounded per bucket from the counts alone (as in ks-bucketed.ts,
 * in exact integer units of 1/(n1 n2)), and only the window values in the few buckets that can
 * hold the largest gap are sorted and walked against their slice of the reference.
 */
import { PooledSortScratch } from './ks-pooled-sort';
import { sortAscending } from './ks-sort';
import { float64Scratch, int32Scratch, uint32Scratch } from './scratch-array';

/** A sorted reference sample with its bucket grid; build it once with {@link indexKsReference}. */
export interface KsReferenceIndex {
  /** The reference, ascending and NaN-free. */
  readonly sorted: Float64Array;
  /** Left end of the grid and buckets per unit of value; 0 buckets when the reference has no spread. */
  readonly lo: number;
  readonly scale: number;
  readonly buckets: number;
  /** start[k] = index of the first reference value in bucket k or above; start[buckets] = n. */
  readonly start: Uint32Array;
}

/** The work arrays of {@link ksStatisticIndexed}, sized by the largest window and grid seen, reused from call to call. */
export class KsScratch {
  readonly bucketCounts = uint32Scratch();
  readonly segmentOf = int32Scratch();
  readonly candidates = float64Scratch();
  readonly cursor = int32Scratch();
  /** For the whole-window sort when bucketing cannot narrow the window down. */
  readonly sort = new PooledSortScratch();
}

/** About this many reference values per bucket, within cache-friendly bounds. */
const VALUES_PER_BUCKET = 8;
const MIN_BUCKETS = 256;
const MAX_BUCKETS = 65_536;
/** Fall back to sorting the whole window when this share of it lands in candidate buckets. */
const MAX_CANDIDATE_SHARE = 0.25;
/** Gaps are exact integers only while n1·n2 stays well inside the doubles' 2^53. */
const MAX_EXACT_PRODUCT = 2 ** 51;

/** Indexes an ascending, NaN-free, non-empty reference (unchecked: the caller owns that guarantee). */
export function indexKsReference(sorted: Float64Array): KsReferenceIndex {
  const n = sorted.length;
  const lo = sorted[0] as number;
  const width = (sorted[n - 1] as number) - lo;
  if (!(width > 0 && Number.isFinite(width))) return { sorted, lo, scale: 0, buckets: 0, start: new Uint32Array(0) };
  const buckets = Math.min(Math.max(2 ** Math.round(Math.log2(n / VALUES_PER_BUCKET)), MIN_BUCKETS), MAX_BUCKETS);
  const scale = buckets / width;
  const start = new Uint32Array(buckets + 1);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const b = bucketOf(sorted[i] as number, lo, scale, buckets);
    while (k <= b) start[k++] = i;
  }
  while (k <= buckets) start[k++] = n;
  return { sorted, lo, scale, buckets, start };
}

/**
 * max |F_window - F_reference| for a non-empty, NaN-free window in any order: the same double as
 * ksStatisticSorted on the sorted window, which is what it falls back to when bucketing cannot help.
 * Work arrays come from `scratch` (fresh ones by default); the result does not depend on their history.
 */
export function ksStatisticIndexed(window: Float64Array, index: KsReferenceIndex, scratch = new KsScratch()): number {
  const n1 = window.length;
  const n2 = index.sorted.length;
  const sortedWindow = (): Float64Array => sortAscending(window, scratch.sort);
  if (index.buckets === 0 || n1 * n2 >= MAX_EXACT_PRODUCT)
    return walk(sortedWindow(), index.sorted, 0, n1, 0, n2, { n1, n2 });
  const counts = scratch.bucketCounts.zeroed(index.buckets);
  for (let i = 0; i < n1; i++) {
    const k = bucketOf(window[i] as number, index.lo, index.scale, index.buckets);
    counts[k] = (counts[k] as number) + 1;
  }
  const plan = planCandidates(counts, index.start, n1, n2, scratch.segmentOf.zeroed(index.buckets));
  if (plan.total > MAX_CANDIDATE_SHARE * n1) return walk(sortedWindow(), index.sorted, 0, n1, 0, n2, { n1, n2 });
  const values = extractCandidates(window, index, plan, scratch);
  let best = 0;
  for (const s of plan.segments) {
    const segment = values.subarray(s.from, s.to).sort();
    best = Math.max(best, walk(segment, index.sorted, s.i0, s.i0 + (s.to - s.from), s.j0, s.j1, { n1, n2 }));
  }
  return best;
}

/** Monotone value → bucket map: equal values share a bucket, larger values never land lower, outliers clamp to the ends. */
function bucketOf(x: number, lo: number, scale: number, buckets: number): number {
  const y = (x - lo) * scale;
  if (y < buckets) return y > 0 ? y | 0 : 0;
  return buckets - 1;
}

/** A candidate bucket: its window values go to values[from, to); i0 window and j0 reference values lie below it, j1 up to its end. */
interface Segment {
  from: number;
  to: number;
  i0: number;
  j0: number;
  j1: number;
}

interface Plan {
  segments: Segment[];
  /** Per bucket: the segment index + 1 of a candidate bucket, 0 otherwise. */
  segmentOf: Int32Array;
  total: number;
}

/** Marks the buckets whose gap bounds reach the best (or worst) end-of-bucket gap, in units of 1/(n1 n2), in `segmentOf` (zeros on entry). */
function planCandidates(counts: Uint32Array, start: Uint32Array, n1: number, n2: number, segmentOf: Int32Array): Plan {
  const buckets = counts.length;
  let best = 0;
  let worst = 0;
  let a = 0;
  for (let k = 0; k < buckets; k++) {
    a += counts[k] as number;
    const gap = a * n2 - (start[k + 1] as number) * n1;
    if (gap > best) best = gap;
    if (gap < worst) worst = gap;
  }
  const plan: Plan = { segments: [], segmentOf, total: 0 };
  let i0 = 0;
  for (let k = 0; k < buckets; k++) {
    const ak = counts[k] as number;
    const j0 = start[k] as number;
    const j1 = start[k + 1] as number;
    const before = i0 * n2 - j0 * n1;
    // Inside bucket k the gap stays within [before - (j1 - j0)·n1, before + ak·n2].
    if (ak + j1 - j0 > 0 && (before + ak * n2 >= best || before - (j1 - j0) * n1 <= worst)) {
      plan.segments.push({ from: plan.total, to: plan.total + ak, i0, j0, j1 });
      plan.segmentOf[k] = plan.segments.length;
      plan.total += ak;
    }
    i0 += ak;
  }
  return plan;
}

/** The window values of the candidate buckets, grouped by segment. */
function extractCandidates(
  window: Float64Array,
  index: KsReferenceIndex,
  plan: Plan,
  scratch: KsScratch,
): Float64Array {
  const values = scratch.candidates.take(plan.total);
  const cursor = scratch.cursor.take(plan.segments.length);
  plan.segments.forEach((s, i) => (cursor[i] = s.from));
  for (let i = 0; i < window.length; i++) {
    const x = window[i] as number;
    const s = plan.segmentOf[bucketOf(x, index.lo, index.scale, index.buckets)] as number;
    if (s !== 0) {
      const at = cursor[s - 1] as number;
      cursor[s - 1] = at + 1;
      values[at] = x;
    }
  }
  return values;
}

/**
 * The largest gap over a sorted run a[i0, i1) of window values (given as `a` from index 0) against
 * reference values b[j0, j1), with i0 window and j0 reference values below the run: at each distinct
 * window value, just below it, and at the run's end (as ksStatisticPresorted does for whole samples).
 */
function walk(
  a: Float64Array,
  b: Float64Array,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  sizes: { n1: number; n2: number },
): number {
  const { n1, n2 } = sizes;
  let best = 0;
  let p = 0;
  let i = i0;
  let j = j0;
  while (i < i1) {
    const v = a[p] as number;
    while (j < j1 && (b[j] as number) < v) j++;
    const below = j / n2 - i / n1;
    if (below > best) best = below;
    do {
      i++;
      p++;
    } while (i < i1 && a[p] === v);
    while (j < j1 && b[j] === v) j++;
    const at = i / n1 - j / n2;
    if (at > best) best = at;
  }
  // Reference values after the run's last window value: F_b - F_a peaks at the end of the run.
  const end = j1 / n2 - i1 / n1;
  return end > best ? end : best;
}
