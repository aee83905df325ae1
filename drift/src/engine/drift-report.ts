/**
 * The drift report of one model window: a row per feature (test, statistic, p-values, effect
 * size, threshold, verdict), the model's drift share and dataset-drift flag, and output drift.
 * Field names are snake_case because the report is served as JSON as it is.
 */
import type { DriftTestName } from '../../../spec/src/drift-tests';
import type { DriftPlan, PlanEntry } from './drift-plan';
import type { EntryOutcome } from './evaluate-entry';
import type { TestResult } from './test-result';
import { type DriftVerdictConfig, decideVerdicts, effectSizeFloorOf, thresholdOf, type Verdict } from './verdicts';

/** Whether a feature was tested: not when it had fewer than min_samples non-missing values, or its data broke the test. */
export type FeatureDriftStatus = 'ok' | 'insufficient_samples' | 'error';

/** One feature's (or output's) drift result. */
export interface FeatureDrift {
  readonly feature: string;
  readonly test: DriftTestName;
  readonly status: FeatureDriftStatus;
  /** Why the feature was not tested; null when it was. */
  readonly message: string | null;
  readonly statistic: number | null;
  /** Raw p-value (AD: its capped significance level); null for distance tests and untested features. */
  readonly pvalue: number | null;
  /** P-value after the model's multiple-testing correction; null where pvalue is. */
  readonly adjusted_pvalue: number | null;
  /** KS D (ks, cvm, anderson), total variation distance (chi2), or the distance itself. */
  readonly effect_size: number | null;
  /** Smallest effect size a significant p-value test must show; null for distance tests. */
  readonly effect_size_floor: number | null;
  /** alpha for p-value tests, the distance threshold for distance tests. */
  readonly threshold: number;
  readonly drifted: boolean;
  /** Non-missing values the test used (or would have used). */
  readonly window_size: number;
}

/** Model verdict status: `insufficient_samples` until the window holds min_samples events and some feature could be tested. */
export type DriftReportStatus = 'ok' | 'insufficient_samples' | 'error';

/** The drift report of one model (or model version) window. */
export interface DriftReport {
  readonly model: string;
  readonly version?: string;
  /** ISO 8601 time the evaluation started. */
  readonly evaluated_at: string;
  /** Events in the window. */
  readonly window_size: number;
  readonly min_samples: number;
  readonly correction: DriftVerdictConfig['correction'];
  readonly status: DriftReportStatus;
  /** Features with status ok: the denominator of drift_share. */
  readonly features_tested: number;
  readonly features_drifted: number;
  /** features_drifted / features_tested; null while there is no verdict. */
  readonly drift_share: number | null;
  /** Any feature drifted after correction and floors; null while there is no verdict. */
  readonly drifted: boolean | null;
  /** drift_share >= dataset_drift_share; null while there is no verdict. */
  readonly dataset_drift: boolean | null;
  readonly features: readonly FeatureDrift[];
  /** Drift of the model outputs against the reference outputs, when the profile has them; not part of drift_share. */
  readonly output_drift?: { readonly prediction?: FeatureDrift; readonly confidence?: FeatureDrift };
}

/** What the report needs besides the outcomes. */
export interface ReportContext {
  readonly plan: DriftPlan;
  readonly model: string;
  readonly version: string | undefined;
  readonly windowSize: number;
  readonly evaluatedAt: Date;
}

/**
 * Assembles the report from the outcomes of the plan's feature entries and output entries (in plan
 * order); features and outputs are corrected as two separate families.
 */
