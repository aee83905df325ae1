/**
 * Names shared by the exporter, the rule generator and the dashboard generator,
 * kept in one place so that they cannot disagree.
 */

/** Port the exporter listens on by default; node_exporter already owns 9100. */
export const DEFAULT_EXPORTER_PORT = 9420;

/** Where the exporter serves the runbooks, one page per alert at `/runbooks/<alert>`, open without a token. */
export const RUNBOOKS_PATH = '/runbooks';

/** Prefix of every metric mlwatch defines. */
export const METRIC_PREFIX = 'mlwatch_';

/** Metric names, units in the name as Prometheus recommends. */
export const METRICS = {
  predictionsTotal: 'mlwatch_predictions_total',
  predictionLatencySeconds: 'mlwatch_prediction_latency_seconds',
  predictionConfidence: 'mlwatch_prediction_confidence',
  predictedClassTotal: 'mlwatch_predicted_class_total',
  activeRequests: 'mlwatch_active_requests',
  featureMissingTotal: 'mlwatch_feature_missing_total',
  featureOtherCategoryTotal: 'mlwatch_feature_other_category_total',
  rejectedEventsTotal: 'mlwatch_rejected_events_total',
  modelInfo: 'mlwatch_model_info',
  unauthorizedRequestsTotal: 'mlwatch_unauthorized_requests_total',
  predictionLogWriteErrorsTotal: 'mlwatch_prediction_log_write_errors_total',
  predictionLogLinesDroppedTotal: 'mlwatch_prediction_log_lines_dropped_total',
  predictionLogTruncatedValuesTotal: 'mlwatch_prediction_log_truncated_values_total',
  overloadRefusalsTotal: 'mlwatch_overload_refusals_total',
  badReadRequestsTotal: 'mlwatch_bad_read_requests_total',
  featureBinTotal: 'mlwatch_feature_bin_total',
  featureCategoryTotal: 'mlwatch_feature_category_total',
  featureReferenceRatio: 'mlwatch_feature_reference_ratio',
  featureDriftScore: 'mlwatch_feature_drift_score',
  featureDriftPvalue: 'mlwatch_feature_drift_pvalue',
  featureDriftCorrectedPvalue: 'mlwatch_feature_drift_corrected_pvalue',
  featureDrifted: 'mlwatch_feature_drifted',
  outputDriftScore: 'mlwatch_output_drift_score',
  outputDriftPvalue: 'mlwatch_output_drift_pvalue',
  outputDriftCorrectedPvalue: 'mlwatch_output_drift_corrected_pvalue',
  outputDrifted: 'mlwatch_output_drifted',
  modelDriftShare: 'mlwatch_model_drift_share',
  modelDrifted: 'mlwatch_model_drifted',
  modelDatasetDrift: 'mlwatch_model_dataset_drift',
  driftWindowSamples: 'mlwatch_drift_window_samples',
  featureWindowQuantile: 'mlwatch_feature_window_quantile',
  featureReferenceQuantile: 'mlwatch_feature_reference_quantile',
  driftEvaluationSeconds: 'mlwatch_drift_evaluation_seconds',
  stateSnapshotWritesTotal: 'mlwatch_state_snapshot_writes_total',
  stateSnapshotLastWriteTimestampSeconds: 'mlwatch_state_snapshot_last_write_timestamp_seconds',
  stateSnapshotRestoreFailuresTotal: 'mlwatch_state_snapshot_restore_failures_total',
  configLastReloadSuccessful: 'mlwatch_config_last_reload_successful',
  configLastReloadSuccessTimestampSeconds: 'mlwatch_config_last_reload_success_timestamp_seconds',
  buildInfo: 'mlwatch_build_info',
  duplicateEventsTotal: 'mlwatch_duplicate_events_total',
  idStoreEvictionsTotal: 'mlwatch_id_store_evictions_total',
  idStoreSize: 'mlwatch_id_store_size',
  /** Regression outputs, served and ingested: the histogram the regression panels read. */
  predictionValue: 'mlwatch_prediction_value',
  /** The confusion matrix: one per joined label, by the predicted and the actual class. */
  labelsTotal: 'mlwatch_labels_total',
  /** Expected confusion counts of every successful prediction, from its (calibrated) class probabilities. */
  expectedLabelsTotal: 'mlwatch_expected_labels_total',
  /** The same expected counts, of the predictions that got a label: estimate and realised over the same predictions. */
  labelledExpectedLabelsTotal: 'mlwatch_labelled_expected_labels_total',
  /** Regression: |label − prediction| of each labelled prediction (its _sum and _count are the MAE's). */
  regressionAbsoluteError: 'mlwatch_regression_absolute_error',
  /** Regression: sum of (label − prediction)² of the labelled predictions (the RMSE's numerator). */
  regressionSquaredErrorTotal: 'mlwatch_regression_squared_error_total',
  /** Label time − prediction time of each labelled prediction. */
  labelDelaySeconds: 'mlwatch_label_delay_seconds',
  /** Every label received, by what became of it (LABEL_RESULTS). */
  labelEventsTotal: 'mlwatch_label_events_total',
  /** Failed operations on the shared join store (Redis), by operation. */
  joinStoreErrorsTotal: 'mlwatch_join_store_errors_total',
  /** Business outcomes counted once per (prediction, event), by model, version and event; zero for every declared one. */
  outcomesTotal: 'mlwatch_outcomes_total',
  /** Sum of the values of the outcomes of events declared with one (in the event's currency). */
  outcomeValueTotal: 'mlwatch_outcome_value_total',
  /** Every outcome received, by what became of it (OUTCOME_RESULTS). */
  outcomeEventsTotal: 'mlwatch_outcome_events_total',
} as const;

