import { pairwiseSum } from './pairwise-sum';
import { requireNonNegative } from './sorted-sample';
import { chiSquareSf } from './special/chi-square-sf';

/** Result of a chi-square homogeneity test on a 2 × k table. */
export interface Chi2ContingencyResult {
  /** Pearson's X² (after Yates' correction when it applies). */
  statistic: number;
  /** P(χ²_dof >= statistic); 1 when dof = 0. */
  pvalue: number;
  /** Degrees of freedom, k - 1. */
  dof: number;
}

/** Options of {@link chi2Contingency}. */
export interface Chi2ContingencyOptions {
  /** Yates' continuity correction, applied only when dof = 1 (SciPy's default: true). */
  correction?: boolean;
}

/**
 * Chi-square test of homogeneity between reference and current category counts over the same k categories,
 * as `scipy.stats.chi2_contingency([ref, cur], correction)` (SciPy 1.10); throws RangeError when any expected
 * frequency is 0 (a category empty in both samples, or an empty sample).
 */
export function chi2Contingency(
  refCounts: ArrayLike<number>,
  curCounts: ArrayLike<number>,
  options: Chi2ContingencyOptions = { correction: true },
): Chi2ContingencyResult {
  const k = refCounts.length;
  if (curCounts.length !== k) {
    throw new RangeError(
      `chi2Contingency: refCounts and curCounts must have the same length (got ${k} and ${curCounts.length})`,
    );
  }
  if (k === 0) throw new RangeError('chi2Contingency: needs at least one category (got 0)');
  requireNonNegative(refCounts, 'chi2Contingency(refCounts)');
  requireNonNegative(curCounts, 'chi2Contingency(curCounts)');

  // Row-major 2 × k table, so sums run in the same order as NumPy's over the flattened array.
  const observed = new Float64Array(2 * k);
  for (let j = 0; j < k; j++) {
    observed[j] = refCounts[j] as number;
    observed[k + j] = curCounts[j] as number;
  }
  const refTotal = pairwiseSum(observed, 0, k);
  const curTotal = pairwiseSum(observed, k, k);
  const total = pairwiseSum(observed);
  const expected = new Float64Array(2 * k);
  for (let j = 0; j < k; j++) {
    const column = (observed[j] as number) + (observed[k + j] as number);
    expected[j] = (refTotal * column) / total;
    expected[k + j] = (curTotal * column) / total;
  }
  for (let cell = 0; cell < 2 * k; cell++) {
    // SciPy raises here too (an all-zero table gives NaN in SciPy; we treat it the same as any zero cell).
    if (!((expected[cell] as number) > 0)) {
      const where = `(${cell < k ? 0 : 1}, ${cell % k})`;
      throw new RangeError(
        `chi2Contingency: expected frequency is 0 at ${where}: ${describeZero(refTotal, curTotal, cell % k)}`,
      );
    }
  }

  const dof = k - 1;
  // One category: observed equals expected, nothing to test (SciPy returns 0 and 1 without computing).
  if (dof === 0) return { statistic: 0, pvalue: 1, dof };

  const yates = dof === 1 && (options.correction ?? true);
  const terms = new Float64Array(2 * k);
  for (let cell = 0; cell < 2 * k; cell++) {
    const e = expected[cell] as number;
    let o = observed[cell] as number;
    if (yates) {
      // Move O toward E by at most 0.5 and never past it (SciPy gh-13875).
      const diff = e - o;
      o = o + Math.min(0.5, Math.abs(diff)) * Math.sign(diff);
    }
    const d = o - e;
    terms[cell] = (d * d) / e;
  }
  const statistic = pairwiseSum(terms);
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof };
}

function describeZero(refTotal: number, curTotal: number, category: number): string {
  if (refTotal === 0 && curTotal === 0) return 'both samples are empty';
  if (refTotal === 0) return 'the reference sample is empty';
  if (curTotal === 0) return 'the current sample is empty';
  return `category ${category} has no observations in either sample; drop it before testing`;
}
