import { randomUUID } from 'node:crypto';
import { isRegressionPredictor, predictorKey, type Predictor } from '../../../spec/src/model-types';
import type { PlannedEvent } from './traffic-source';

/** A prediction event as `POST /v1/events/predictions` takes it. */
export interface IngestEvent {
  prediction_id: string;
  model: string;
  version: string;
  features: PlannedEvent['features'];
  status: 'success' | 'error';
  /** The class name, or a regression model's value. */
  prediction?: string | number;
  confidence?: number;
  probabilities?: Record<string, number>;
  latency_ms: number;
  timestamp: string;
}

/**
 * Plays the model server of ingest mode: scores each planned event with the real demo
 * model and reports what a server would, including the scenario's extra latency and failures.
 */
export class LocalScorer {
  constructor(
    private readonly model: string,
    private readonly predictors: ReadonlyMap<string, Predictor>,
  ) {}

  /** The event to ingest for `planned`, which must name its version; `timestamp` is shared by a batch. */
  score(planned: PlannedEvent, timestamp: string): IngestEvent {
    const version = planned.version;
    const predictor = version === undefined ? undefined : this.predictors.get(predictorKey(this.model, version));
    if (version === undefined || predictor === undefined)
      throw new Error(`no local predictor for model ${this.model} version ${String(version)}`);
    const base = { prediction_id: randomUUID(), model: this.model, version, features: planned.features, timestamp };
    const started = process.hrtime.bigint();
    if (planned.fail) {
      return { ...base, status: 'error', latency_ms: elapsedMs(started) + planned.addedLatencyMs };
    }
    if (isRegressionPredictor(predictor)) {
      const { value } = predictor.predict(planned.features);
      return { ...base, status: 'success', prediction: value, latency_ms: elapsedMs(started) + planned.addedLatencyMs };
    }
    const prediction = predictor.predict(planned.features);
    return {
      ...base,
      status: 'success',
      prediction: prediction.label,
      confidence: prediction.confidence,
      probabilities: prediction.probabilities,
      latency_ms: elapsedMs(started) + planned.addedLatencyMs,
    };
  }
}

/** Milliseconds since `started`, to the microsecond. */
function elapsedMs(started: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - started) / 1000) / 1000;
}
