import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Spec } from '../../spec/src/schema';
import { DASHBOARD_UIDS, METRICS, RECORDS } from '../../spec/src/conventions';
import { BURN_RATE_PAIRS, errorBudget } from '../../alerting/src/error-budget';
import { buildDashboard } from './common/dashboard-factory';
import { EXPORTER_FILTER, MODEL_FILTER, TARGET_FILTERS } from './common/filters';
import { redBelow, redFrom, statPanel, tablePanel, timeSeriesPanel, type Step } from './common/panels';
import { sel, sumOverRange, sumRate } from './common/queries';
import { modelVariable, targetVariables } from './common/variables';
import { notPerExporter } from './common/waivers';

/** Throughput, errors, latency, SLOs, the exporter processes and the hosts, and what is firing. */
export function serviceOverview(spec: Spec): Dashboard {
  const availabilityBudget = errorBudget(spec.slo.availability_objective_percent);
  const latencyBudget = errorBudget(spec.slo.latency_objective_percent);
  const target = String(spec.slo.latency_target_seconds);
  const filters = [MODEL_FILTER, ...TARGET_FILTERS];
  const predictions = sel(METRICS.predictionsTotal, ...filters);
  const errors = sel(METRICS.predictionsTotal, ...filters, 'status="error"');
  const latency = (suffix: string, ...more: string[]) =>
    sel(`${METRICS.predictionLatencySeconds}_${suffix}`, ...filters, ...more);
  const exporter = (metric: string) => sel(metric, EXPORTER_FILTER, ...TARGET_FILTERS);
  const budgetRemaining = (bad: string, budget: number) => `1 - (${bad}) / ${budget}`;
  return buildDashboard({
    uid: DASHBOARD_UIDS.serviceOverview,
    title: 'mlwatch / Service overview',
    description:
      'Is the prediction service healthy: a summary of the time range and what fires now, then traffic, errors, latency, SLO budgets, the exporter processes and the hosts.',
    variables: [...targetVariables(), modelVariable()],
    sections: [
      {
        title: 'At a glance (the dashboard time range)',
        lines: [
          [
            statPanel({
              title: 'Requests',
              description: 'Predictions of the selected model over the dashboard time range, every outcome.',
              unit: units.Short,
              decimals: 0,
              width: 4,
              height: 4,
              queries: [{ expr: sumOverRange(predictions), instant: true }],
            }),
            statPanel({
              title: 'Success rate',
              description: `Share of those predictions that succeeded; red below the ${spec.slo.availability_objective_percent}% availability objective.`,
              unit: units.PercentUnit,
              width: 4,
              height: 4,
              steps: redBelow(spec.slo.availability_objective_percent / 100),
              queries: [
                {
                  expr: `${sumOverRange(sel(METRICS.predictionsTotal, ...filters, 'status="success"'))} / ${sumOverRange(predictions)}`,
                  instant: true,
                },
              ],
            }),
            statPanel({
              title: 'Average latency',
              description: 'Mean prediction latency over the dashboard time range.',
              unit: units.Seconds,
              width: 4,
              height: 4,
              queries: [{ expr: `${sumOverRange(latency('sum'))} / ${sumOverRange(latency('count'))}`, instant: true }],
            }),
            ...(['p50', 'p95', 'p99'] as const).map((q) =>
              statPanel({
                title: `${q} latency`,
                description:
                  q === 'p99'
                    ? 'p99 prediction latency over the dashboard time range, estimated from the histogram buckets; red from the p99 alert threshold.'
                    : `${q} prediction latency over the dashboard time range, estimated from the histogram buckets.`,
                unit: units.Seconds,
                width: 4,
                height: 4,
                ...(q === 'p99' ? { steps: redFrom(spec.alerts.latency_p99_seconds) } : {}),
                queries: [
                  {
                    expr: `histogram_quantile(${Number(q.slice(1)) / 100}, ${sumOverRange(latency('bucket'), ['le'])})`,
                    instant: true,
                  },
                ],
              }),
            ),
          ],
          [
            tablePanel({
              title: 'Firing alerts',
              description: 'Alerts firing now, from Prometheus (the same ones Alertmanager routes to Slack).',
              unit: units.Short,
              width: 24,
              height: 6,
              queries: [{ expr: 'ALERTS{alertstate="firing"}', instant: true, format: 'table' }],
              columns: { alertname: 'Alert', severity: 'Severity', model: 'Model', Value: 'Firing' },
              waive: notPerExporter(
                'ALERTS carries the labels of each alert, and most alerts sum over every exporter: filtering by job or instance would hide what fires.',
              ),
            }),
          ],
        ],
      },
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
              queries: [{ expr: sumRate(predictions, ['status']), legend: '{{status}}' }],
            }),
            timeSeriesPanel({
              title: 'Error ratio',
              description: 'Share of predictions that failed; the dashed line is the availability error budget.',
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              steps: redFrom(availabilityBudget),
              queries: [{ expr: `${sumRate(errors)} / ${sumRate(predictions)}`, legend: 'error ratio' }],
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
              description: 'Prediction latency percentiles, all versions; the dashed line is the p99 alert threshold.',
              unit: units.Seconds,
              width: 16,
              min: 0,
              steps: redFrom(spec.alerts.latency_p99_seconds),
              queries: (['p50', 'p95', 'p99'] as const).map((q) => ({
                expr: `histogram_quantile(${Number(q.slice(1)) / 100}, ${sumRate(latency('bucket'), ['le'])})`,
                legend: q,
              })),
            }),
            timeSeriesPanel({
              title: 'Active requests',
              description: 'Prediction and ingest requests in flight, per exporter.',
              unit: units.Short,
              width: 8,
              min: 0,
              queries: [{ expr: exporter(METRICS.activeRequests), legend: '{{instance}}' }],
            }),
          ],
        ],
      },
      {
        title: 'Service level objectives',
        lines: [
          [
            statPanel({
              title: 'Availability budget left',
              description: `Share of the ${spec.slo.availability_objective_percent}% availability error budget not yet spent over the dashboard time range (30 days is the SLO window).`,
              unit: units.PercentUnit,
              width: 6,
              steps: redBelow(0.25),
              queries: [
                {
                  expr: budgetRemaining(`${sumOverRange(errors)} / ${sumOverRange(predictions)}`, availabilityBudget),
                  instant: true,
                },
              ],
            }),
            statPanel({
              title: 'Latency budget left',
              description: `Share of the latency error budget (${spec.slo.latency_objective_percent}% under ${target} s) not yet spent over the dashboard time range (30 days is the SLO window).`,
              unit: units.PercentUnit,
              width: 6,
              steps: redBelow(0.25),
              queries: [
                {
                  expr: budgetRemaining(
                    `1 - ${sumOverRange(latency('bucket', `le="${target}"`))} / ${sumOverRange(latency('count'))}`,
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
              waive: notPerExporter(
                'The panel shows the recording rules the burn-rate alerts evaluate, summed over every exporter (no job or instance label), so it shows exactly what pages.',
              ),
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
              description: 'CPU time used per second by each exporter process (100% is one core).',
              unit: units.PercentUnit,
              width: 8,
              min: 0,
              queries: [
                {
                  expr: `rate(${exporter('process_cpu_seconds_total')}[$__rate_interval])`,
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
              queries: [{ expr: exporter('process_resident_memory_bytes'), legend: '{{instance}}' }],
            }),
            timeSeriesPanel({
              title: 'Event-loop lag p99',
              description: 'p99 event-loop delay of each exporter; requests wait this long behind synchronous work.',
              unit: units.Seconds,
              width: 8,
              min: 0,
              steps: redFrom(spec.alerts.event_loop_lag_seconds),
              queries: [{ expr: exporter('nodejs_eventloop_lag_p99_seconds'), legend: '{{instance}}' }],
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
              waive: notPerExporter(NODE_EXPORTER_WAIVER),
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
              waive: notPerExporter(NODE_EXPORTER_WAIVER),
              queries: [
                { expr: 'node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', legend: '{{instance}}' },
              ],
            }),
          ],
        ],
      },
    ],
  });
}

/** Why the host panels ignore the job and instance variables. */
const NODE_EXPORTER_WAIVER =
  "The host panels read node-exporter's series, whose job and instances (port 9100) are never an exporter's, so the exporter variables cannot select them.";

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
