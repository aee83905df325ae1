import { pairwiseSum } from './pairwise-sum';
import type { ScratchArray } from './scratch-array';
import { sortedSample } from './sorted-sample';

/**
 * First Wasserstein (earth mover's) distance ∫ |F_a(x) - F_b(x)| dx between the empirical distributions of two
 * non-empty finite samples, in the samples' units (unnormalised), as `scipy.stats.wasserstein_distance(a, b)`.
 */
export function wasserstein(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return wassersteinSorted(sortedSample(a, 'wasserstein(a)'), sortedSample(b, 'wasserstein(b)'));
}

/**
 * {@link wasserstein} of two non-empty samples already sorted ascending and finite (unchecked: the caller
 * owns that guarantee), e.g. a window against a reference profile's sorted sample, without copying either;
 * the per-gap terms go into `terms` when given, else into a new array.
 */
export function wassersteinSorted(sa: Float64Array, sb: Float64Array, terms?: ScratchArray<Float64Array>): number {
  if (sa.length === 0 || sb.length === 0) {
    throw new RangeError(
      `wassersteinSorted: needs at least 1 observation per sample, got ${sa.length} and ${sb.length}`,
    );
  }
  const na = sa.length;
  const nb = sb.length;
  const total = na + nb;

  // One merge pass. Before taking the next pooled value, i and j count the values of a and b taken so far:
  // when the next value is larger than x they are #a <= x and #b <= x (right-continuous ECDFs); when it is
  // equal the gap has zero width and the term is 0 whatever the counts. One term per gap, in NumPy's order.
  const gaps = terms?.take(total - 1) ?? new Float64Array(total - 1);
  let i = 0;
  let j = 0;
  let x = 0;
  for (let t = 0; t < total; t++) {
    const gap = i / na - j / nb;
    const next =
      j >= nb || (i < na && (sa[i] as number) <= (sb[j] as number)) ? (sa[i++] as number) : (sb[j++] as number);
    // |gap| without Math.abs: the same value (gap is never -0), and no global lookup in the hot loop.
    if (t > 0) gaps[t - 1] = (gap < 0 ? -gap : gap) * (next - x);
    x = next;
  }
  return pairwiseSum(gaps);
}
