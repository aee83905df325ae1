/**
 * The label metrics: realised quality (confusion matrix, regression errors), expected confusion
 * counts (the estimate while labels are missing), label delay and what became of each label, and
 * the regression output histogram. All are counters or histograms, so quality adds up exactly
 * across replicas in PromQL. Every series is created at zero from the spec; the hot path
 * addresses them by precomputed index per model version and allocates nothing.
 */
import type { Registry } from 'prom-client';
import {
  DEFAULT_REGRESSION_BUCKETS,
  JOIN_STORE_OPERATIONS,
  LABEL_DELAY_BUCKETS_SECONDS,
  LABEL_RESULTS,
  METRICS,
  type LabelResult,
} from '../../../spec/src/conventions';
import type { ModelSpec, Spec } from '../../../spec/src/schema';
import {
  calibrateProbabilities,
  calibrationFor,
  type ClassCalibration,
} from '../../../drift/src/quality/calibration-map';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { FixedCounter } from './fixed-counter';
import { FixedHistogram } from './fixed-histogram';
import { PerSeriesHistogram, type BoundedSeries } from './per-series-histogram';
import { registerMetric } from './register-metric';
import type { SeriesLayout, VersionSlot } from './series-layout';

type LabelSet = Readonly<Record<string, string>>;

/** Where one model version's quality series sit (-1: the version has none of that kind). */
export interface VersionQuality {
  readonly slot: VersionSlot;
  readonly model: ModelSpec;
  /** Whether the model takes labels (has a `quality` section). */
  readonly labelled: boolean;
  readonly regression: boolean;
  readonly classes: readonly string[];
  /** First series of this version's confusion matrix in the three {model,version,predicted,actual} counters. */
  readonly confusionBase: number;
  /** Series in the regression error metrics. */
  readonly errorSeries: number;
  /** Series in the label delay histogram. */
  readonly delaySeries: number;
  /** Series in the prediction value histogram (every regression model). */
  readonly valueSeries: number;
  /** Calibration maps of this version by class (the profile's), or undefined: raw probabilities. */
  readonly calibration: Readonly<Record<string, ClassCalibration>> | undefined;
  /** A row of class probabilities, reused for every prediction of this version. */
  readonly row: Float64Array;
}

/** The label and regression metrics of one exporter generation. */
export class QualityMetrics {
  readonly labels: FixedCounter;
  readonly expectedLabels: FixedCounter;
  readonly labelledExpectedLabels: FixedCounter;
  readonly absoluteError: PerSeriesHistogram;
  readonly squaredError: FixedCounter;
  readonly labelDelay: FixedHistogram;
  readonly labelEvents: FixedCounter;
  readonly predictionValue: PerSeriesHistogram;
  /** `mlwatch_join_store_errors_total` by JOIN_STORE_OPERATIONS index; the shared store counts into it. */
  readonly joinStoreErrors: FixedCounter;
  /** By VersionSlot.index. */
  readonly versions: readonly VersionQuality[];