/** Label names used across metrics. */
export const LABELS = {
  model: 'model',
  version: 'version',
  status: 'status',
  class: 'class',
  feature: 'feature',
  reason: 'reason',
  scope: 'scope',
  destination: 'destination',
  predicted: 'predicted',
  actual: 'actual',
  result: 'result',
  operation: 'operation',
  event: 'event',
  /** The canary comparison a canary record or alert is about (CANARY_SIGNALS). */
  signal: 'signal',
  /** The version a canary candidate is judged against. */
  baseline: 'baseline',
} as const;

/**
 * What a bearer token lets a client do: `write` feeds predictions (predict, ingest), `read` reads
 * `/metrics` and the read APIs. The `scope` label of `mlwatch_unauthorized_requests_total`.
 */
export const AUTH_SCOPES = ['write', 'read'] as const;
export type AuthScope = (typeof AUTH_SCOPES)[number];

/** Outcome of one prediction: a model failure is an `error`; a rejected request is not a prediction at all. */
export const PREDICTION_STATUSES = ['success', 'error'] as const;
export type PredictionStatus = (typeof PREDICTION_STATUSES)[number];

/**
 * Why an event or request was refused; the `reason` label of
 * `mlwatch_rejected_events_total`. A closed set, so a bad client cannot create series.
 */
