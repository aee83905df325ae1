/**
 * The drift tests a feature can use, and the one table that says what kind each is: every other
 * module (spec validation, the engine's dispatch, verdicts, the monitor's gauges) reads it from here.
 */

/** Drift tests a feature can use; `auto` picks one by type, cardinality and reference size. */
export const DRIFT_TESTS = ['ks', 'chi2', 'psi', 'jensenshannon', 'wasserstein', 'cvm', 'anderson'] as const;
export type DriftTestName = (typeof DRIFT_TESTS)[number];
export type DriftTestChoice = DriftTestName | 'auto';

/** What a drift test answers with and what it reads. */
export interface DriftTestDescriptor {
  /** `pvalue`: enters the multiple-testing correction; `distance`: drifts when it reaches a threshold. */
  readonly answer: 'pvalue' | 'distance';
  /**
   * `sample`: compares raw numeric values, so it needs a numeric feature (categories have no order or
   * distance); `counts`: compares counts over categories, or over the reference's bins of a numeric feature.
   */
  readonly input: 'sample' | 'counts';
}

/** The kind of every drift test, stated once. */
export const DRIFT_TEST_KINDS = {
  ks: { answer: 'pvalue', input: 'sample' },
  chi2: { answer: 'pvalue', input: 'counts' },
  psi: { answer: 'distance', input: 'counts' },
  jensenshannon: { answer: 'distance', input: 'counts' },
  wasserstein: { answer: 'distance', input: 'sample' },
  cvm: { answer: 'pvalue', input: 'sample' },
  anderson: { answer: 'pvalue', input: 'sample' },
} as const satisfies Record<DriftTestName, DriftTestDescriptor>;

type Kinds = typeof DRIFT_TEST_KINDS;
/** Tests that compare raw numeric samples. */
export type SampleTestName = { [T in DriftTestName]: Kinds[T]['input'] extends 'sample' ? T : never }[DriftTestName];
/** Tests that compare counts over categories or bins. */
export type CountTestName = Exclude<DriftTestName, SampleTestName>;
/** Tests that answer with a distance. */
export type DistanceTestName = {
  [T in DriftTestName]: Kinds[T]['answer'] extends 'distance' ? T : never;
}[DriftTestName];

/** Whether `test` answers with a p-value (and so enters the multiple-testing correction). */
export function isPValueTest(test: DriftTestName): boolean {
  return DRIFT_TEST_KINDS[test].answer === 'pvalue';
}

/** Whether `test` answers with a distance compared with a threshold. */
export function isDistanceTest(test: DriftTestName): test is DistanceTestName {
  return DRIFT_TEST_KINDS[test].answer === 'distance';
}

/** Whether `test` compares raw numeric samples (and so cannot run on a categorical feature). */
export function isSampleTest(test: DriftTestName): test is SampleTestName {
  return DRIFT_TEST_KINDS[test].input === 'sample';
}

/**
 * The tests `drift_test: auto` may choose for a feature of each type (drift/src/engine/choose-test.ts
 * picks one from the reference; a numeric feature with few distinct values is compared by its bins).
 */
export const AUTO_DRIFT_TESTS = {
  numeric: ['ks', 'chi2', 'jensenshannon', 'wasserstein'],
  categorical: ['chi2', 'jensenshannon'],
} as const satisfies Record<FeatureTestDeclaration['type'], readonly DriftTestName[]>;

/** The tests a feature may run: its explicit choice, or any that `auto` may choose for its type. */
export function possibleDriftTests(feature: Omit<FeatureTestDeclaration, 'name'>): readonly DriftTestName[] {
  return feature.drift_test === 'auto' ? AUTO_DRIFT_TESTS[feature.type] : [feature.drift_test];
}

/** A feature as the spec declares it, as far as test choice is concerned. */
export interface FeatureTestDeclaration {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
  readonly drift_test: DriftTestChoice;
}

/**
 * Why a feature's explicit `drift_test` cannot work on its type (a sample test on a categorical
 * feature), or undefined when the choice is valid; usable at spec load, before any profile exists.
 */
export function driftTestChoiceError(feature: FeatureTestDeclaration): string | undefined {
  const test = feature.drift_test;
  if (feature.type !== 'categorical' || test === 'auto' || !isSampleTest(test)) return undefined;
  const countTests = DRIFT_TESTS.filter((t) => !isSampleTest(t)).join(', ');
  return (
    `feature "${feature.name}": drift_test "${test}" needs a numeric feature, but "${feature.name}" is categorical; ` +
    `use ${countTests} or auto`
  );
}
