/**
 * Evaluates a model window against its reference profile: every feature's test, then the
 * verdicts (correction, floors, thresholds), the drift share and output drift. The step-wise
 * form yields after each feature so the exporter can spread one evaluation over event-loop turns.
 */
import type { ReferenceProfile } from '../profile/reference-profile';
import type { WindowSnapshot } from '../window-snapshot';
import { type DriftFeatureSpec, type DriftPlan, type DriftPlanOptions, prepareDriftPlan } from './drift-plan';
import { assembleReport, type DriftReport, outputEntries } from './drift-report';
import { type EntryOutcome, evaluateEntry } from './evaluate-entry';
import { EvaluationScratch } from './evaluation-scratch';
import type { DriftVerdictConfig } from './verdicts';

/** Options of an evaluation. */
export interface EvaluateOptions {
  /** Time stamped on the report as evaluated_at (default: now). */
  readonly now?: Date;
  /**
   * Work arrays kept between evaluations by a caller that runs one at a time (default: fresh ones for
   * this evaluation, shared by its features); the report is the same either way.
   */
  readonly scratch?: EvaluationScratch;
}

/** Options of {@link evaluateDrift}: the plan's (the model's classes) and the evaluation's. */
export type EvaluateDriftOptions = DriftPlanOptions & EvaluateOptions;

/** Progress after one step of {@link evaluateDriftInSteps}. */
export interface DriftStep {
  /** The feature (or `prediction` / `confidence`) just tested. */
  readonly name: string;
  /** Entries tested so far, and in all. */
  readonly done: number;
  readonly total: number;
}

/**
 * The drift report of `snapshot` against `profile` under the spec's drift config and the model's
 * features; builds the plan on the way (cheap: reference arrays are cached per profile), so it throws
 * the plan's configuration errors. Long-lived callers should build the plan once with prepareDriftPlan.
 */
export function evaluateDrift(
  snapshot: WindowSnapshot,
  profile: ReferenceProfile,
  config: DriftVerdictConfig,
  features: readonly DriftFeatureSpec[],
  options: EvaluateDriftOptions = {},
): DriftReport {
  return evaluateDriftPlan(snapshot, prepareDriftPlan(profile, config, features, options), options);
}

/** The drift report of `snapshot` under a prepared plan, in one go. */
export function evaluateDriftPlan(
  snapshot: WindowSnapshot,
  plan: DriftPlan,
  options: EvaluateOptions = {},
): DriftReport {
  const steps = evaluateDriftInSteps(snapshot, plan, options);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * The same evaluation as a generator: yields a {@link DriftStep} after each feature and output, and
 * returns the report; throws a RangeError when the snapshot belongs to another model than the plan, or
 * when `options.scratch` is held by an evaluation that has not finished.
 */
export function* evaluateDriftInSteps(
  snapshot: WindowSnapshot,
  plan: DriftPlan,
  options: EvaluateOptions = {},
): Generator<DriftStep, DriftReport, void> {
  if (snapshot.model !== plan.model) {
    throw new RangeError(
      `evaluateDrift: the window is of model "${snapshot.model}" but the plan of model "${plan.model}"`,
    );
  }
  const evaluatedAt = options.now ?? new Date();
  const outputs = outputEntries(plan);
  const total = plan.features.length + outputs.length;
  const minSamples = plan.config.min_samples;
  const featureOutcomes: EntryOutcome[] = [];
  const outputOutcomes: EntryOutcome[] = [];
  const scratch = options.scratch ?? new EvaluationScratch();
  scratch.claim();
  try {
    for (const entry of plan.features) {
      featureOutcomes.push(evaluateEntry(entry, snapshot, minSamples, scratch));
      yield { name: entry.name, done: featureOutcomes.length, total };
    }
    for (const entry of outputs) {
      outputOutcomes.push(evaluateEntry(entry, snapshot, minSamples, scratch));
      yield { name: entry.name, done: featureOutcomes.length + outputOutcomes.length, total };
    }
  } finally {
    scratch.release();
  }
  const context = { plan, model: snapshot.model, version: snapshot.version, windowSize: snapshot.size, evaluatedAt };
  return assembleReport(context, featureOutcomes, outputOutcomes);
}
