import { cramerVonMisesExactPValue } from './cramer-von-mises-exact';
import { cramerVonMisesLimitCdf } from './cramer-von-mises-limit';
import { requireSampleSize, sortedSample } from './sorted-sample';

/** Largest sample size for which SciPy's method='auto' computes the exact null distribution. */
export const CVM_EXACT_MAX_SIZE = 20;
// Below this the limiting CDF is < 1.3e-18, so SciPy returns p = 1 without summing.
const TN_NEGLIGIBLE = 0.003;

/** Result of the two-sample Cramér–von Mises test. */
export interface CramerVonMisesResult {
  /** T = U / (n1 n2 N) - (4 n1 n2 - 1) / (6N) (Anderson 1962), >= 0. */
  statistic: number;
  /** P(T' >= T) under the null hypothesis that both samples come from one continuous distribution. */
  pvalue: number;
  /** How the p-value was computed: the exact permutation distribution or the limiting distribution. */
  method: 'exact' | 'asymptotic';
}

/**
 * Two-sample Cramér–von Mises test as `scipy.stats.cramervonmises_2samp(a, b, method='auto')` (SciPy 1.10): midranks
 * for ties, exact p-value when max(n1, n2) <= 20, asymptotic otherwise. Each sample needs >= 2 finite values.
 */
export function cramerVonMises2samp(a: ArrayLike<number>, b: ArrayLike<number>): CramerVonMisesResult {
  return cramerVonMises2sampSorted(
    sortedSample(a, 'cramerVonMises2samp(a)', 2),
    sortedSample(b, 'cramerVonMises2samp(b)', 2),
  );
}

/**
 * {@link cramerVonMises2samp} of two samples already sorted ascending and finite (unchecked: the caller owns
 * that guarantee), e.g. a window's sorted copy against a reference profile's sample, without copying or
 * sorting either; throws the same RangeError for a sample of fewer than 2 values.
 */
export function cramerVonMises2sampSorted(xa: Float64Array, ya: Float64Array): CramerVonMisesResult {
  requireSampleSize(xa, 'cramerVonMises2samp(a)', 2);
  requireSampleSize(ya, 'cramerVonMises2samp(b)', 2);
  const nx = xa.length;
  const ny = ya.length;
  const u = rankStatistic(xa, ya);
  const k = nx * ny;
  const N = nx + ny;
  const statistic = u / (k * N) - (4 * k - 1) / (6 * N);

  if (Math.max(nx, ny) <= CVM_EXACT_MAX_SIZE) {
    return { statistic, pvalue: cramerVonMisesExactPValue(u, nx, ny), method: 'exact' };
  }
  // Anderson (1962) eq. 11 and 14: mean and variance of T, then the normalisation of eq. 15.
  const et = (1 + 1 / N) / 6;
  const vt = ((N + 1) * (4 * k * N - 3 * (nx * nx + ny * ny) - 2 * k)) / (45 * N * N * 4 * k);
  const tn = 1 / 6 + (statistic - et) / Math.sqrt(45 * vt);
  const pvalue = tn < TN_NEGLIGIBLE ? 1 : Math.max(0, 1 - cramerVonMisesLimitCdf(tn));
  return { statistic, pvalue, method: 'asymptotic' };
}

// U = n1 Σ (r_i - i)² + n2 Σ (s_j - j)² over the pooled midranks r, s of the sorted samples (Anderson 1962, eq. 10).
// Midranks are half-integers, so the sums are exact (for N up to ~10^5) whatever order NumPy adds them in.
function rankStatistic(xa: Float64Array, ya: Float64Array): number {
  const nx = xa.length;
  const ny = ya.length;
  let sumX = 0;
  let sumY = 0;
  let i = 0;
  let j = 0;
  while (i < nx || j < ny) {
    const value = Math.min(i < nx ? (xa[i] as number) : Infinity, j < ny ? (ya[j] as number) : Infinity);
    let endX = i;
    while (endX < nx && xa[endX] === value) endX++;
    let endY = j;
    while (endY < ny && ya[endY] === value) endY++;
    // Average of the pooled ranks i + j + 1 … endX + endY that this tied group occupies.
    const midrank = (i + j + 1 + endX + endY) / 2;
    for (; i < endX; i++) sumX += (midrank - (i + 1)) ** 2;
    for (; j < endY; j++) sumY += (midrank - (j + 1)) ** 2;
  }
  return nx * sumX + ny * sumY;
}
