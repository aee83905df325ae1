import { ALERTS, DASHBOARD_UIDS, EXPORTER_JOB, METRICS, RATE_WINDOW, RECORDS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import { parseDuration } from '../prometheus-duration';
import { constant, counter, seriesName } from './input-series';
import type { AlertDefinition } from './alert-definition';
import { EXPORTER_TARGET, around, fixtureModel, fixtureVersion, settledAt } from './case-helpers';

/** Rule group (and file) of the alerts about the exporter process itself. */
export const EXPORTER_ALERT_GROUP = 'mlwatch-exporter-alerts';
const GROUP = EXPORTER_ALERT_GROUP;
const MINUTE = 60;
const EXPORTER = `job="${EXPORTER_JOB}"`;

/** Production seconds of the exporter-down `for:`: the spec's, but never less than a restart takes in this profile. */
export function exporterDownForSeconds(ctx: AlertingContext): number {
  return Math.max(
    ctx.spec.alerts.for_seconds.exporter_down,
    ctx.profile.restartToleranceSeconds * ctx.profile.timeCompression,
  );
}

export const exporterDown: AlertDefinition = {
  name: ALERTS.exporterDown,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.versionsFleet,
  perModel: false,
  summary: ['Exporter ', { label: 'instance' }, ' is down'],
  description: [
    'Prometheus cannot scrape the mlwatch exporter at ',
    { label: 'instance' },
    ': no metrics, drift verdicts or alerts come from it.',
  ],
  value: [{ value: 'number' }],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.exporter_down,
      expr: `up{${EXPORTER}} == 0`,
      forSeconds: exporterDownForSeconds(ctx),
    },
  ],
  cases: (ctx) => {
    const at = settledAt(0, exporterDownForSeconds(ctx), MINUTE);
    const up = (value: number) => [{ series: seriesName('up', EXPORTER_TARGET), values: constant(value) }];
    return [
      {
        title: 'fires when the target is down',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: up(0),
        expected: [{ severity: ctx.spec.alerts.severity.exporter_down, labels: EXPORTER_TARGET, value: 0 }],
      },
      {
        title: 'silent while the target is up',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: up(1),
        expected: [],
      },
    ];
  },
};

export const exporterMissing: AlertDefinition = {
  name: ALERTS.exporterMissing,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.versionsFleet,
  perModel: false,
  summary: ['No exporter target in Prometheus'],
  description: [
    'Prometheus has no target for job ',
    { label: 'job' },
    ': the scrape configuration or service discovery lost the exporters, so every other mlwatch alert is blind.',
  ],
  value: [{ value: 'number' }],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.exporter_down,
      expr: `absent(up{${EXPORTER}})`,
      forSeconds: exporterDownForSeconds(ctx),
    },
  ],
  cases: (ctx) => {
    const at = settledAt(0, exporterDownForSeconds(ctx), MINUTE);
    return [
      {
        title: 'fires when no exporter target exists',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [{ series: seriesName('up', { job: 'prometheus', instance: 'localhost:9090' }), values: constant(1) }],
        expected: [{ severity: ctx.spec.alerts.severity.exporter_down, labels: { job: EXPORTER_JOB }, value: 1 }],
      },
      {
        title: 'silent while a target exists',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [{ series: seriesName('up', EXPORTER_TARGET), values: constant(0) }],
        expected: [],
      },
    ];
  },
};

export const noPredictions: AlertDefinition = {
  name: ALERTS.noPredictions,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.serviceOverview,
  perModel: true,
  summary: ['Model ', { label: 'model' }, ' makes no predictions'],
  description: [
    'Model ',
    { label: 'model' },
    ' has served or received no prediction for a while although its exporter is up: a silent failure upstream (traffic routed elsewhere, a stuck client, a broken batch job).',
  ],
  value: [{ value: 'number' }, ' predictions/s'],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.no_predictions,
      expr: `${RECORDS.modelPredictionRate} == 0`,
      forSeconds: ctx.spec.alerts.for_seconds.no_predictions,
    },
  ],
  cases: (ctx) => {
    const model = fixtureModel(ctx);
    const at = settledAt(parseDuration(RATE_WINDOW), ctx.spec.alerts.for_seconds.no_predictions, MINUTE);
    const predictions = seriesName(METRICS.predictionsTotal, {
      ...EXPORTER_TARGET,
      model,
      version: fixtureVersion(ctx),
      status: 'success',
    });
    return [
      {
        title: 'fires when the counter stands still',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [{ series: predictions, values: constant(1000) }],
        expected: [{ severity: ctx.spec.alerts.severity.no_predictions, labels: { model }, value: 0 }],
      },
      {
        title: 'silent with a trickle of predictions',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [{ series: predictions, values: counter(0.05) }],
        expected: [],
      },
    ];
  },
};