export const REJECTION_REASONS = [
  'malformed_json',
  'unsupported_media_type',
  'payload_too_large',
  'batch_too_large',
  'invalid_request',
  'unknown_model',
  'unknown_version',
  'not_servable',
  'unknown_class',
  'missing_feature',
  'unknown_feature',
  'invalid_feature_type',
  'non_finite_value',
  'invalid_field',
  /** A path that is not valid percent-encoding, e.g. `/v1/models/%ZZ/drift`. */
  'malformed_path',
  /** A Content-Encoding the exporter does not decode, or a body that does not decode as declared. */
  'unsupported_encoding',
  /** A number beyond its documented bound (e.g. latency_ms over an hour): it would corrupt a sum. */
  'value_out_of_range',
  /** An outcome event name the model does not declare. */
  'unknown_event',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * Why a prediction id left the recent-id store; the `reason` label of
 * `mlwatch_id_store_evictions_total`. `capacity`: the store was full and this was its oldest id;
 * `age`: the id was older than `exporter.recent_ids.max_age_seconds`.
 */
export const ID_STORE_EVICTION_REASONS = ['capacity', 'age'] as const;
export type IdStoreEvictionReason = (typeof ID_STORE_EVICTION_REASONS)[number];

/**
 * What became of a received label; the `result` label of `mlwatch_label_events_total`.
 * `joined`: found its prediction in the join store and was counted; `stateless`: carried its own
 * model, version and prediction and was counted; `duplicate`: its prediction was labelled already;
 * `unmatched`: no prediction with its id (never seen, or expired); `store_unavailable`: the shared
 * store did not answer (the request got 503). Refused labels count in `mlwatch_rejected_events_total`.
 */
export const LABEL_RESULTS = ['joined', 'stateless', 'duplicate', 'unmatched', 'store_unavailable'] as const;
export type LabelResult = (typeof LABEL_RESULTS)[number];

/**
 * What became of a received outcome; the `result` label of `mlwatch_outcome_events_total`. As
 * LABEL_RESULTS, with `duplicate` meaning this (prediction, event) was counted already.
 */
export const OUTCOME_RESULTS = LABEL_RESULTS;
export type OutcomeResult = LabelResult;

/**
 * What a canary is judged on; the `signal` label of the canary records and alert. `errors`: error
 * rate (higher is worse); `conversion`: the conversion event per prediction (lower is worse);
 * `accuracy`: realised accuracy of labelled predictions (lower is worse).
 */
export const CANARY_SIGNALS = ['errors', 'conversion', 'accuracy'] as const;
export type CanarySignal = (typeof CANARY_SIGNALS)[number];

/** Operations on the shared join store; the `operation` label of `mlwatch_join_store_errors_total`. */
export const JOIN_STORE_OPERATIONS = ['remember', 'claim'] as const;
export type JoinStoreOperation = (typeof JOIN_STORE_OPERATIONS)[number];

/** Label delay histogram buckets in seconds: a minute to thirty days. */
export const LABEL_DELAY_BUCKETS_SECONDS: readonly number[] = [
  60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 1_209_600, 2_592_000,
];

/** Default bounds of the regression absolute-error and value histograms when the spec gives none. */
export const DEFAULT_REGRESSION_BUCKETS: readonly number[] = [
  0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
];

/** Outcome of one snapshot write; the `status` label of `mlwatch_state_snapshot_writes_total`. */
export const SNAPSHOT_WRITE_STATUSES = ['success', 'error'] as const;
export type SnapshotWriteStatus = (typeof SNAPSHOT_WRITE_STATUSES)[number];

/**
 * Why (part of) a snapshot was not restored; the `reason` label of
 * `mlwatch_state_snapshot_restore_failures_total`. A closed set; a missing file is not a failure.
 */
export const SNAPSHOT_RESTORE_FAILURE_REASONS = [
  /** The file exists but cannot be read. */
  'unreadable',
  /** Not JSON, or not the shape the format promises. */
  'corrupt',
  /** Written by a format version this exporter does not read. */
  'unsupported_version',
  /** The model's spec section or reference profile changed since the snapshot. */
  'fingerprint_mismatch',
  /** The snapshot holds a model (or per-version window) the spec no longer has. */
  'unknown_target',
] as const;
export type SnapshotRestoreFailureReason = (typeof SNAPSHOT_RESTORE_FAILURE_REASONS)[number];
/** Where the prediction log writes; the `destination` label of its counters. */
export const PREDICTION_LOG_DESTINATIONS = ['file', 'stdout'] as const;
export type PredictionLogDestination = (typeof PREDICTION_LOG_DESTINATIONS)[number];

/**
 * Why a prediction log line did not reach a destination; the `reason` label of
 * `mlwatch_prediction_log_lines_dropped_total`. `buffer_full`: the destination was slower
 * than the traffic and its bounded buffer was full; `write_error`: the write (or the open)
 * failed; `file_missing`: the file was deleted under the log, or its path cannot be opened;
 * `unserializable`: the entry could not be turned into a line at all.
 */
export const PREDICTION_LOG_DROP_REASONS = ['buffer_full', 'write_error', 'file_missing', 'unserializable'] as const;
export type PredictionLogDropReason = (typeof PREDICTION_LOG_DROP_REASONS)[number];

/**
 * Largest `latency_ms` an ingested event may report: one hour. It feeds the latency histogram's
 * sum, which one 1.7e308 would pin at +Inf until restart; a slower prediction is a bug or an attack.
 */
export const MAX_LATENCY_MS = 3_600_000;

/**
 * Largest magnitude of a regression prediction: it feeds the output-drift window's statistics (and
 * the sum of the regression-output histogram the spec names); a billion of them still sum far from
 * float overflow.
 */
export const MAX_PREDICTION_MAGNITUDE = 1e12;

/**
 * Quantiles of each numeric feature exported for the live drift window and the reference (the
 * `quantile` label of `mlwatch_feature_window_quantile` and `mlwatch_feature_reference_quantile`):
 * the median and p95, so an alert can say which way a drifted feature moved.
 */
export const FEATURE_QUANTILES = ['0.5', '0.95'] as const;
export type FeatureQuantile = (typeof FEATURE_QUANTILES)[number];

/** Category label value an unseen category of a categorical feature is recorded under. */
export const OTHER_CATEGORY = '__other__';

/** Confidence histogram buckets: dense near 1, where a confident model lives. */
export const CONFIDENCE_BUCKETS: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];

