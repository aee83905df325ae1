import type { PredictionStatus } from '../../../spec/src/conventions';
import type { ExporterMetrics } from '../metrics/exporter-metrics';
import type { VersionSlot } from '../metrics/series-layout';

/** What one prediction contributes to the metrics; served and ingested predictions alike. */
export interface RecordedPrediction {
  status: PredictionStatus;
  /** Seconds, when known. */
  latencySeconds: number | undefined;
  /** Probability of the predicted class, when known. */
  confidence: number | undefined;
  /** Index of the predicted class in the model's classes, or -1 for none (errors, regression). */
  classIndex: number;
}

/** Adds one prediction to the counters and histograms of its model version. */
export function recordPrediction(metrics: ExporterMetrics, slot: VersionSlot, prediction: RecordedPrediction): void {
  metrics.predictions.inc(metrics.layout.statusSeries(slot, prediction.status));
  if (prediction.latencySeconds !== undefined) metrics.latency.observe(slot.index, prediction.latencySeconds);
  if (prediction.status !== 'success') return;
  if (prediction.confidence !== undefined) metrics.confidence.observe(slot.index, prediction.confidence);
  if (prediction.classIndex >= 0) metrics.predictedClass.inc(slot.classBase + prediction.classIndex);
}
