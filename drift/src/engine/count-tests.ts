/**
 * Tests on counts over the same categories or bins: chi-square homogeneity, PSI and the
 * Jensen–Shannon distance. Categorical features bring category counts (`__other__` included:
 * a new category is itself drift); numeric features bring counts over the reference deciles.
 */
import { chi2Contingency, jensenShannon, psiFromCounts } from '../stats';
import type { TestResult } from './test-result';

/**
 * Chi-square homogeneity of window counts against reference counts; cells empty on both sides are
 * dropped (they carry no information and would make an expected count 0). The effect size is the
 * total variation distance between the two sets of shares.
 */
export function chi2Test(reference: Float64Array, window: Float64Array): TestResult {
  const { ref, cur } = dropEmptyCells(reference, window);
  const { statistic, pvalue } = chi2Contingency(ref, cur);
  return { test: 'chi2', statistic, pvalue, effectSize: totalVariation(reference, window) };
}

/** Population Stability Index (1e-4 stands in for an empty share); the effect size is the index. */
export function psiTest(reference: Float64Array, window: Float64Array): TestResult {
  const score = psiFromCounts(reference, window);
  return { test: 'psi', statistic: score, pvalue: null, effectSize: score };
}

/** Base-2 Jensen–Shannon distance in [0, 1]; the effect size is the distance. */
export function jensenShannonTest(reference: Float64Array, window: Float64Array): TestResult {
  const distance = jensenShannon(reference, window);
  return { test: 'jensenshannon', statistic: distance, pvalue: null, effectSize: distance };
}

/** Half the L1 distance between the shares: the largest difference in probability any set of cells can show. */
export function totalVariation(reference: ArrayLike<number>, window: ArrayLike<number>): number {
  const refTotal = sum(reference);
  const curTotal = sum(window);
  let l1 = 0;
  for (let i = 0; i < reference.length; i++)
    l1 += Math.abs((reference[i] as number) / refTotal - (window[i] as number) / curTotal);
  return l1 / 2;
}

function dropEmptyCells(reference: Float64Array, window: Float64Array): { ref: number[]; cur: number[] } {
  const ref: number[] = [];
  const cur: number[] = [];
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] as number;
    const c = window[i] as number;
    if (r + c > 0) {
      ref.push(r);
      cur.push(c);
    }
  }
  return { ref, cur };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i] as number;
  return total;
}