/** Latency histogram buckets in seconds, 1 ms to 10 s; the spec's SLO target is added exactly. */
export const BASE_LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Prometheus job that scrapes the exporters; alerts and dashboards select it by this name. */
export const EXPORTER_JOB = 'mlwatch-exporter';

/** Alert severities: `critical` pages, `warning` opens a ticket, `info` is not routed. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Prefix of every alert name. */
export const ALERT_NAME_PREFIX = 'MLWatch';

/** Alert names: CamelCase with a common prefix, so a route or silence can match them all. */
export const ALERTS = {
  exporterDown: 'MLWatchExporterDown',
  exporterMissing: 'MLWatchExporterMissing',
  noPredictions: 'MLWatchNoPredictions',
  availabilityBudgetBurn: 'MLWatchAvailabilityBudgetBurn',
  latencyBudgetBurn: 'MLWatchLatencyBudgetBurn',
  latencyP99High: 'MLWatchLatencyP99High',
  featureDrift: 'MLWatchFeatureDrift',
  datasetDrift: 'MLWatchDatasetDrift',
  fleetFeatureDrift: 'MLWatchFleetFeatureDrift',
  predictionDrift: 'MLWatchPredictionDrift',
  confidenceDrift: 'MLWatchConfidenceDrift',
  confidenceDrop: 'MLWatchConfidenceDrop',
  rejectedEvents: 'MLWatchRejectedEvents',
  highMemory: 'MLWatchHighMemory',
  eventLoopLag: 'MLWatchEventLoopLag',
  reloadFailed: 'MLWatchReloadFailed',
  predictionLogLoss: 'MLWatchPredictionLogLoss',
  accuracyLow: 'MLWatchAccuracyLow',
  classRecallLow: 'MLWatchClassRecallLow',
  regressionErrorHigh: 'MLWatchRegressionErrorHigh',
  labelCoverageLow: 'MLWatchLabelCoverageLow',
  estimatedAccuracyLow: 'MLWatchEstimatedAccuracyLow',
  estimateDivergence: 'MLWatchEstimateDivergence',
  conversionDrop: 'MLWatchConversionDrop',
  valueDrop: 'MLWatchValueDrop',
  canaryWorse: 'MLWatchCanaryWorse',
  watchdog: 'MLWatchWatchdog',
} as const;
export type AlertName = (typeof ALERTS)[keyof typeof ALERTS];

/** Grafana dashboard uids; alerts link to them before the dashboards are generated. */
export const DASHBOARD_UIDS = {
  serviceOverview: 'mlwatch-service-overview',
  modelDrift: 'mlwatch-model-drift',
  versionsFleet: 'mlwatch-versions-fleet',
  classificationPerformance: 'mlwatch-classification-performance',
  regressionPerformance: 'mlwatch-regression-performance',
  businessVersions: 'mlwatch-business-versions',
} as const;
export type DashboardUid = (typeof DASHBOARD_UIDS)[keyof typeof DASHBOARD_UIDS];

