import { FLEET_BIN_COUNT } from '../../../spec/src/conventions';
import { orderStatistics } from './order-statistics';
import { pairwiseSum } from './pairwise-sum';
import { requireNonNegative } from './sorted-sample';

/** Proportion that stands in for an empty bin so that PSI stays finite. */
export const PSI_EPSILON = 1e-4;

/**
 * The reference deciles' probabilities 0.1 … 0.9, as the doubles k/10 (NumPy's `np.arange(1, 10) / 10`):
 * the edges that cut the line into the fleet's FLEET_BIN_COUNT bins, so they are derived from it.
 */
export const DECILE_PROBS: readonly number[] = Object.freeze(
  Array.from({ length: FLEET_BIN_COUNT - 1 }, (_, i) => (i + 1) / FLEET_BIN_COUNT),
);

/**
 * Quantiles of an ascending-sorted, finite, non-empty sample at `probs` (each in [0, 1]), bit-identical to
 * NumPy's default `np.quantile(x, probs, method='linear')` (Hyndman & Fan type 7).
 */
export function quantileEdges(sortedRef: ArrayLike<number>, probs: ArrayLike<number> = DECILE_PROBS): Float64Array {
  const n = checkSample(sortedRef, 'quantileEdges', true);
  return interpolateQuantiles(n, probs, (rank) => sortedRef[rank] as number);
}

/**
 * The same quantiles as {@link quantileEdges} for an unsorted sample: only the order statistics the
 * interpolation needs are selected (as NumPy partitions rather than sorts), so no full sort is paid.
 */
export function sampleQuantiles(values: ArrayLike<number>, probs: ArrayLike<number> = DECILE_PROBS): Float64Array {
  const n = checkSample(values, 'sampleQuantiles', false);
  const ranks: number[] = [];
  for (let k = 0; k < probs.length; k++) {
    const lo = Math.min(Math.floor((n - 1) * (probs[k] as number)), n - 1);
    if (lo >= 0) ranks.push(lo, Math.min(lo + 1, n - 1));
  }
  const selected = orderStatistics(values, ranks);
  const byRank = new Map<number, number>();
  ranks.forEach((rank, i) => byRank.set(rank, selected[i] as number));
  return interpolateQuantiles(n, probs, (rank) => byRank.get(rank) as number);
}

function checkSample(values: ArrayLike<number>, where: string, mustBeSorted: boolean): number {
  const n = values.length;
  if (n === 0) throw new RangeError(`${where}: the reference sample is empty`);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`${where}: value at index ${i} is not a finite number (got ${v})`);
    if (mustBeSorted && i > 0 && v < (values[i - 1] as number))
      throw new RangeError(`${where}: sortedRef is not sorted ascending at index ${i}`);
  }
  return n;
}

/** NumPy's linear interpolation between the order statistics at floor(h) and floor(h)+1, h = (n-1)q. */
function interpolateQuantiles(
  n: number,
  probs: ArrayLike<number>,
  valueAtRank: (rank: number) => number,
): Float64Array {
  const edges = new Float64Array(probs.length);
  for (let k = 0; k < probs.length; k++) {
    const q = probs[k] as number;
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantileEdges: probs[${k}] must be in [0, 1] (got ${q})`);
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    // At or past the last index NumPy clamps both neighbours to the last value.
    if (lo >= n - 1) {
      edges[k] = valueAtRank(n - 1);
      continue;
    }
    const t = h - lo;
    const below = valueAtRank(lo);
    const above = valueAtRank(lo + 1);
    const diff = above - below;
    // NumPy's _lerp interpolates from whichever end is nearer, which keeps the result monotone in t.
    edges[k] = t < 0.5 ? below + diff * t : above - diff * (1 - t);
  }
  return edges;
}

/**
 * Counts values into the bins delimited by ascending `edges` (outer edges ±∞): bin i is [e_{i-1}, e_i), so a value
 * equal to an edge goes to the bin above it (`np.searchsorted(edges, x, side='right')`); returns edges.length + 1 counts.
 */
export function binCounts(edges: ArrayLike<number>, values: ArrayLike<number>): Uint32Array {
  const m = edges.length;
  const bounds = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const e = edges[i] as number;
    if (Number.isNaN(e)) throw new RangeError(`binCounts: edge ${i} is NaN`);
    if (i > 0 && e < (bounds[i - 1] as number))
      throw new RangeError(`binCounts: edges are not sorted ascending at index ${i}`);
    bounds[i] = e;
  }
  // One element type in the hot loop: plain arrays are copied once rather than read polymorphically.
  const xs = values instanceof Float64Array ? values : Float64Array.from(values);
  const counts = new Uint32Array(m + 1);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    if (x !== x) throw new RangeError(`binCounts: value at index ${i} is NaN`);
    // Binary search for the number of edges <= x (equal edges are skipped, which is side='right').
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((bounds[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return counts;
}

/**
 * Turns bin or category counts into proportions count / total, replacing every proportion that is exactly 0 by
 * {@link PSI_EPSILON} without renormalising; throws RangeError when the counts are empty or sum to 0.
 */
export function proportionsWithEpsilon(counts: ArrayLike<number>): Float64Array {
  requireNonNegative(counts, 'proportionsWithEpsilon(counts)');
  if (counts.length === 0) throw new RangeError('proportionsWithEpsilon: counts are empty');
  const total = pairwiseSum(counts);
  if (!(total > 0)) throw new RangeError('proportionsWithEpsilon: counts sum to 0 (empty sample)');
  const props = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const p = (counts[i] as number) / total;
    props[i] = p === 0 ? PSI_EPSILON : p;
  }
  return props;
}

/**
 * Population Stability Index Σ (cur_i - ref_i) · ln(cur_i / ref_i) (natural log) between two proportion vectors of
 * the same length; exact zeros are replaced by {@link PSI_EPSILON} first. 0 means identical distributions.
 */
export function psi(refProps: ArrayLike<number>, curProps: ArrayLike<number>): number {
  const k = refProps.length;
  if (curProps.length !== k)
    throw new RangeError(`psi: refProps and curProps must have the same length (got ${k} and ${curProps.length})`);
  if (k === 0) throw new RangeError('psi: needs at least one bin (got 0)');
  requireNonNegative(refProps, 'psi(refProps)');
  requireNonNegative(curProps, 'psi(curProps)');
  const terms = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const r = epsilonIfZero(refProps[i] as number);
    const c = epsilonIfZero(curProps[i] as number);
    terms[i] = (c - r) * Math.log(c / r);
  }
  return pairwiseSum(terms);
}

/** PSI straight from bin or category counts: {@link psi} of {@link proportionsWithEpsilon} of each side. */
export function psiFromCounts(refCounts: ArrayLike<number>, curCounts: ArrayLike<number>): number {
  return psi(proportionsWithEpsilon(refCounts), proportionsWithEpsilon(curCounts));
}

function epsilonIfZero(p: number): number {
  return p === 0 ? PSI_EPSILON : p;
}
