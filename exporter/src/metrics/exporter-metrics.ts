import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Spec } from '../../../spec/src/schema';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import {
  BASE_LATENCY_BUCKETS_SECONDS,
  CONFIDENCE_BUCKETS,
  AUTH_SCOPES,
  ID_STORE_EVICTION_REASONS,
  METRICS,
  REJECTION_REASONS,
  type AuthScope,
  type RejectionReason,
} from '../../../spec/src/conventions';
import { FixedCounter } from './fixed-counter';
import { FixedGauge } from './fixed-gauge';
import { FixedHistogram } from './fixed-histogram';
import { InFlightGauge } from './in-flight-gauge';
import { createPredictionLogMetrics, type PredictionLogMetrics } from './prediction-log-metrics';
import { OutcomeMetrics } from './outcome-metrics';
import { QualityMetrics } from './quality-metrics';
import { registerMetric } from './register-metric';
import type { PromMetric } from './prom-metric';
import { SeriesLayout } from './series-layout';

/** The exporter's metrics in a private registry, every series known from the spec created at zero. */
export interface ExporterMetrics {
  readonly registry: Registry;
  readonly layout: SeriesLayout;
  readonly predictions: FixedCounter;
  readonly latency: FixedHistogram;
  readonly confidence: FixedHistogram;
  readonly predictedClass: FixedCounter;
  readonly featureMissing: FixedCounter;
  readonly featureOtherCategory: FixedCounter;
  readonly activeRequests: InFlightGauge;
  readonly predictionLog: PredictionLogMetrics;
  /** `mlwatch_id_store_evictions_total`, by ID_STORE_EVICTION_REASONS index; the recent-id store counts into it. */
  readonly idStoreEvictions: FixedCounter;
  /** Label, expected-label and regression metrics (registered only when the spec uses them). */
  readonly quality: QualityMetrics;
  /** Outcome counters (registered only when a model takes outcomes). */
  readonly outcomes: OutcomeMetrics;
  /** Counts an event not recorded because its prediction id was seen already. */
  duplicate(model: string): void;
  /** Value of `mlwatch_duplicate_events_total` for a model. */
  duplicateCount(model: string): number;
  /** Counts `count` rejected events (or requests) for a reason. */
  reject(reason: RejectionReason, count?: number): void;
  /** Value of `mlwatch_rejected_events_total` for a reason; for tests and reports. */
  rejectedCount(reason: RejectionReason): number;
  /** Counts a request refused for a missing or wrong token. */
  refuse(scope: AuthScope): void;
  /** Value of `mlwatch_unauthorized_requests_total` for a scope. */
  refusedCount(scope: AuthScope): number;
  /** Counts a read request (GET) refused as a client error: not an event, so not in rejected_events_total. */
  rejectRead(reason: RejectionReason): void;
  /** Value of `mlwatch_bad_read_requests_total` for a reason. */
  rejectedReadCount(reason: RejectionReason): number;
  /** `mlwatch_overload_refusals_total`: requests answered 503 because the in-flight body bytes were at their cap. */
  readonly overloadRefusals: FixedCounter;
}

/** Latency buckets with the SLO target inserted exactly, so SLO rules can select its `le`. */
export function latencyBuckets(sloTargetSeconds: number): number[] {
  return [...new Set([...BASE_LATENCY_BUCKETS_SECONDS, sloTargetSeconds])].sort((a, b) => a - b);
}

/**
 * Creates every exporter metric for a spec in a new private registry; `profiles` (by model name)
 * give calibration maps and regression output deciles.
 */
