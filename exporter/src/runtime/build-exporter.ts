import type { Express } from 'express';
import type { Logger } from 'pino';
import type { LoadedSpec } from '../../../spec/src/load-spec';
import { loadAuthTokens, type AuthTokens } from '../auth/load-tokens';
import { DriftMonitor } from '../drift/drift-monitor';
import { DriftRecorder } from '../drift/drift-recorder';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { createApp } from '../http/app';
import type { AppDeps } from '../http/app-deps';
import { openPredictionLog, type PredictionLogOptions } from '../logging/prediction-log';
import { createExporterMetrics } from '../metrics/exporter-metrics';
import type { PromMetric } from '../metrics/prom-metric';
import { registerMetric } from '../metrics/register-metric';
import { ModelCatalog } from '../serving/model-catalog';
import { IdStore } from '../joins/id-store';
import { idStoreSection } from '../joins/id-store-section';
import { createJoinStore, recentIdBounds } from '../joins/create-join-store';
import { ReadGauge } from '../metrics/read-gauge';
import { METRICS } from '../../../spec/src/conventions';
import { driftStateSection } from '../drift/drift-state-section';
import { counterSection } from '../state/counter-section';
import { modelFingerprints } from '../state/model-fingerprints';
import { StateStore } from '../state/state-store';
import type { RunbookPages } from '../runbooks/runbook-pages';
import { loadPredictors } from './load-predictors';

export interface BuildExporterOptions {
  logger: Logger;
  /** Reference profiles by model name (see loadModelProfiles); models without one get no numeric bins or verdicts. */
  profiles?: ReadonlyMap<string, ReferenceProfile>;
  /** Overrides the spec's `logging.stdout`. */
  logToStdout?: boolean;
  /** Uniform [0, 1) source for the traffic split and log sampling; injectable for tests. */
  random?: () => number;
  /** Where `auth.*.token_env` variables are read; the process environment by default. */
  env?: NodeJS.ProcessEnv;
  /** Metrics that outlive a generation (snapshot and reload outcomes, build info), registered in this one's registry too. */
  processMetrics?: readonly PromMetric[];
  /** The runbook pages served at `/runbooks` (see loadRunbooks). */
  runbooks?: RunbookPages;
}

/** The exporter's parts, wired but not listening. */
export interface BuiltExporter {
  app: Express;
  deps: AppDeps & { readiness: { ready: boolean }; driftMonitor: DriftMonitor; auth: AuthTokens; ids: IdStore };
  /** Absolute path of the prediction log file, or null. */
  logFile: string | null;
  /** The state that survives restarts (snapshots) and reloads: drift windows and verdicts, recent ids, and counters. */
  state: StateStore;
}

const LOG_ERROR_REPORT_INTERVAL_MS = 60_000;

/** Wires metrics, models, the prediction log and the HTTP app from a loaded spec. */
export function buildExporter(loaded: LoadedSpec, options: BuildExporterOptions): BuiltExporter {
  const { spec } = loaded;
  const { logger } = options;
  // Tokens first: a bad token file stops the start (or the reload) before anything is opened.
  const auth = loadAuthTokens(spec.auth, (file) => loaded.resolve(file), options.env);
  const profiles = options.profiles ?? new Map<string, ReferenceProfile>();
  const metrics = createExporterMetrics(spec, { profiles });
  const catalog = new ModelCatalog(spec, metrics.layout, loadPredictors(loaded));
  const drift = new DriftRecorder(spec, profiles, metrics.registry);
  const driftMonitor = new DriftMonitor(spec, drift, profiles, metrics.registry, logger);
  for (const metric of options.processMetrics ?? []) registerMetric(metrics.registry, metric);
  const { capacity, maxAgeSeconds } = recentIdBounds(spec);
  const ids = new IdStore(capacity, maxAgeSeconds, metrics.idStoreEvictions);
  const joins = createJoinStore(spec, ids, metrics, options.env);
  registerMetric(
    metrics.registry,
    new ReadGauge(METRICS.idStoreSize, 'Prediction ids in the recent-id store now.', () => ids.size),
  );
  const fingerprints = modelFingerprints(spec, profiles);
  const state = new StateStore([
    driftStateSection(spec.drift, drift, driftMonitor, fingerprints),
    idStoreSection(ids, metrics.layout),
    ...(joins?.sections ?? []),
    counterSection(metrics.registry, fingerprints),
  ]);
  const logFile = spec.logging.file === null ? null : loaded.resolve(spec.logging.file);
  let lastLogErrorReport = Number.NEGATIVE_INFINITY;
  const logOptions: PredictionLogOptions = {
    file: logFile,
    stdout: options.logToStdout ?? spec.logging.stdout,
    sampleRate: spec.logging.sample_rate,
    redact: spec.logging.redact,
    bufferBytes: spec.logging.buffer_bytes,
    flushIntervalMs: spec.logging.flush_interval_seconds * 1000,
    maxStringLength: spec.logging.max_string_length,
    ...(options.random === undefined ? {} : { random: options.random }),
    onDropped: (destination, reason, lines) => metrics.predictionLog.dropped(destination, reason, lines),
    onTruncated: (count) => metrics.predictionLog.truncatedValues.inc(0, count),
    onWriteError: (error) => {
      metrics.predictionLog.writeErrors.inc(0);
      // One report a minute: a full disk must not flood the operational log too.
      if (Date.now() - lastLogErrorReport > LOG_ERROR_REPORT_INTERVAL_MS) {
        lastLogErrorReport = Date.now();
        logger.warn({ err: error, file: logFile }, 'prediction log write failed; predictions continue');
      }
    },
  };
  const predictionLog = openPredictionLog(logOptions);
  const deps = {
    spec,
    catalog,
    metrics,
    predictionLog,
    logger,
    readiness: { ready: false },
    drift,
    driftMonitor,
    auth,
    ids,
    ...(joins === undefined ? {} : { joins: joins.store }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.runbooks === undefined ? {} : { runbooks: options.runbooks }),
  };
  return { app: createApp(deps), deps, logFile, state };
}
