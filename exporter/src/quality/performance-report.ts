/**
 * The performance report of one model (`GET /v1/models/:model/performance`): per version, the
 * realised quality of its most recent labelled predictions, the quality estimated from the same
 * predictions' confidences, the label delay percentiles, and its label counts and coverage since
 * the exporter started. Ratios that are undefined (no labels, a class never predicted) are null.
 */
import { quantileSorted } from 'simple-statistics';
import { LABEL_RESULTS, type LabelResult } from '../../../spec/src/conventions';
import {
  RegressionErrorSums,
  classificationQuality,
  emptyConfusion,
  type ClassificationQuality,
} from '../../../drift/src/quality/quality-metrics';
import type { ExporterMetrics } from '../metrics/exporter-metrics';
import { expectedRow, type VersionQuality } from '../metrics/quality-metrics';
import type { ModelSlot } from '../metrics/series-layout';
import type { LabelRecorder } from './label-recorder';
import type { LabelledWindow } from './labelled-window';

/** Realised or estimated classification quality, as JSON. */
export interface ClassificationReport {
  readonly count: number;
  readonly accuracy: number | null;
  readonly macro_f1: number | null;
  readonly classes: readonly {
    readonly class: string;
    readonly precision: number | null;
    readonly recall: number | null;
    readonly f1: number | null;
    readonly support: number;
  }[];
}

/** One version's part of the report. */
export interface VersionPerformance {
  readonly version: string;
  /** Successful predictions this exporter counted since it started. */
  readonly predictions: number;
  /** Labels counted since the exporter started, joined and stateless. */
  readonly labels: { readonly joined: number; readonly stateless: number };
  /**
   * Labels ÷ successful predictions since start (null before the first prediction). Labels that
   * carry a prediction made elsewhere, or joined through Redis, can push it above 1.
   */
  readonly coverage: number | null;
  /** The most recent labelled predictions, at most `window_size`. */
  readonly window: {
    readonly count: number;
    /** Classification: realised quality and its confusion matrix (rows predicted, columns actual). */
    readonly realised?: ClassificationReport;
    readonly confusion?: { readonly classes: readonly string[]; readonly counts: readonly (readonly number[])[] };
    /** Classification: the same predictions' quality estimated from their (calibrated) confidences. */
    readonly estimated?: ClassificationReport;
    /** Regression: mean absolute and root mean squared error. */
    readonly mae?: number | null;
    readonly rmse?: number | null;
    /** Label delay of the joined labels in the window, in seconds (stateless labels have none). */
    readonly delay_seconds: { readonly p50: number | null; readonly p95: number | null; readonly p99: number | null };
  };
}

export interface PerformanceReport {
  readonly model: string;
  readonly task: string;
  readonly window_size: number;
  /** What became of every label this exporter received (all models), by result. */
  readonly label_events: Readonly<Record<LabelResult, number>>;
  readonly versions: readonly VersionPerformance[];
}

/** The report of `model` (a model with a quality section) from the label recorder and the metrics. */
export function performanceReport(
  model: ModelSlot,
  labels: LabelRecorder,
  metrics: ExporterMetrics,
  windowSize: number,
): PerformanceReport {
  const { quality, layout } = metrics;
  const versions: VersionPerformance[] = [];
  for (const slot of model.versions.values()) {
    const version = quality.versions[slot.index];
    const window = labels.windows[slot.index];
    if (version === undefined || window === undefined) continue;
    const predictions = metrics.predictions.value(layout.statusSeries(slot, 'success'));
    const counted = window.joined + window.stateless;
    versions.push({
      version: slot.version,
      predictions,
      labels: { joined: window.joined, stateless: window.stateless },
      coverage: predictions > 0 ? counted / predictions : null,
      window: version.regression ? regressionWindow(window) : classificationWindow(version, window),
    });
  }
  return {
    model: model.name,
    task: model.spec.task,
    window_size: windowSize,
    label_events: Object.fromEntries(
      LABEL_RESULTS.map((result) => [result, quality.labelResultCount(result)]),
    ) as Record<LabelResult, number>,
    versions,
  };
}

function classificationWindow(version: VersionQuality, window: LabelledWindow): VersionPerformance['window'] {
  const realised = emptyConfusion(version.classes);
  const estimated = emptyConfusion(version.classes);
  const delays: number[] = [];
  window.forEach((entry) => {
    const row = realised.counts[entry.predicted];
    if (row !== undefined) row[entry.actual] = (row[entry.actual] ?? 0) + 1;
    if (expectedRow(version, entry.predicted, entry.confidence, undefined)) {
      const expected = estimated.counts[entry.predicted];
      if (expected !== undefined)
        for (let a = 0; a < version.classes.length; a++) expected[a] = (expected[a] ?? 0) + (version.row[a] as number);
    }
    if (!Number.isNaN(entry.delaySeconds)) delays.push(entry.delaySeconds);
  });
  return {
    count: window.size,
    realised: report(classificationQuality(realised)),
    confusion: realised,
    estimated: report(classificationQuality(estimated)),
    delay_seconds: percentiles(delays),
  };
}

function regressionWindow(window: LabelledWindow): VersionPerformance['window'] {
  const sums = new RegressionErrorSums();
  const delays: number[] = [];
  window.forEach((entry) => {
    sums.add(entry.output, entry.label);
    if (!Number.isNaN(entry.delaySeconds)) delays.push(entry.delaySeconds);
  });
  const { mae, rmse } = sums.quality();
  return { count: window.size, mae: orNull(mae), rmse: orNull(rmse), delay_seconds: percentiles(delays) };
}

function report(quality: ClassificationQuality): ClassificationReport {
  return {
    count: quality.count,
    accuracy: orNull(quality.accuracy),
    macro_f1: orNull(quality.macroF1),
    classes: quality.classes.map((c) => ({
      class: c.class,
      precision: orNull(c.precision),
      recall: orNull(c.recall),
      f1: orNull(c.f1),
      support: c.support,
    })),
  };
}

function percentiles(values: number[]): VersionPerformance['window']['delay_seconds'] {
  if (values.length === 0) return { p50: null, p95: null, p99: null };
  values.sort((a, b) => a - b);
  return { p50: quantileSorted(values, 0.5), p95: quantileSorted(values, 0.95), p99: quantileSorted(values, 0.99) };
}

function orNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
