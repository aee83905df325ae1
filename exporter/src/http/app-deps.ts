import type { Logger } from 'pino';
import type { Spec } from '../../../spec/src/schema';
import type { AuthTokens } from '../auth/load-tokens';
import type { DriftMonitor } from '../drift/drift-monitor';
import type { DriftRecorder } from '../drift/drift-recorder';
import type { IdStore } from '../joins/id-store';
import type { JoinStore } from '../joins/join-store';
import type { PredictionLog } from '../logging/prediction-log';
import type { ExporterMetrics } from '../metrics/exporter-metrics';
import type { RunbookPages } from '../runbooks/runbook-pages';
import type { ModelCatalog } from '../serving/model-catalog';

/** Whether the exporter should receive traffic; false while starting or draining. */
export interface Readiness {
  ready: boolean;
}

/** Everything `createApp` needs, built by the caller, so tests can hand in their own. */
export interface AppDeps {
  spec: Spec;
  catalog: ModelCatalog;
  metrics: ExporterMetrics;
  predictionLog: PredictionLog;
  /** Operational log (stderr); predictions go to `predictionLog`. */
  logger?: Logger;
  /** Uniform [0, 1) source for the traffic split; injectable for tests. */
  random?: () => number;
  readiness?: Readiness;
  /** Drift windows and fleet bins every accepted event is recorded into. */
  drift?: DriftRecorder;
  /** Drift verdicts, for the report endpoint. */
  driftMonitor?: DriftMonitor;
  /** The recent prediction ids, so a retried event is counted once; without it nothing is deduplicated. */
  ids?: IdStore;
  /** Where labels find their predictions (see create-join-store); without it the label route refuses every label. */
  joins?: JoinStore;
  /** The tokens each scope accepts; without them every endpoint is open (tests, loopback demos). */
  auth?: AuthTokens;
  /** The runbook pages served at `/runbooks`; without them those routes answer 404. */
  runbooks?: RunbookPages;
}
