/**
 * Runs one drift test for one feature: sample tests on the window's values, count tests on
 * category counts or, for a numeric feature, on counts over the reference's decile bins.
 */
import {
  DRIFT_TEST_KINDS,
  isSampleTest,
  type CountTestName,
  type DriftTestName,
  type SampleTestName,
} from '../../../spec/src/drift-tests';
import { binCounts } from '../stats';
import { chi2Test, jensenShannonTest, psiTest } from './count-tests';
import { EvaluationScratch } from './evaluation-scratch';
import type { NumericReference, PreparedReference } from './prepared-reference';
import { andersonTest, cvmTest, ksTest, wassersteinTest } from './sample-tests';
import type { TestResult } from './test-result';

/** A feature's window as the tests take it: present numeric values (any order), or counts in the reference's code order. */
export type FeatureWindow =
  | { readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly kind: 'categorical'; readonly counts: Float64Array };

type SampleTest = (window: Float64Array, reference: NumericReference, scratch: EvaluationScratch) => TestResult;
type CountTest = (reference: Float64Array, window: Float64Array) => TestResult;

// Keyed by the kinds in spec's DRIFT_TEST_KINDS: a test in the wrong table does not compile.
const SAMPLE_TESTS: Readonly<Record<SampleTestName, SampleTest>> = {
  ks: ksTest,
  cvm: cvmTest,
  anderson: andersonTest,
  wasserstein: wassersteinTest,
};

const COUNT_TESTS: Readonly<Record<CountTestName, CountTest>> = {
  chi2: chi2Test,
  psi: psiTest,
  jensenshannon: jensenShannonTest,
};

/**
 * The result of `test` on a window against its prepared reference, with work arrays from `scratch`
 * (fresh ones by default); throws a RangeError when the test cannot apply (a sample test on categories,
 * mismatched kinds) or the statistic rejects the data.
 */
export function runFeatureTest(
  test: DriftTestName,
  reference: PreparedReference,
  window: FeatureWindow,
  scratch = new EvaluationScratch(),
): TestResult {
  if (!Object.hasOwn(DRIFT_TEST_KINDS, test)) throw new RangeError(`unknown drift test ${JSON.stringify(test)}`);
  if (isSampleTest(test)) {
    if (reference.kind !== 'numeric' || window.kind !== 'numeric')
      throw new RangeError(`drift test "${test}" needs numeric values`);
    return SAMPLE_TESTS[test](window.values, reference, scratch);
  }
  const countTest = COUNT_TESTS[test];
  if (reference.kind === 'numeric' && window.kind === 'numeric') {
    return countTest(reference.binCounts, Float64Array.from(binCounts(reference.edges, window.values)));
  }
  if (reference.kind === 'categorical' && window.kind === 'categorical')
    return countTest(reference.counts, window.counts);
  throw new RangeError(
    `drift test "${test}": a ${reference.kind} reference cannot be compared with a ${window.kind} window`,
  );
}
