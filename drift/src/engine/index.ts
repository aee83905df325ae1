/**
 * The exact drift tier's engine: test choice, per-feature tests, verdicts (correction, effect-size
 * floors, distance thresholds) and the per-model report. See docs/drift.md for the rules.
 */
export {
  AUTO_FEW_UNIQUE_MAX,
  AUTO_SMALL_REFERENCE_MAX,
  autoDriftTest,
  resolveDriftTest,
  type ReferenceShape,
} from './choose-test';
export {
  prepareDriftPlan,
  type DriftFeatureSpec,
  type DriftPlan,
  type DriftPlanOptions,
  type PlanEntry,
} from './drift-plan';
export type { DriftReport, DriftReportStatus, FeatureDrift, FeatureDriftStatus } from './drift-report';
export {
  evaluateDrift,
  evaluateDriftInSteps,
  evaluateDriftPlan,
  type DriftStep,
  type EvaluateDriftOptions,
  type EvaluateOptions,
} from './evaluate-drift';
export { EvaluationScratch } from './evaluation-scratch';
export { runFeatureTest, type FeatureWindow } from './feature-test';
export { KS_EXACT_MAX_PRODUCT, WASSERSTEIN_ZERO_STD_SCALE } from './sample-tests';
export type { TestResult } from './test-result';
export { decideVerdicts, type DriftVerdictConfig, type Verdict } from './verdicts';
