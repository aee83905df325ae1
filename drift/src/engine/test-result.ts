import type { DriftTestName } from '../../../spec/src/drift-tests';

/** What one drift test says about one feature's window, before any verdict (correction, floor, threshold). */
export interface TestResult {
  readonly test: DriftTestName;
  /** The test's statistic: KS D, X², the CvM T, the normalised AD statistic, or the distance itself. */
  readonly statistic: number;
  /** P-value of ks / chi2 / cvm, AD's capped significance level (0.001 … 0.25); null for distance tests. */
  readonly pvalue: number | null;
  /** The size of the shift, whatever the test: KS D (ks, cvm, anderson), total variation distance of shares (chi2), the distance (psi, jensenshannon, wasserstein). */
  readonly effectSize: number;
}
