import { pairwiseSum } from './pairwise-sum';
import { evalQuadratic, fitQuadratic } from './quadratic-fit';
import { float64Scratch } from './scratch-array';
import { requireSampleSize, sortedSample } from './sorted-sample';

/** Significance levels that the critical values of {@link andersonKsamp} belong to, largest first. */
export const AD_SIGNIFICANCE_LEVELS: readonly number[] = Object.freeze([0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001]);

// Scholz & Stephens (1987), Table 2: critical value = b0 + b1/√m + b2/m with m = k - 1 = 1 for two samples.
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const M = 1;
const CRITICAL_VALUES: readonly number[] = Object.freeze(
  B0.map((b0, i) => b0 + (B1[i] as number) / Math.sqrt(M) + (B2[i] as number) / M),
);
// Quadratic least-squares fit of ln(significance) on the critical values, SciPy's interpolation rule.
const LOG_SIGNIFICANCE_FIT = fitQuadratic(CRITICAL_VALUES, AD_SIGNIFICANCE_LEVELS.map(Math.log));

/** Result of the two-sample Anderson–Darling test. */
export interface AndersonKsampResult {
  /** Normalised statistic (A²kN - (k-1)) / σ_N; can be negative. */
  statistic: number;
  /** Critical values for {@link AD_SIGNIFICANCE_LEVELS}, in the same order. */
  criticalValues: readonly number[];
  /** Approximate p-value, only meaningful within [0.001, 0.25]. */
  significanceLevel: number;
  /** Whether the significance level was interpolated or clipped to the ends of the table. */
  significanceStatus: 'capped_at_0.25' | 'floored_at_0.001' | 'interpolated';
}

/** Work arrays of {@link andersonKsampSorted} (pooled-size terms), reusable from call to call. */
export class AndersonScratch {
  readonly termsA = float64Scratch();
  readonly termsB = float64Scratch();
}

/**
 * Two-sample Anderson–Darling test as `scipy.stats.anderson_ksamp([a, b])` (SciPy 1.10, midrank=True); throws
 * RangeError for an empty sample, fewer than 4 values in total, or a pooled sample without two distinct values.
 */
export function andersonKsamp(a: ArrayLike<number>, b: ArrayLike<number>): AndersonKsampResult {
  return andersonKsampSorted(sortedSample(a, 'andersonKsamp(a)'), sortedSample(b, 'andersonKsamp(b)'));
}

/**
 * {@link andersonKsamp} of two samples already sorted ascending and finite (unchecked: the caller owns that
 * guarantee), e.g. a window's sorted copy against a reference profile's sample, without copying or sorting
 * either; work arrays come from `scratch` (fresh ones by default). Throws the same RangeErrors.
 */
export function andersonKsampSorted(
  sa: Float64Array,
  sb: Float64Array,
  scratch = new AndersonScratch(),
): AndersonKsampResult {
  requireSampleSize(sa, 'andersonKsamp(a)', 1);
  requireSampleSize(sb, 'andersonKsamp(b)', 1);
  const N = sa.length + sb.length;
  // The variance formula divides by (N-1)(N-2)(N-3); SciPy returns NaN at N = 3.
  if (N < 4) throw new RangeError(`andersonKsamp: needs at least 4 observations in total (got ${N})`);
  if ((sa[0] as number) === (sa[sa.length - 1] as number) && sa[0] === sb[0] && sb[0] === sb[sb.length - 1]) {
    throw new RangeError('andersonKsamp: needs at least two distinct values in the pooled sample');
  }

  const a2kn = midrankA2kN(sa, sb, scratch);
  // The terms are summed by now, so their array holds the variance's running sums next.
  const statistic = (a2kn - M) / Math.sqrt(nullVariance(N, [sa.length, sb.length], scratch.termsA.take(N - 2)));
  const low = CRITICAL_VALUES[0] as number;
  const high = CRITICAL_VALUES[CRITICAL_VALUES.length - 1] as number;
  if (statistic < low)
    return {
      statistic,
      criticalValues: CRITICAL_VALUES,
      significanceLevel: 0.25,
      significanceStatus: 'capped_at_0.25',
    };
  if (statistic > high)
    return {
      statistic,
      criticalValues: CRITICAL_VALUES,
      significanceLevel: 0.001,
      significanceStatus: 'floored_at_0.001',
    };
  const significanceLevel = Math.exp(evalQuadratic(LOG_SIGNIFICANCE_FIT, statistic));
  return { statistic, criticalValues: CRITICAL_VALUES, significanceLevel, significanceStatus: 'interpolated' };
}

// A²akN of Scholz & Stephens (1987), eq. 7 (midranks for ties), for two sorted samples, in SciPy's operation order.
function midrankA2kN(sa: Float64Array, sb: Float64Array, scratch: AndersonScratch): number {
  const na = sa.length;
  const nb = sb.length;
  const N = na + nb;
  const innerA = scratch.termsA.take(N);
  const innerB = scratch.termsB.take(N);
  let distinct = 0;
  let ia = 0;
  let ib = 0;
  while (ia < na || ib < nb) {
    const z = Math.min(ia < na ? (sa[ia] as number) : Infinity, ib < nb ? (sb[ib] as number) : Infinity);
    let endA = ia;
    while (endA < na && sa[endA] === z) endA++;
    let endB = ib;
    while (endB < nb && sb[endB] === z) endB++;
    const fa = endA - ia;
    const fb = endB - ib;
    const lj = fa + fb;
    const bj = ia + ib + lj / 2;
    const denominator = bj * (N - bj) - (N * lj) / 4;
    const mA = endA - fa / 2;
    const mB = endB - fb / 2;
    innerA[distinct] = ((lj / N) * (N * mA - bj * na) ** 2) / denominator;
    innerB[distinct] = ((lj / N) * (N * mB - bj * nb) ** 2) / denominator;
    distinct++;
    ia = endA;
    ib = endB;
  }
  let a2 = 0;
  a2 += pairwiseSum(innerA, 0, distinct) / na;
  a2 += pairwiseSum(innerB, 0, distinct) / nb;
  return a2 * ((N - 1) / N);
}

// σ²_N of A²kN under the null hypothesis (Scholz & Stephens 1987, eq. 4), written as SciPy writes it; `running` has N - 2 places.
function nullVariance(N: number, sizes: readonly number[], running: Float64Array): number {
  const k = sizes.length;
  const H = pairwiseSum(sizes.map((n) => 1 / n));
  // h = Σ_{i=1}^{N-1} 1/i and g = Σ_{i=1}^{N-2} Σ_{j=i+1}^{N-1} 1/((N-i) j), via the running sums of 1/(N-1) … 1/2.
  let acc = 0;
  for (let i = 0; i < N - 2; i++) {
    acc += 1 / (N - 1 - i);
    running[i] = acc;
  }
  const h = (running[N - 3] as number) + 1;
  for (let i = 0; i < N - 2; i++) running[i] = (running[i] as number) / (i + 2);
  const g = pairwiseSum(running);

  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  return (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
}
