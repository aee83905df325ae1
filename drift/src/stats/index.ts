/**
 * Drift statistics that match SciPy 1.10.1: pure functions on plain or typed arrays
 * (samples) and count arrays. See docs/statistics.md for what each one measures.
 */
export {
  ks2samp,
  ks2sampIndexed,
  ks2sampPresorted,
  type Ks2sampIndexedOptions,
  type Ks2sampOptions,
  type Ks2sampPresortedResult,
  type Ks2sampResult,
  type KsMethod,
} from './ks2samp';
export { ksStatisticPresorted } from './ks-statistic';
export { KsScratch, indexKsReference, ksStatisticIndexed, type KsReferenceIndex } from './ks-indexed';
export { PooledSortScratch } from './ks-pooled-sort';
export { ScratchArray, float64Scratch } from './scratch-array';
export { kstwoSf } from './kstwo';
export { roundHalfEven } from './round-half-even';
export { chi2Contingency } from './chi2-contingency';
export {
  DECILE_PROBS,
  PSI_EPSILON,
  binCounts,
  proportionsWithEpsilon,
  psi,
  psiFromCounts,
  quantileEdges,
  sampleQuantiles,
} from './psi';
export { jensenShannon } from './jensen-shannon';
export { wasserstein, wassersteinSorted } from './wasserstein';
export { cramerVonMises2samp, cramerVonMises2sampSorted } from './cramer-von-mises';
export { AD_SIGNIFICANCE_LEVELS, AndersonScratch, andersonKsamp, andersonKsampSorted } from './anderson-darling';
export { benjaminiHochberg, bonferroni } from './multiple-testing';
