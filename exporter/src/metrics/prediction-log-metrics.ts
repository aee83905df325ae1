import type { Registry } from 'prom-client';
import {
  METRICS,
  PREDICTION_LOG_DESTINATIONS,
  PREDICTION_LOG_DROP_REASONS,
  type PredictionLogDestination,
  type PredictionLogDropReason,
} from '../../../spec/src/conventions';
import { FixedCounter } from './fixed-counter';
import { registerMetric } from './register-metric';

/** The prediction log's own health: lines lost by destination and reason, values cut, failed writes. */
export interface PredictionLogMetrics {
  /** Counts `lines` lines that did not reach `destination`. */
  dropped(destination: PredictionLogDestination, reason: PredictionLogDropReason, lines: number): void;
  /** Value of `mlwatch_prediction_log_lines_dropped_total` for one series; for tests and reports. */
  droppedCount(destination: PredictionLogDestination, reason: PredictionLogDropReason): number;
  readonly truncatedValues: FixedCounter;
  readonly writeErrors: FixedCounter;
}

/** Registers the prediction log's counters, every destination and reason at zero. */
export function createPredictionLogMetrics(registry: Registry): PredictionLogMetrics {
  const series = PREDICTION_LOG_DESTINATIONS.flatMap((destination) =>
    PREDICTION_LOG_DROP_REASONS.map((reason) => ({ destination, reason })),
  );
  const dropped = registerMetric(
    registry,
    new FixedCounter(
      METRICS.predictionLogLinesDroppedTotal,
      'Prediction log lines that did not reach a destination, by destination and reason; predictions go on regardless.',
      series,
    ),
  );
  const truncatedValues = registerMetric(
    registry,
    new FixedCounter(
      METRICS.predictionLogTruncatedValuesTotal,
      'String values cut to logging.max_string_length in prediction log lines.',
      [{}],
    ),
  );
  const writeErrors = registerMetric(
    registry,
    new FixedCounter(
      METRICS.predictionLogWriteErrorsTotal,
      'Failed writes, opens and reopens of the prediction log; the lines they lost are in the dropped counter.',
      [{}],
    ),
  );
  const index = (destination: PredictionLogDestination, reason: PredictionLogDropReason): number =>
    PREDICTION_LOG_DESTINATIONS.indexOf(destination) * PREDICTION_LOG_DROP_REASONS.length +
    PREDICTION_LOG_DROP_REASONS.indexOf(reason);
  return {
    dropped: (destination, reason, lines) => dropped.inc(index(destination, reason), lines),
    droppedCount: (destination, reason) => dropped.value(index(destination, reason)),
    truncatedValues,
    writeErrors,
  };
}