export function assembleReport(
  context: ReportContext,
  featureOutcomes: readonly EntryOutcome[],
  outputOutcomes: readonly EntryOutcome[],
): DriftReport {
  const { plan } = context;
  const config = plan.config;
  const features = judgeFamily(plan.features, featureOutcomes, config);
  const tested = features.filter((f) => f.status === 'ok').length;
  const driftedCount = features.filter((f) => f.drifted).length;
  const hasVerdict = tested > 0 && context.windowSize >= config.min_samples;
  const share = hasVerdict ? driftedCount / tested : null;
  return {
    model: context.model,
    ...(context.version !== undefined ? { version: context.version } : {}),
    evaluated_at: context.evaluatedAt.toISOString(),
    window_size: context.windowSize,
    min_samples: config.min_samples,
    correction: config.correction,
    status: hasVerdict ? 'ok' : noVerdictStatus(features, context.windowSize, config.min_samples),
    features_tested: tested,
    features_drifted: driftedCount,
    drift_share: share,
    drifted: share === null ? null : driftedCount > 0,
    dataset_drift: share === null ? null : share >= config.dataset_drift_share,
    features,
    ...outputDrift(plan, outputOutcomes),
  };
}

function outputDrift(plan: DriftPlan, outcomes: readonly EntryOutcome[]): Pick<DriftReport, 'output_drift'> {
  const entries = outputEntries(plan);
  if (entries.length === 0) return {};
  const judged = judgeFamily(entries, outcomes, plan.config);
  const byName = new Map(judged.map((row) => [row.feature, row] as const));
  const prediction = byName.get('prediction');
  const confidence = byName.get('confidence');
  return { output_drift: { ...(prediction ? { prediction } : {}), ...(confidence ? { confidence } : {}) } };
}

/** The plan's output entries in evaluation order: prediction, then confidence. */
export function outputEntries(plan: DriftPlan): PlanEntry[] {
  return [plan.outputs.prediction, plan.outputs.confidence].filter((e): e is PlanEntry => e !== undefined);
}

/** Verdicts for one family: only tested entries enter the correction. */
function judgeFamily(
  entries: readonly PlanEntry[],
  outcomes: readonly EntryOutcome[],
  config: DriftVerdictConfig,
): FeatureDrift[] {
  const tested: { index: number; result: TestResult }[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'ok') tested.push({ index, result: outcome.result });
  });
  const verdicts = decideVerdicts(
    tested.map((t) => t.result),
    config,
  );
  const verdictAt = new Map(tested.map((t, k) => [t.index, verdicts[k] as Verdict] as const));
  return entries.map((entry, i) => row(entry, outcomes[i], verdictAt.get(i), config));
}

function row(
  entry: PlanEntry,
  outcome: EntryOutcome | undefined,
  verdict: Verdict | undefined,
  config: DriftVerdictConfig,
): FeatureDrift {
  if (outcome === undefined) throw new Error(`no outcome for "${entry.name}"`);
  if (outcome.status !== 'ok' || verdict === undefined) {
    return {
      feature: entry.name,
      test: entry.test,
      status: outcome.status,
      message: outcome.status === 'ok' ? null : outcome.message,
      statistic: null,
      pvalue: null,
      adjusted_pvalue: null,
      effect_size: null,
      effect_size_floor: effectSizeFloorOf(entry.test, config),
      threshold: thresholdOf(entry.test, config),
      drifted: false,
      window_size: outcome.windowSize,
    };
  }
  const result = outcome.result;
  return {
    feature: entry.name,
    test: entry.test,
    status: 'ok',
    message: null,
    statistic: result.statistic,
    pvalue: result.pvalue,
    adjusted_pvalue: verdict.adjustedPvalue,
    effect_size: result.effectSize,
    effect_size_floor: verdict.effectSizeFloor,
    threshold: verdict.threshold,
    drifted: verdict.drifted,
    window_size: outcome.windowSize,
  };
}

/** Why there is no verdict: a short window, or every feature untestable (errors win, they need a fix). */
function noVerdictStatus(features: readonly FeatureDrift[], windowSize: number, minSamples: number): DriftReportStatus {
  if (windowSize < minSamples) return 'insufficient_samples';
  return features.some((f) => f.status === 'error') ? 'error' : 'insufficient_samples';
}
