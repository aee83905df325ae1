import { LABELS, METRICS, RECORDS } from '../../../spec/src/conventions';
import type { QualitySpec, Spec } from '../../../spec/src/schema';
import type { AlertingContext } from '../alerting-context';
import { formatDuration } from '../prometheus-duration';
import { modelsWith, type ModelWith } from './models-with';
import { successfulPredictions } from './prediction-counts';
import type { RecordingRule, RuleGroup } from './rule-types';

const { model: MODEL, version: VERSION, class: CLASS, predicted: PREDICTED, actual: ACTUAL } = LABELS;
const BY_VERSION = `${MODEL}, ${VERSION}`;
const BY_CLASS = `${MODEL}, ${VERSION}, ${CLASS}`;

/** A model that gets labels: its spec, its quality section and its place in `models`. */
export type QualityModel = ModelWith<'quality'>;

/** The models of the spec with a `quality` section, in spec order. */
export function qualityModels(spec: Spec): QualityModel[] {
  return modelsWith(spec, 'quality');
}

/** Production names of a model's quality windows (`1h` for 3600 s), the alerts' window first. */
export function qualityWindows(quality: QualitySpec): string[] {
  return quality.windows_seconds.map(formatDuration);
}

/** The window the quality alerts judge: the first of `quality.windows_seconds`. */
export function alertWindow(quality: QualitySpec): string {
  return qualityWindows(quality)[0] as string;
}

/** Where a model's quality fields sit in the spec, for alert text: `models[0].quality`. */
export function qualityPath(target: QualityModel): string {
  return `models[${target.index}].quality`;
}

/**
 * Successful predictions per version over a window that ends `expected_delay_seconds` ago: the
 * predictions old enough to have their label by now (coverage's denominator).
 */
export function duePredictions(ctx: AlertingContext, target: QualityModel, window: string): string {
  return successfulPredictions(ctx, target.model.name, window, target.quality.expected_delay_seconds);
}

/**
 * Quality in PromQL, one group (and file) per model with labels: per version over each of its
 * `quality.windows_seconds`, label coverage, and for a classifier the confusion matrix's diagonal,
 * accuracy, per-class precision/recall/F1 and macro F1, realised (`mlwatch_labels_total`) and
 * estimated (`mlwatch_expected_labels_total`); for a regression model MAE and RMSE. Counters of
 * every replica are summed before any division, so fleet-wide quality is exact. The formulas are
 * drift/src/quality/quality-metrics.ts's: a ratio over nothing is absent, F1 is 0 when precision
 * and recall both are. Rules of a group run in order, so later rules read earlier ones of the
 * same evaluation; nothing here reads another group.
 */
export function qualityRecordingGroups(ctx: AlertingContext): RuleGroup[] {
  return qualityModels(ctx.spec).map((target) => ({
    name: `mlwatch-quality-recording-${target.model.name}`,
    rules: qualityWindows(target.quality).flatMap((window) =>
      target.model.task === 'regression'
        ? regressionRules(ctx, target, window)
        : classificationRules(ctx, target, window),
    ),
  }));
}

/** A selector of the model's series: `metric{model="m",…}`. */
function select(metric: string, model: string, matchers = ''): string {
  return `${metric}{${MODEL}="${model}"${matchers}}`;
}

function coverageRule(ctx: AlertingContext, target: QualityModel, window: string): RecordingRule {
  const labels = select(RECORDS.labelsIncrease(window), target.model.name);
  const due = duePredictions(ctx, target, window);
  // No label series at all (the pipeline never sent one) is coverage 0, not no coverage.
  return {
    record: RECORDS.labelCoverage(window),
    expr: `(\n  ${labels}\n  or on (${BY_VERSION})\n  0 * ${due}\n)\n/ on (${BY_VERSION})\n(${due} > 0)`,
  };
}

function regressionRules(ctx: AlertingContext, target: QualityModel, window: string): RecordingRule[] {
  const m = target.model.name;
  const range = ctx.range(window);
  const increase = (metric: string) => `sum by (${BY_VERSION}) (increase(${select(metric, m)}[${range}]))`;
  const labels = `(${select(RECORDS.labelsIncrease(window), m)} > 0)`;
  return [
    { record: RECORDS.labelsIncrease(window), expr: increase(`${METRICS.regressionAbsoluteError}_count`) },
    coverageRule(ctx, target, window),
    {
      record: RECORDS.mae(window),
      expr: `${increase(`${METRICS.regressionAbsoluteError}_sum`)}\n/ on (${BY_VERSION})\n${labels}`,
    },
    {
      record: RECORDS.rmse(window),
      expr: `sqrt(\n  ${increase(METRICS.regressionSquaredErrorTotal)}\n  / on (${BY_VERSION})\n  ${labels}\n)`,
    },
  ];
}

