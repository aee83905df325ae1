/**
 * Tests that compare the window's raw numeric values (non-missing, in window order) with the
 * reference's sorted sample: KS, Cramér–von Mises, Anderson–Darling and the normalised
 * Wasserstein distance. KS and the KS effect sizes use the reference's bucket index, so a window
 * is never fully sorted for them; the others sort a copy of the window, never the reference.
 */
import {
  andersonKsampSorted,
  cramerVonMises2sampSorted,
  ks2sampIndexed,
  ksStatisticIndexed,
  wassersteinSorted,
} from '../stats';
import type { EvaluationScratch } from './evaluation-scratch';
import type { NumericReference } from './prepared-reference';
import type { TestResult } from './test-result';
import { checkedSortedCopy, sortedCopy } from './window-columns';

/**
 * The exact KS p-value costs about 2·D·n1·n2 steps; above this product the asymptotic one (the exact
 * one-sample distribution at the effective n, within about 1% of it there) is used instead. A reference
 * kept as a subsample always takes the asymptotic one (the exact one needs the whole reference).
 */
export const KS_EXACT_MAX_PRODUCT = 1_000_000;

/**
 * Scale for the Wasserstein distance when the reference is constant (std 0), Evidently's floor; with any
 * spread at all the distance is in reference standard deviations.
 */
export const WASSERSTEIN_ZERO_STD_SCALE = 0.001;

/**
 * Two-sample KS of the window against the reference sample; the effect size is D itself. The p-value is
 * taken at the reference's full size (its count): when the profile keeps a subsample, D is within
 * 1/(2·sample size) of D against the whole reference, and the p-value is that of the whole reference,
 * not a weaker one that would depend on how many values the profile happens to keep.
 */
export function ksTest(window: Float64Array, reference: NumericReference, scratch: EvaluationScratch): TestResult {
  const whole = reference.count === reference.sorted.length;
  const method = whole && window.length * reference.sorted.length <= KS_EXACT_MAX_PRODUCT ? 'exact' : 'asymp';
  const { statistic, pvalue } = ks2sampIndexed(
    window,
    reference.ksIndex,
    { method, referenceSize: reference.count },
    scratch.ks,
  );
  return { test: 'ks', statistic, pvalue, effectSize: statistic };
}

/**
 * Cramér–von Mises (more power than KS for spread-out changes), on a sorted copy of the window against the
 * reference sample, which is sorted already; the effect size is KS D.
 */
export function cvmTest(window: Float64Array, reference: NumericReference, scratch: EvaluationScratch): TestResult {
  const sortedWindow = checkedSortedCopy(window, 'cramerVonMises2samp(a)', 2, scratch.sort);
  const { statistic, pvalue } = cramerVonMises2sampSorted(sortedWindow, reference.sorted);
  return { test: 'cvm', statistic, pvalue, effectSize: ksStatisticIndexed(window, reference.ksIndex, scratch.ks) };
}

/**
 * Anderson–Darling (weights the tails), on a sorted copy of the window against the sorted reference sample;
 * its significance level is capped to [0.001, 0.25] and stands in for the p-value, so it can only ever
 * reach 0.001. The effect size is KS D.
 */
export function andersonTest(
  window: Float64Array,
  reference: NumericReference,
  scratch: EvaluationScratch,
): TestResult {
  const sortedWindow = checkedSortedCopy(window, 'andersonKsamp(a)', 1, scratch.sort);
  const { statistic, significanceLevel } = andersonKsampSorted(sortedWindow, reference.sorted, scratch.anderson);
  return {
    test: 'anderson',
    statistic,
    pvalue: significanceLevel,
    effectSize: ksStatisticIndexed(window, reference.ksIndex, scratch.ks),
  };
}

/** Wasserstein distance divided by the reference std, so one threshold fits features of any unit. */
export function wassersteinTest(
  window: Float64Array,
  reference: NumericReference,
  scratch: EvaluationScratch,
): TestResult {
  const scale = reference.std > 0 ? reference.std : WASSERSTEIN_ZERO_STD_SCALE;
  const distance = wassersteinSorted(sortedCopy(window, scratch.sort), reference.sorted, scratch.terms) / scale;
  return { test: 'wasserstein', statistic: distance, pvalue: null, effectSize: distance };
}
