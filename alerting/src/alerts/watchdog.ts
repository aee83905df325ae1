import { ALERTS, DASHBOARD_UIDS } from '../../../spec/src/conventions';
import { constant, seriesName } from './input-series';
import type { AlertDefinition } from './alert-definition';

/**
 * Always firing. Its absence downstream is the alert: if it stops arriving, the pipeline
 * from rules to Alertmanager is broken. It has no threshold, so its only case is that it
 * fires with no data at all.
 */
export const watchdog: AlertDefinition = {
  name: ALERTS.watchdog,
  group: 'mlwatch-meta-alerts',
  dashboard: DASHBOARD_UIDS.serviceOverview,
  perModel: false,
  summary: ['The mlwatch alerting pipeline is alive.'],
  description: [
    'Always firing, to prove that Prometheus evaluates the mlwatch rules and reaches Alertmanager (value ',
    { value: 'number' },
    '). If it stops arriving, alerting is broken: first check that Prometheus runs and lists Alertmanager under Status › Runtime & Build Information.',
  ],
  value: [{ value: 'number' }],
  forms: () => [{ severity: 'info', expr: 'vector(1)', forSeconds: 0 }],
  lintWaivers: [
    {
      rule: 'alerts/for',
      reason: 'vector(1) is always true and reads no scraped sample: a for: would only delay the heartbeat',
    },
  ],
  cases: () => [
    {
      title: 'fires with no data at all',
      intervalSeconds: 60,
      evalAtSeconds: 60,
      series: [{ series: seriesName('unrelated_metric'), values: constant(0) }],
      expected: [{ severity: 'info', labels: {}, value: 1 }],
    },
  ],
};