/** The confusion-matrix rules of one counter family: diagonal, precision, recall and F1 per class. */
interface MatrixRecords {
  readonly truePositives: string;
  readonly precision: string;
  readonly recall: string;
  readonly f1: string;
}

function matrixRules(
  ctx: AlertingContext,
  target: QualityModel,
  window: string,
  metric: string,
  records: MatrixRecords,
): RecordingRule[] {
  const m = target.model.name;
  const range = ctx.range(window);
  const classes = target.model.classes ?? [];
  const total = `sum by (${BY_VERSION}) (increase(${select(metric, m)}[${range}]))`;
  // A diagonal cell the exporter never counted is 0 while the version has any counts, so a class
  // the model never gets right has recall 0 rather than none.
  const diagonal = classes
    .map(
      (c) =>
        `label_replace(\n  sum by (${BY_VERSION}) (increase(${select(metric, m, `,${PREDICTED}="${c}",${ACTUAL}="${c}"`)}[${range}]))\n  or on (${BY_VERSION})\n  0 * ${total},\n  "${CLASS}", "${c}", "", ""\n)`,
    )
    .join('\nor\n');
  const marginal = (label: string) =>
    `(sum by (${BY_CLASS}) (label_replace(increase(${select(metric, m)}[${range}]), "${CLASS}", "$1", "${label}", "(.*)")) > 0)`;
  const tp = select(records.truePositives, m);
  const p = select(records.precision, m);
  const r = select(records.recall, m);
  return [
    { record: records.truePositives, expr: diagonal },
    { record: records.precision, expr: `${tp}\n/ on (${BY_CLASS})\n${marginal(PREDICTED)}` },
    { record: records.recall, expr: `${tp}\n/ on (${BY_CLASS})\n${marginal(ACTUAL)}` },
    { record: records.f1, expr: `2 * ${p} * ${r} / (${p} + ${r} > 0)\nor\n(${p} + ${r} == 0)` },
  ];
}

function classificationRules(ctx: AlertingContext, target: QualityModel, window: string): RecordingRule[] {
  const m = target.model.name;
  const range = ctx.range(window);
  const total = (metric: string) => `sum by (${BY_VERSION}) (increase(${select(metric, m)}[${range}]))`;
  const accuracy = (truePositives: string, denominator: string) =>
    `sum by (${BY_VERSION}) (${select(truePositives, m)})\n/ on (${BY_VERSION})\n(${denominator} > 0)`;
  const labelled = METRICS.labelledExpectedLabelsTotal;
  const labelledDiagonal = (target.model.classes ?? [])
    .map((c) => `  increase(${select(labelled, m, `,${PREDICTED}="${c}",${ACTUAL}="${c}"`)}[${range}])`)
    .join('\n  or\n');
  return [
    { record: RECORDS.labelsIncrease(window), expr: total(METRICS.labelsTotal) },
    coverageRule(ctx, target, window),
    ...matrixRules(ctx, target, window, METRICS.labelsTotal, {
      truePositives: RECORDS.labelTruePositives(window),
      precision: RECORDS.precision(window),
      recall: RECORDS.recall(window),
      f1: RECORDS.f1(window),
    }),
    {
      record: RECORDS.accuracy(window),
      expr: accuracy(RECORDS.labelTruePositives(window), select(RECORDS.labelsIncrease(window), m)),
    },
    { record: RECORDS.macroF1(window), expr: `avg by (${BY_VERSION}) (${select(RECORDS.f1(window), m)})` },
    ...matrixRules(ctx, target, window, METRICS.expectedLabelsTotal, {
      truePositives: RECORDS.expectedTruePositives(window),
      precision: RECORDS.estimatedPrecision(window),
      recall: RECORDS.estimatedRecall(window),
      f1: RECORDS.estimatedF1(window),
    }),
    {
      record: RECORDS.estimatedAccuracy(window),
      expr: accuracy(RECORDS.expectedTruePositives(window), total(METRICS.expectedLabelsTotal)),
    },
    {
      record: RECORDS.labelledEstimatedAccuracy(window),
      expr: `(\n  sum by (${BY_VERSION}) (\n${labelledDiagonal}\n  )\n  or on (${BY_VERSION})\n  0 * ${total(labelled)}\n)\n/ on (${BY_VERSION})\n(${total(labelled)} > 0)`,
    },
  ];
}
