import { ALERTS, DASHBOARD_UIDS, EXPORTER_JOB, LABELS, METRICS, RATE_WINDOW } from '../../../spec/src/conventions';
import { parseDuration } from '../prometheus-duration';
import type { AlertDefinition } from './alert-definition';
import { EXPORTER_TARGET, around, settledAt } from './case-helpers';
import { EXPORTER_ALERT_GROUP } from './exporter-alerts';
import { constant, counter, counterPhases, seriesName } from './input-series';

const MINUTE = 60;

/**
 * Fires while an exporter loses prediction log lines, whatever the reason: a stalled stdout
 * reader or slow disk (`buffer_full`), a failing disk (`write_error`), a deleted or unopenable
 * file (`file_missing`), an entry that cannot be serialised. The log is the audit trail, so
 * any loss is worth a ticket; the threshold is zero.
 */
export const predictionLogLoss: AlertDefinition = {
  name: ALERTS.predictionLogLoss,
  group: EXPORTER_ALERT_GROUP,
  dashboard: DASHBOARD_UIDS.serviceOverview,
  perModel: false,
  summary: ['An mlwatch exporter loses prediction log lines.'],
  description: [
    'Exporter ',
    { label: 'instance' },
    ' drops ',
    { value: 'number' },
    ' prediction log lines/s bound for ',
    { label: 'destination' },
    ' with reason ',
    { label: 'reason' },
    '; any loss fires the alert (threshold 0): predictions are served, but the log that audits them has gaps (missing seq numbers). First check the destination: free disk space and permissions for file, a stalled reader of stdout for buffer_full.',
  ],
  value: [{ value: 'number' }, ' lines/s'],
  forms: (ctx) => {
    const { instance, destination, reason } = { instance: 'instance', ...LABELS };
    const selector = `${METRICS.predictionLogLinesDroppedTotal}{job="${EXPORTER_JOB}"}`;
    return [
      {
        severity: ctx.spec.alerts.severity.prediction_log_loss,
        expr: `sum by (${instance}, ${destination}, ${reason}) (rate(${selector}[${ctx.range(RATE_WINDOW)}])) > 0`,
        forSeconds: ctx.spec.alerts.for_seconds.prediction_log_loss,
      },
    ];
  },
  cases: (ctx) => {
    const { above, below } = around(0);
    const at = settledAt(parseDuration(RATE_WINDOW), ctx.spec.alerts.for_seconds.prediction_log_loss, MINUTE);
    const labels = { destination: 'stdout', reason: 'buffer_full' };
    const dropped = seriesName(METRICS.predictionLogLinesDroppedTotal, { ...EXPORTER_TARGET, ...labels });
    return [
      {
        title: 'fires while lines are dropped',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [{ series: dropped, values: counter(above) }],
        expected: [
          {
            severity: ctx.spec.alerts.severity.prediction_log_loss,
            labels: { instance: EXPORTER_TARGET.instance, ...labels },
            value: above,
          },
        ],
      },
      {
        title: 'silent while none are',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [{ series: dropped, values: below === 0 ? constant(0) : counter(below) }],
        expected: [],
      },
      {
        title: 'silent again once a burst of drops is a rate window old',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [
          {
            series: dropped,
            values: counterPhases([
              { perSecond: above, seconds: at - parseDuration(RATE_WINDOW) - 2 * MINUTE },
              { perSecond: 0, seconds: Infinity },
            ]),
          },
        ],
        expected: [],
      },
    ];
  },
};