export function createExporterMetrics(
  spec: Spec,
  options: { defaultMetrics?: boolean; profiles?: ReadonlyMap<string, ReferenceProfile> } = {},
): ExporterMetrics {
  const registry = new Registry();
  const layout = new SeriesLayout(spec);
  const register = <T extends PromMetric>(metric: T): T => registerMetric(registry, metric);

  const predictions = register(
    new FixedCounter(
      METRICS.predictionsTotal,
      'Predictions served or ingested, by outcome (a model failure is an error; rejected requests are not predictions).',
      layout.modelVersionStatusLabels,
    ),
  );
  const latency = register(
    new FixedHistogram(
      METRICS.predictionLatencySeconds,
      'Time to compute one prediction, in seconds.',
      latencyBuckets(spec.slo.latency_target_seconds),
      layout.modelVersionLabels,
    ),
  );
  const confidence = register(
    new FixedHistogram(
      METRICS.predictionConfidence,
      'Probability of the predicted class, from 0 to 1.',
      CONFIDENCE_BUCKETS,
      layout.modelVersionLabels,
    ),
  );
  const predictedClass = register(
    new FixedCounter(
      METRICS.predictedClassTotal,
      'Successful predictions by predicted class.',
      layout.modelVersionClassLabels,
    ),
  );
  const featureMissing = register(
    new FixedCounter(
      METRICS.featureMissingTotal,
      'Events in which a nullable feature was missing or null.',
      layout.nullableFeatureLabels,
    ),
  );
  const featureOtherCategory = register(
    new FixedCounter(
      METRICS.featureOtherCategoryTotal,
      `Events in which a categorical feature had a category not in the spec (recorded as "__other__").`,
      layout.categoricalFeatureLabels,
    ),
  );
  const rejected = register(
    new FixedCounter(
      METRICS.rejectedEventsTotal,
      'Requests or events refused as bad input, by reason.',
      REJECTION_REASONS.map((reason) => ({ reason })),
    ),
  );
  const predictionLog = createPredictionLogMetrics(registry);
  const unauthorized = register(
    new FixedCounter(
      METRICS.unauthorizedRequestsTotal,
      'Requests refused for a missing or wrong bearer token, by scope (not bad input: not in rejected_events_total).',
      AUTH_SCOPES.map((scope) => ({ scope })),
    ),
  );
  const duplicates = register(
    new FixedCounter(
      METRICS.duplicateEventsTotal,
      'Events not counted again because their prediction_id was seen recently (client retries), by model.',
      spec.models.map((model) => ({ model: model.name })),
    ),
  );
  const idStoreEvictions = register(
    new FixedCounter(
      METRICS.idStoreEvictionsTotal,
      'Prediction ids dropped from the recent-id store, by reason (capacity: the store was full; age: too old).',
      ID_STORE_EVICTION_REASONS.map((reason) => ({ reason })),
    ),
  );
  const badReads = register(
    new FixedCounter(
      METRICS.badReadRequestsTotal,
      'Read requests (GET) refused as client errors, by reason; not events, so not in rejected_events_total.',
      REJECTION_REASONS.map((reason) => ({ reason })),
    ),
  );
  const overloadRefusals = register(
    new FixedCounter(
      METRICS.overloadRefusalsTotal,
      'Requests answered 503 with Retry-After, unread, because the body bytes in flight were at exporter.max_inflight_body_bytes (not bad input).',
      [{}],
    ),
  );
  const activeRequests = register(
    new InFlightGauge(METRICS.activeRequests, 'Prediction and ingest requests in flight.'),
  );
  const quality = new QualityMetrics(spec, layout, options.profiles ?? new Map<string, ReferenceProfile>());
  quality.register(registry);
  const outcomes = new OutcomeMetrics(spec, layout);
  outcomes.register(registry);
  register(
    new FixedGauge(METRICS.modelInfo, 'Model versions the spec declares, with value 1.', layout.modelVersionLabels, 1),
  );

  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const reasonIndex = new Map(REJECTION_REASONS.map((reason, i) => [reason, i]));
  const modelIndex = new Map(spec.models.map((model, i) => [model.name, i]));
  return {
    registry,
    layout,
    predictions,
    latency,
    confidence,
    predictedClass,
    featureMissing,
    featureOtherCategory,
    activeRequests,
    predictionLog,
    idStoreEvictions,
    quality,
    outcomes,
    duplicate: (model) => duplicates.inc(modelIndex.get(model) as number),
    duplicateCount: (model) => duplicates.value(modelIndex.get(model) as number),
    reject: (reason, count = 1) => rejected.inc(reasonIndex.get(reason) as number, count),
    rejectedCount: (reason) => rejected.value(reasonIndex.get(reason) as number),
    refuse: (scope) => unauthorized.inc(AUTH_SCOPES.indexOf(scope)),
    refusedCount: (scope) => unauthorized.value(AUTH_SCOPES.indexOf(scope)),
    rejectRead: (reason) => badReads.inc(reasonIndex.get(reason) as number),
    rejectedReadCount: (reason) => badReads.value(reasonIndex.get(reason) as number),
    overloadRefusals,
  };
}