  constructor(spec: Spec, layout: SeriesLayout, profiles: ReadonlyMap<string, ReferenceProfile>) {
    const confusionLabels: LabelSet[] = [];
    const errorSeries: BoundedSeries[] = [];
    const valueSeries: BoundedSeries[] = [];
    const delayLabels: LabelSet[] = [];
    const versions: VersionQuality[] = [];
    for (const model of spec.models) {
      const modelSlot = layout.models.get(model.name);
      if (modelSlot === undefined) continue;
      const classes = model.classes ?? [];
      const regression = model.task === 'regression';
      const labelled = model.quality !== undefined;
      const profile = profiles.get(model.name);
      const valueBuckets = regression ? predictionValueBuckets(model, profile) : [];
      const errorBuckets = model.quality?.error_buckets ?? DEFAULT_REGRESSION_BUCKETS;
      for (const slot of modelSlot.versions.values()) {
        const labels = { model: model.name, version: slot.version };
        const confusionBase = labelled && !regression ? confusionLabels.length : -1;
        if (confusionBase >= 0)
          for (const predicted of classes)
            for (const actual of classes) confusionLabels.push({ ...labels, predicted, actual });
        versions[slot.index] = {
          slot,
          model,
          labelled,
          regression,
          classes,
          confusionBase,
          errorSeries: labelled && regression ? errorSeries.push({ labels, upperBounds: errorBuckets }) - 1 : -1,
          delaySeries: labelled ? delayLabels.push(labels) - 1 : -1,
          valueSeries: regression ? valueSeries.push({ labels, upperBounds: valueBuckets }) - 1 : -1,
          calibration: calibrationFor(profile?.calibration, slot.version),
          row: new Float64Array(classes.length),
        };
      }
    }
    this.versions = versions;
    this.labels = new FixedCounter(
      METRICS.labelsTotal,
      'Labels joined to their predictions (or carrying them), by predicted and actual class: the confusion matrix.',
      confusionLabels,
    );
    this.expectedLabels = new FixedCounter(
      METRICS.expectedLabelsTotal,
      'Expected confusion counts of every successful prediction, from its calibrated class probabilities (the estimate while labels are missing).',
      confusionLabels,
    );
    this.labelledExpectedLabels = new FixedCounter(
      METRICS.labelledExpectedLabelsTotal,
      'Expected confusion counts of the predictions that got a label, so estimate and realised compare the same predictions.',
      confusionLabels,
    );
    this.absoluteError = new PerSeriesHistogram(
      METRICS.regressionAbsoluteError,
      'Regression: |label - prediction| of each labelled prediction.',
      errorSeries,
    );
    this.squaredError = new FixedCounter(
      METRICS.regressionSquaredErrorTotal,
      'Regression: sum of (label - prediction)^2 of the labelled predictions.',
      errorSeries.map((s) => s.labels),
    );
    this.labelDelay = new FixedHistogram(
      METRICS.labelDelaySeconds,
      'Label time (or arrival) minus prediction time of each joined label, in seconds.',
      LABEL_DELAY_BUCKETS_SECONDS,
      delayLabels,
    );
    this.labelEvents = new FixedCounter(
      METRICS.labelEventsTotal,
      'Labels received, by what became of them (refused ones count in mlwatch_rejected_events_total).',
      LABEL_RESULTS.map((result) => ({ result })),
    );
    this.predictionValue = new PerSeriesHistogram(
      METRICS.predictionValue,
      'Regression outputs of successful predictions, served and ingested.',
      valueSeries,
    );
    this.joinStoreErrors = new FixedCounter(
      METRICS.joinStoreErrorsTotal,
      'Failed operations on the shared join store, by operation (labels answered 503; predictions never fail).',
      JOIN_STORE_OPERATIONS.map((operation) => ({ operation })),
    );
  }

  /**
   * Registers the metrics the spec uses: label metrics when a model takes labels, the join store's
   * errors when a model takes labels or outcomes, the value histogram when a model is a regression.
   */
  register(registry: Registry): void {
    const labelled = this.versions.some((v) => v.labelled);
    if (labelled) {
      for (const metric of [
        this.labels,
        this.expectedLabels,
        this.labelledExpectedLabels,
        this.absoluteError,
        this.squaredError,
        this.labelDelay,
        this.labelEvents,
      ])
        registerMetric(registry, metric);
    }
    if (labelled || this.versions.some((v) => v.model.outcomes !== undefined))
      registerMetric(registry, this.joinStoreErrors);
    if (this.versions.some((v) => v.regression)) registerMetric(registry, this.predictionValue);
  }

  /** Counts `count` labels with `result`. */
  labelResult(result: LabelResult, count = 1): void {
    this.labelEvents.inc(LABEL_RESULTS.indexOf(result), count);
  }

