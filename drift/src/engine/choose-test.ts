/**
 * Which drift test a feature gets: its explicit `drift_test`, or under `auto` a rule on the
 * reference (Evidently's defaults): small references get p-value tests (KS, chi-square), large
 * ones get distances (normalised Wasserstein, Jensen–Shannon), because on large samples every
 * p-value test flags trivial shifts. See docs/drift.md for the table.
 */
import { driftTestChoiceError, type DriftTestName, type FeatureTestDeclaration } from '../../../spec/src/drift-tests';

/** References with at most this many non-missing values get p-value tests under `auto`; larger ones get distances. */
export const AUTO_SMALL_REFERENCE_MAX = 1000;

/** A numeric feature with at most this many distinct reference values is tested on its bins, like a categorical one. */
export const AUTO_FEW_UNIQUE_MAX = 5;

/** What the auto rule reads off a reference profile. */
export interface ReferenceShape {
  readonly type: 'numeric' | 'categorical';
  /** Non-missing reference values. */
  readonly count: number;
  /** Distinct reference values of a numeric feature (capped by the profile's unique_limit). */
  readonly unique?: number;
}

/** The `auto` test for a reference: KS / chi2 up to {@link AUTO_SMALL_REFERENCE_MAX} values, Wasserstein / Jensen–Shannon above. */
export function autoDriftTest(reference: ReferenceShape): DriftTestName {
  const small = reference.count <= AUTO_SMALL_REFERENCE_MAX;
  if (isContinuous(reference)) return small ? 'ks' : 'wasserstein';
  return small ? 'chi2' : 'jensenshannon';
}

/** Numeric with more than {@link AUTO_FEW_UNIQUE_MAX} distinct values; anything else is compared by its categories or bins. */
function isContinuous(reference: ReferenceShape): boolean {
  return reference.type === 'numeric' && (reference.unique ?? Infinity) > AUTO_FEW_UNIQUE_MAX;
}

/** The test to run for a feature: its explicit choice, or the auto rule on its reference; throws on an invalid choice. */
export function resolveDriftTest(feature: FeatureTestDeclaration, reference: ReferenceShape): DriftTestName {
  const error = driftTestChoiceError(feature);
  if (error !== undefined) throw new Error(error);
  return feature.drift_test === 'auto' ? autoDriftTest(reference) : feature.drift_test;
}