export const rejectedEvents: AlertDefinition = {
  name: ALERTS.rejectedEvents,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.modelDrift,
  perModel: false,
  summary: ['Events rejected for ', { label: 'reason' }],
  description: [
    'The exporters reject ',
    { value: 'number' },
    ' events/s with reason ',
    { label: 'reason' },
    ': a client is sending data that does not match mlwatch.yaml.',
  ],
  value: [{ value: 'number' }, ' events/s'],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.rejected_events,
      expr: `${RECORDS.rejectedRate} > ${ctx.spec.alerts.rejected_events_per_second}`,
      forSeconds: ctx.spec.alerts.for_seconds.rejected_events,
    },
  ],
  cases: (ctx) => {
    const { above, below } = around(ctx.spec.alerts.rejected_events_per_second);
    const at = settledAt(parseDuration(RATE_WINDOW), ctx.spec.alerts.for_seconds.rejected_events, MINUTE);
    const rejected = seriesName(METRICS.rejectedEventsTotal, { ...EXPORTER_TARGET, reason: 'missing_feature' });
    return [
      {
        title: 'fires above the rejection rate',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [{ series: rejected, values: counter(above) }],
        expected: [
          { severity: ctx.spec.alerts.severity.rejected_events, labels: { reason: 'missing_feature' }, value: above },
        ],
      },
      {
        title: 'silent just below it',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [{ series: rejected, values: counter(below) }],
        expected: [],
      },
    ];
  },
};

export const highMemory: AlertDefinition = {
  name: ALERTS.highMemory,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.serviceOverview,
  perModel: false,
  summary: ['Exporter ', { label: 'instance' }, ' uses ', { value: 'bytes' }, ' of memory'],
  description: [
    'Resident memory of exporter ',
    { label: 'instance' },
    ' is ',
    { value: 'bytes' },
    ", above the spec's limit: check drift window sizes and reference sample sizes before the process is killed.",
  ],
  value: [{ value: 'bytes' }],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.high_memory,
      expr: `process_resident_memory_bytes{${EXPORTER}} > ${ctx.spec.alerts.memory_bytes}`,
      forSeconds: ctx.spec.alerts.for_seconds.high_memory,
    },
  ],
  cases: (ctx) => {
    const { above, below } = around(ctx.spec.alerts.memory_bytes);
    const at = settledAt(0, ctx.spec.alerts.for_seconds.high_memory, MINUTE);
    const memory = (bytes: number) => [
      { series: seriesName('process_resident_memory_bytes', EXPORTER_TARGET), values: constant(Math.round(bytes)) },
    ];
    return [
      {
        title: 'fires above the memory limit',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: memory(above),
        expected: [
          { severity: ctx.spec.alerts.severity.high_memory, labels: EXPORTER_TARGET, value: Math.round(above) },
        ],
      },
      {
        title: 'silent just below it',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: memory(below),
        expected: [],
      },
    ];
  },
};

export const eventLoopLag: AlertDefinition = {
  name: ALERTS.eventLoopLag,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.serviceOverview,
  perModel: false,
  summary: ['Exporter ', { label: 'instance' }, ' event loop lags ', { value: 'number' }, ' s'],
  description: [
    'The p99 event-loop lag of exporter ',
    { label: 'instance' },
    ' is ',
    { value: 'number' },
    ' s: requests queue behind synchronous work (a huge batch, a slow log sink, CPU starvation).',
  ],
  value: [{ value: 'number' }, ' s'],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.event_loop_lag,
      expr: `nodejs_eventloop_lag_p99_seconds{${EXPORTER}} > ${ctx.spec.alerts.event_loop_lag_seconds}`,
      forSeconds: ctx.spec.alerts.for_seconds.event_loop_lag,
    },
  ],
  cases: (ctx) => {
    const { above, below } = around(ctx.spec.alerts.event_loop_lag_seconds);
    const at = settledAt(0, ctx.spec.alerts.for_seconds.event_loop_lag, MINUTE);
    const lag = (seconds: number) => [
      { series: seriesName('nodejs_eventloop_lag_p99_seconds', EXPORTER_TARGET), values: constant(seconds) },
    ];
    return [
      {
        title: 'fires above the lag limit',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: lag(above),
        expected: [{ severity: ctx.spec.alerts.severity.event_loop_lag, labels: EXPORTER_TARGET, value: above }],
      },
      { title: 'silent just below it', intervalSeconds: MINUTE, evalAtSeconds: at, series: lag(below), expected: [] },
    ];
  },
};

export const reloadFailed: AlertDefinition = {
  name: ALERTS.reloadFailed,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.serviceOverview,
  perModel: false,
  summary: ['Exporter ', { label: 'instance' }, ' failed to reload its spec'],
  description: [
    'The last reload (SIGHUP) of exporter ',
    { label: 'instance' },
    ' failed: it still runs the previous spec and reference profiles, so the file on disk is not what is monitored. Its log says why.',
  ],
  value: [{ value: 'number' }],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.reload_failed,
      expr: `${METRICS.configLastReloadSuccessful}{${EXPORTER}} == 0`,
      forSeconds: ctx.spec.alerts.for_seconds.reload_failed,
    },
  ],
  cases: (ctx) => {
    const at = settledAt(0, ctx.spec.alerts.for_seconds.reload_failed, MINUTE);
    const reload = (successful: number) => [
      { series: seriesName(METRICS.configLastReloadSuccessful, EXPORTER_TARGET), values: constant(successful) },
    ];
    return [
      {
        title: 'fires when the last reload failed',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: reload(0),
        expected: [{ severity: ctx.spec.alerts.severity.reload_failed, labels: EXPORTER_TARGET, value: 0 }],
      },
      {
        title: 'silent when it succeeded',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: reload(1),
        expected: [],
      },
    ];
  },
};

export const EXPORTER_ALERTS: readonly AlertDefinition[] = [
  exporterDown,
  exporterMissing,
  noPredictions,
  rejectedEvents,
  highMemory,
  eventLoopLag,
  reloadFailed,
];
