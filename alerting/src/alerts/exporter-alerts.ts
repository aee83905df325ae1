import { ALERTS, DASHBOARD_UIDS, EXPORTER_JOB, METRICS, RATE_WINDOW, RECORDS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import { parseDuration } from '../prometheus-duration';
import { humanize1024 } from './annotation-template';
import { formatGoG } from './go-format';
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
  summary: ['An mlwatch exporter cannot be scraped.'],
  description: (ctx) => [
    'Prometheus has not scraped the mlwatch exporter at ',
    { label: 'instance' },
    ` for ${ctx.forDuration(exporterDownForSeconds(ctx))} (up is `,
    { value: 'number' },
    ', the alert fires at 0): no metrics, drift verdicts or alerts come from it. First check that the process runs and answers on /healthz, then its log for why it stopped.',
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
  summary: ['Prometheus has no mlwatch exporter to scrape.'],
  description: (ctx) => [
    'Prometheus has had no target for job ',
    { label: 'job' },
    ` for ${ctx.forDuration(exporterDownForSeconds(ctx))}: the scrape configuration or service discovery lost the exporters, so every other mlwatch alert is blind. First check Status › Targets in Prometheus, then the job in prometheus.yml or its service discovery.`,
  ],
  value: [{ value: 'number' }],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.exporter_down,
      expr: `absent(up{${EXPORTER}})`,
      forSeconds: exporterDownForSeconds(ctx),
    },
  ],
  lintWaivers: [
    {
      rule: 'annotations/description',
      reason: 'absent() is 1 whenever it fires: there is no measured value to quote, only the missing job',
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
  summary: ['A model receives no predictions.'],
  description: (ctx) => [
    'Model ',
    { label: 'model' },
    ' has served or received ',
    { value: 'number' },
    ` predictions/s over the last ${ctx.range(RATE_WINDOW)} for ${ctx.forDuration(ctx.spec.alerts.for_seconds.no_predictions)} (the alert fires at 0) although its exporter is up: traffic stopped upstream. First check the client or batch job that sends the predictions, then the load balancer's routing.`,
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
  summary: ['The exporters reject incoming events.'],
  description: (ctx) => [
    'The exporters reject ',
    { value: 'number' },
    ' events/s with reason ',
    { label: 'reason' },
    `, above the limit of ${formatGoG(ctx.spec.alerts.rejected_events_per_second, 4)} events/s (alerts.rejected_events_per_second): a client sends data that does not match mlwatch.yaml. First check the exporters' responses or log for the field named, then which client changed its schema.`,
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
  summary: ['An mlwatch exporter uses more memory than its limit.'],
  description: (ctx) => [
    'Resident memory of exporter ',
    { label: 'instance' },
    ' is ',
    { value: 'bytes' },
    `, above the limit of ${humanize1024(ctx.spec.alerts.memory_bytes)}B (alerts.memory_bytes), and growing memory ends in the process being killed. First check drift.window_size and the reference sample sizes, then the recent-id store (exporter.recent_ids.capacity).`,
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
  summary: ['An mlwatch exporter event loop lags behind.'],
  description: (ctx) => [
    'The p99 event-loop lag of exporter ',
    { label: 'instance' },
    ' is ',
    { value: 'number' },
    ` s, above ${formatGoG(ctx.spec.alerts.event_loop_lag_seconds, 4)} s (alerts.event_loop_lag_seconds): requests queue behind synchronous work. First check the host's CPU (starvation), then for huge ingest batches and a slow prediction log destination.`,
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
  summary: ['An mlwatch exporter failed to reload its spec.'],
  description: [
    'The last reload (SIGHUP) of exporter ',
    { label: 'instance' },
    ' failed (',
    `${METRICS.configLastReloadSuccessful} is `,
    { value: 'number' },
    ', the alert fires at 0): it still runs the previous spec and reference profiles, so the file on disk is not what is monitored. First check its log for the reason, fix mlwatch.yaml or the profile, and send SIGHUP again.',
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
