import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Spec } from '../../spec/src/schema';
import { DASHBOARD_UIDS, METRICS, RECORDS } from '../../spec/src/conventions';
import { BURN_RATE_PAIRS, errorBudget } from '../../alerting/src/error-budget';
import { buildDashboard } from './common/dashboard-factory';
import { EXPORTER_FILTER, MODEL_FILTER } from './common/filters';
import { redBelow, redFrom, statPanel, tablePanel, timeSeriesPanel, type Step } from './common/panels';
import { sel } from './common/queries';
import { datasourceVariable, modelVariable } from './common/variables';

/** Throughput, errors, latency, SLOs, the exporter processes and the hosts, and what is firing. */
export function serviceOverview(spec: Spec): Dashboard {
  const availabilityBudget = errorBudget(spec.slo.availability_objective_percent);
  const latencyBudget = errorBudget(spec.slo.latency_objective_percent);
  const target = String(spec.slo.latency_target_seconds);
  const predictions = sel(METRICS.predictionsTotal, MODEL_FILTER);
  const errors = sel(METRICS.predictionsTotal, MODEL_FILTER, 'status="error"');
  const latencyBucket = (le: string) => sel(`${METRICS.predictionLatencySeconds}_bucket`, MODEL_FILTER, `le="${le}"`);
  const latencyCount = sel(`${METRICS.predictionLatencySeconds}_count`, MODEL_FILTER);
  const budgetRemaining = (bad: string, budget: number) => `1 - (${bad}) / ${budget}`;
  return buildDashboard({
    uid: DASHBOARD_UIDS.serviceOverview,
    title: 'mlwatch / Service overview',
    description:
      'Is the prediction service healthy: traffic, errors, latency, SLO budgets, the exporter processes and what is firing.',
    variables: [datasourceVariable(), modelVariable()],
    sections: [
      {
        title: 'Traffic and errors',
        lines: [
          [
            timeSeriesPanel({
              title: 'Request rate by status',
              description: 'Predictions per second of the selected model, by outcome.',
              unit: units.RequestsPerSecond,
              width: 12,
              stacked: true,
              queries: [
                { expr: `sum by (status) (${sel(RECORDS.predictionRate, MODEL_FILTER)})`, legend: '{{status}}' },
              ],
            }),
            timeSeriesPanel({
              title: 'Error ratio',
              description:
                'Share of predictions that failed over 5 minutes; the dashed line is the availability error budget.',
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              steps: redFrom(availabilityBudget),
              queries: [{ expr: sel(RECORDS.errorRatio('5m'), MODEL_FILTER), legend: '{{model}}' }],
            }),
          ],
        ],
      },
      {
        title: 'Latency',
        lines: [
          [
            timeSeriesPanel({
              title: 'Latency p50 / p95 / p99',
              description:
                'Prediction latency percentiles over 5 minutes, all versions; the dashed line is the p99 alert threshold.',
              unit: units.Seconds,
              width: 16,
              min: 0,
              steps: redFrom(spec.alerts.latency_p99_seconds),
              queries: (['p50', 'p95', 'p99'] as const).map((q) => ({
                expr: `histogram_quantile(${Number(q.slice(1)) / 100}, sum by (le) (rate(${sel(`${METRICS.predictionLatencySeconds}_bucket`, MODEL_FILTER)}[$__rate_interval])))`,
                legend: q,
              })),
            }),
            timeSeriesPanel({
              title: 'Active requests',
              description: 'Prediction and ingest requests in flight, per exporter.',
              unit: units.Short,
              width: 8,
              min: 0,
              queries: [{ expr: sel(METRICS.activeRequests, EXPORTER_FILTER), legend: '{{instance}}' }],
            }),
          ],
        ],
      },
      {
        title: 'Service level objectives',
        lines: [
          [
            statPanel({
              title: 'Availability budget left (30d)',
              description: `Share of the ${spec.slo.availability_objective_percent}% availability error budget not yet spent over the last 30 days.`,
              unit: units.PercentUnit,
              width: 6,
              steps: redBelow(0.25),
              queries: [
                {
                  expr: budgetRemaining(
                    `sum(increase(${errors}[30d])) / sum(increase(${predictions}[30d]))`,
                    availabilityBudget,
                  ),
                  instant: true,
                },
              ],
            }),
            statPanel({
              title: 'Latency budget left (30d)',
              description: `Share of the latency error budget (${spec.slo.latency_objective_percent}% under ${target} s) not yet spent over the last 30 days.`,
              unit: units.PercentUnit,
              width: 6,
              steps: redBelow(0.25),
              queries: [
                {
                  expr: budgetRemaining(
                    `1 - sum(increase(${latencyBucket(target)}[30d])) / sum(increase(${latencyCount}[30d]))`,
                    latencyBudget,
                  ),
                  instant: true,
                },
              ],
            }),
            timeSeriesPanel({
              title: 'Burn rates',
              description: `How many times faster than sustainable each budget burns, over 1 hour and 6 hours; ${burnFactors('critical')} page, ${burnFactors('warning')} open a ticket.`,
              unit: units.Short,
              width: 12,
              min: 0,
              steps: burnRateSteps(),
              queries: [
                {
                  expr: `${sel(RECORDS.errorRatio('1h'), MODEL_FILTER)} / ${availabilityBudget}`,
                  legend: 'availability 1h',
                },
                {
                  expr: `${sel(RECORDS.errorRatio('6h'), MODEL_FILTER)} / ${availabilityBudget}`,
                  legend: 'availability 6h',
                },
                {
                  expr: `${sel(RECORDS.latencyOverTargetRatio('1h'), MODEL_FILTER)} / ${latencyBudget}`,
                  legend: 'latency 1h',
                },
                {
                  expr: `${sel(RECORDS.latencyOverTargetRatio('6h'), MODEL_FILTER)} / ${latencyBudget}`,
                  legend: 'latency 6h',
                },
              ],
            }),
          ],
        ],
      },
      {
        title: 'Exporter processes',
        lines: [
          [
            timeSeriesPanel({
              title: 'CPU',
              description: 'CPU time used per second by each exporter process (1.0 is one core).',
              unit: units.PercentUnit,
              width: 8,
              min: 0,
              queries: [
                {
                  expr: `rate(${sel('process_cpu_seconds_total', EXPORTER_FILTER)}[$__rate_interval])`,
                  legend: '{{instance}}',
                },
              ],
            }),
            timeSeriesPanel({
              title: 'Resident memory',
              description: 'Resident memory of each exporter process; the dashed line is the memory alert threshold.',
              unit: units.BytesIEC,
              width: 8,
              min: 0,
              steps: redFrom(spec.alerts.memory_bytes),
              queries: [{ expr: sel('process_resident_memory_bytes', EXPORTER_FILTER), legend: '{{instance}}' }],
            }),
            timeSeriesPanel({
              title: 'Event-loop lag p99',
              description: 'p99 event-loop delay of each exporter; requests wait this long behind synchronous work.',
              unit: units.Seconds,
              width: 8,
              min: 0,
              steps: redFrom(spec.alerts.event_loop_lag_seconds),
              queries: [{ expr: sel('nodejs_eventloop_lag_p99_seconds', EXPORTER_FILTER), legend: '{{instance}}' }],
            }),
          ],
        ],
      },
      {
        title: 'Hosts (node-exporter)',
        lines: [
          [
            timeSeriesPanel({
              title: 'Host CPU busy',
              description: 'Share of host CPU time not idle, per host running node-exporter.',
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              max: 1,
              queries: [
                {
                  expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))',
                  legend: '{{instance}}',
                },
              ],
            }),
            timeSeriesPanel({
              title: 'Host memory available',
              description: 'Share of host memory available to new processes, per host running node-exporter.',
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              max: 1,
              queries: [
                { expr: 'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', legend: '{{instance}}' },
              ],
            }),
          ],
        ],
      },
      {
        title: 'Alerts',
        lines: [
          [
            tablePanel({
              title: 'Firing alerts',
              description: 'Alerts firing now, from Prometheus (the same ones Alertmanager routes to Slack).',
              unit: units.Short,
              width: 24,
              queries: [{ expr: 'ALERTS{alertstate="firing"}', instant: true, format: 'table' }],
              columns: { alertname: 'Alert', severity: 'Severity', model: 'Model', Value: 'Firing' },
            }),
          ],
        ],
      },
    ],
  });
}

/** The factors of one severity's burn-rate pairs, largest first. */
function factorsOf(severity: 'critical' | 'warning'): number[] {
  return BURN_RATE_PAIRS.filter((p) => p.severity === severity)
    .map((p) => p.factor)
    .sort((a, b) => b - a);
}

/** As text for a description: `14.4 and 6`. */
function burnFactors(severity: 'critical' | 'warning'): string {
  return factorsOf(severity).join(' and ');
}

/** Colour steps at the alerts' factors: yellow from the slowest ticket, orange from the slowest page, red from the fastest. */
function burnRateSteps(): Step[] {
  const [fastestPage, slowestPage] = [Math.max(...factorsOf('critical')), Math.min(...factorsOf('critical'))];
  return [
    { value: null, color: 'green' },
    { value: Math.min(...factorsOf('warning')), color: 'yellow' },
    { value: slowestPage, color: 'orange' },
    { value: fastestPage, color: 'red' },
  ];
}
