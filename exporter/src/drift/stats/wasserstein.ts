import { pairwiseSum } from './pairwise-sum';
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
 * owns that guarantee), e.g. a window against a reference profile's sorted sample, without copying either.
 */
export function wassersteinSorted(sa: Float64Array, sb: Float64Array): number {
  if (sa.length === 0 || sb.length === 0) {
    throw new RangeError(`wassersteinSorted: needs at least 1 observation per sample, got ${sa.length} and ${sb.length}`);
  }
  const na = sa.length;
  const nb = sb.length;
  const total = na + nb;

  // Merge the two sorted samples instead of re-sorting the pooled values.
  const pooled = new Float64Array(total);
  for (let i = 0, j = 0, t = 0; t < total; t++) {
    if (j >= nb || (i < na && (sa[i] as number) <= (sb[j] as number))) pooled[t] = sa[i++] as number;
    else pooled[t] = sb[j++] as number;
  }

  // One term per gap between consecutive pooled values (zero-width gaps included), summed in NumPy's order.
  const terms = new Float64Array(total - 1);
  let ia = 0;
  let ib = 0;
  for (let t = 0; t < total - 1; t++) {
    const x = pooled[t] as number;
    // Right-continuous ECDFs: count every value <= x (searchsorted side='right').
    while (ia < na && (sa[ia] as number) <= x) ia++;
    while (ib < nb && (sb[ib] as number) <= x) ib++;
    terms[t] = Math.abs(ia / na - ib / nb) * ((pooled[t + 1] as number) - x);
  }
  return pairwiseSum(terms);
}