/** Window of the short rates every recording rule and dashboard uses. */
export const RATE_WINDOW = '5m';

/** Multi-window burn-rate windows of the SLO alerts (Google SRE workbook, chapter 5). */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];

/**
 * Recording-rule names, `level:metric:operations`. Windows in the names are the production
 * ones; the fast profile compresses time but keeps the names, so dashboards work on both.
 */
export const RECORDS = {
  predictionRate: `model_version_status:mlwatch_predictions:rate${RATE_WINDOW}`,
  modelPredictionRate: `model:mlwatch_predictions:rate${RATE_WINDOW}`,
  latencyQuantile: (quantile: 'p50' | 'p95' | 'p99') =>
    `model_version:mlwatch_prediction_latency_seconds:${quantile}_rate${RATE_WINDOW}`,
  errorRatio: (window: SloWindow) => `model:mlwatch_prediction_errors:ratio_rate${window}`,
  latencyOverTargetRatio: (window: SloWindow) => `model:mlwatch_prediction_latency_over_target:ratio_rate${window}`,
  /** Predictions (the availability SLI's events) per model over a burn-rate long window. */
  predictionsIncrease: (window: SloWindow) => `model:mlwatch_predictions:increase${window}`,
  /** Latency observations (the latency SLI's events) per model over a burn-rate long window. */
  latencyObservationsIncrease: (window: SloWindow) => `model:mlwatch_prediction_latency_observations:increase${window}`,
  versionErrorRatio: `model_version:mlwatch_prediction_errors:ratio_rate${RATE_WINDOW}`,
  meanConfidence: `model_version:mlwatch_prediction_confidence:mean_rate${RATE_WINDOW}`,
  classShare: `model_version_class:mlwatch_predicted_class:share_rate${RATE_WINDOW}`,
  rejectedRate: `reason:mlwatch_rejected_events:rate${RATE_WINDOW}`,
  fleetBinShare: (window: string) => `model_feature_bin:mlwatch_feature_bin:share_increase${window}`,
  fleetBinCumulativeShare: (window: string) =>
    `model_feature_bin:mlwatch_feature_bin:cumulative_share_increase${window}`,
  fleetCategoryShare: (window: string) => `model_feature_category:mlwatch_feature_category:share_increase${window}`,
  referenceBinRatio: 'model_feature_bin:mlwatch_feature_reference_ratio:max',
  referenceBinCumulativeRatio: 'model_feature_bin:mlwatch_feature_reference_ratio:cumulative_max',
  referenceCategoryRatio: 'model_feature_category:mlwatch_feature_reference_ratio:max',
  fleetEvents: (window: string) => `model_feature:mlwatch_feature_events:increase${window}`,
  fleetPsi: (window: string) => `model_feature:mlwatch_feature_drift_psi:increase${window}`,
  fleetKs: (window: string) => `model_feature:mlwatch_feature_drift_ks:increase${window}`,
  // Quality, per model version over each of the spec's quality.windows_seconds (formatted like `1h`).
  /** Labels counted (classification and regression). */
  labelsIncrease: (window: string) => `model_version:mlwatch_labels:increase${window}`,
  /** Labels ÷ successful predictions of the same window offset by quality.expected_delay_seconds. */
  labelCoverage: (window: string) => `model_version:mlwatch_label_coverage:ratio_increase${window}`,
  /** Diagonal of the confusion matrix per class (`class` = predicted = actual). */
  labelTruePositives: (window: string) => `model_version_class:mlwatch_labels_true_positives:increase${window}`,
  accuracy: (window: string) => `model_version:mlwatch_labels_accuracy:ratio_increase${window}`,
  precision: (window: string) => `model_version_class:mlwatch_labels_precision:ratio_increase${window}`,
  recall: (window: string) => `model_version_class:mlwatch_labels_recall:ratio_increase${window}`,
  f1: (window: string) => `model_version_class:mlwatch_labels_f1:ratio_increase${window}`,
  macroF1: (window: string) => `model_version:mlwatch_labels_macro_f1:ratio_increase${window}`,
  /** The same five over mlwatch_expected_labels_total: the estimate, which needs no labels. */
  expectedTruePositives: (window: string) =>
    `model_version_class:mlwatch_expected_labels_true_positives:increase${window}`,
  estimatedAccuracy: (window: string) => `model_version:mlwatch_expected_labels_accuracy:ratio_increase${window}`,
  estimatedPrecision: (window: string) =>
    `model_version_class:mlwatch_expected_labels_precision:ratio_increase${window}`,
  estimatedRecall: (window: string) => `model_version_class:mlwatch_expected_labels_recall:ratio_increase${window}`,
  estimatedF1: (window: string) => `model_version_class:mlwatch_expected_labels_f1:ratio_increase${window}`,
  /** Estimated accuracy of the labelled predictions only (mlwatch_labelled_expected_labels_total). */
  labelledEstimatedAccuracy: (window: string) =>
    `model_version:mlwatch_labelled_expected_labels_accuracy:ratio_increase${window}`,
  mae: (window: string) => `model_version:mlwatch_regression_absolute_error:mean_increase${window}`,
  rmse: (window: string) => `model_version:mlwatch_regression_squared_error:rms_increase${window}`,
  // Outcomes, per model version and event over each of the spec's outcomes.windows_seconds.
  /** Outcomes counted in the window. */
  outcomesIncrease: (window: string) => `model_version_event:mlwatch_outcomes:increase${window}`,
  /** Outcomes ÷ successful predictions of the same window offset by outcomes.attribution_delay_seconds (CTR, conversion rate). */
  outcomeRate: (window: string) => `model_version_event:mlwatch_outcomes:per_prediction_increase${window}`,
  /** Outcome value ÷ the same offset predictions (value events only). */
  outcomeValuePerPrediction: (window: string) =>
    `model_version_event:mlwatch_outcome_value:per_prediction_increase${window}`,
  /** Moving average over `over` of the first window's outcome rate (the smoothed trend). */
  outcomeRateAverage: (window: string, over: string) =>
    `model_version_event:mlwatch_outcomes:per_prediction_increase${window}_avg${over}`,
  /** Moving average over `over` of the first window's value per prediction. */
  outcomeValueAverage: (window: string, over: string) =>
    `model_version_event:mlwatch_outcome_value:per_prediction_increase${window}_avg${over}`,
  /** Outcome rate ÷ the same window's rate one week earlier (from the counters, offset 1w). */
  outcomeRateWeekOverWeek: (window: string) =>
    `model_version_event:mlwatch_outcomes:per_prediction_wow_ratio_increase${window}`,
  /** Value per prediction ÷ the same window's one week earlier. */
  outcomeValueWeekOverWeek: (window: string) =>
    `model_version_event:mlwatch_outcome_value:per_prediction_wow_ratio_increase${window}`,
  /**
   * One-sided two-proportion z statistic of the canary against its baseline, positive when the
   * candidate is worse, by `signal` (CANARY_SIGNALS); labelled model, version (the candidate), baseline.
   */
  canaryZ: (window: string) => `model_version_signal:mlwatch_canary:z_increase${window}`,
  /** Volume behind each side of the canary z: predictions (or labels, for accuracy) of the version in the window. */
  canaryVolume: (window: string) => `model_version_signal:mlwatch_canary:volume_increase${window}`,
  /** The candidate's latency p99 ÷ the baseline's (labelled model, version = candidate, baseline). */
  canaryLatencyP99Ratio: `model_version:mlwatch_canary_latency_p99:ratio_rate${RATE_WINDOW}`,
} as const;

/** Fleet bins per numeric feature: the reference deciles cut the line into ten. */
export const FLEET_BIN_COUNT = 10;

/** `bin` label of fleet bin `index`: zero-padded, so bins sort in order as strings and PromQL regexes can select prefixes. */
export function binLabel(index: number): string {
  return String(index).padStart(2, '0');
}