  /** Value of `mlwatch_label_events_total` for a result; for tests and reports. */
  labelResultCount(result: LabelResult): number {
    return this.labelEvents.value(LABEL_RESULTS.indexOf(result));
  }

  /**
   * Records an accepted successful prediction of a labelled classifier: its expected confusion row,
   * from its class probabilities when given, else from its confidence (see {@link expectedRow}).
   */
  recordExpected(
    version: VersionQuality,
    classIndex: number,
    confidence: number,
    probabilities: Readonly<Record<string, number>> | undefined,
  ): void {
    if (classIndex < 0 || !expectedRow(version, classIndex, confidence, probabilities)) return;
    addRow(this.expectedLabels, version, classIndex);
  }

  /** Counts one classification label of a prediction of `predicted` whose raw confidence was `confidence` (NaN: unknown). */
  recordClassLabel(version: VersionQuality, predicted: number, actual: number, confidence: number): void {
    const k = version.classes.length;
    this.labels.inc(version.confusionBase + predicted * k + actual);
    if (expectedRow(version, predicted, confidence, undefined)) addRow(this.labelledExpectedLabels, version, predicted);
  }

  /** Counts one regression label of a prediction of `output`. */
  recordRegressionLabel(version: VersionQuality, output: number, label: number): void {
    const error = label - output;
    this.absoluteError.observe(version.errorSeries, Math.abs(error));
    this.squaredError.inc(version.errorSeries, error * error);
  }
}

/** Adds the version's filled row to the confusion row of `predicted` in `counter`. */
function addRow(counter: FixedCounter, version: VersionQuality, predicted: number): void {
  const { row, classes, confusionBase } = version;
  const base = confusionBase + predicted * classes.length;
  for (let actual = 0; actual < classes.length; actual++) counter.inc(base + actual, row[actual]);
}

/**
 * Fills `version.row` with the probability of each actual class for a prediction of class
 * `predicted`, calibrated with the version's map when the profile has one; false when nothing is
 * known. From `probabilities` when given (missing classes as 0, normalised to sum 1); else from
 * the predicted class's probability `confidence`: exact for two classes (the other gets 1 − p),
 * and for more classes 1 − p spread evenly over the others (the exporter does not keep the full
 * row of a prediction, so this assumes the model is equally unsure between the classes it did
 * not pick).
 */
export function expectedRow(
  version: VersionQuality,
  predicted: number,
  confidence: number,
  probabilities: Readonly<Record<string, number>> | undefined,
): boolean {
  const { row, classes } = version;
  const k = classes.length;
  let filled = false;
  if (probabilities !== undefined) {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const p = probabilities[classes[c] as string];
      const value = typeof p === 'number' && p > 0 ? p : 0;
      row[c] = value;
      sum += value;
    }
    if (sum > 0) {
      for (let c = 0; c < k; c++) row[c] = (row[c] as number) / sum;
      filled = true;
    }
  }
  if (!filled) {
    if (!(confidence >= 0 && confidence <= 1) || k < 2) return false;
    const rest = (1 - confidence) / (k - 1);
    for (let c = 0; c < k; c++) row[c] = rest;
    row[predicted] = confidence;
  }
  if (version.calibration !== undefined) calibrateProbabilities(version.calibration, classes, row);
  return true;
}

/**
 * Bounds of a regression model's `mlwatch_prediction_value`: the spec's `value_buckets`, else its
 * reference profile's output deciles (repeated deciles once), else DEFAULT_REGRESSION_BUCKETS.
 */
export function predictionValueBuckets(model: ModelSpec, profile: ReferenceProfile | undefined): readonly number[] {
  if (model.value_buckets !== undefined) return model.value_buckets;
  const output = profile?.outputs?.prediction;
  if (output?.type === 'numeric') {
    const deciles = [...new Set(output.edges)].sort((a, b) => a - b);
    if (deciles.length > 0) return deciles;
  }
  return DEFAULT_REGRESSION_BUCKETS;
}
