import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Spec } from '../../spec/src/schema';
import { DASHBOARD_UIDS, METRICS, RECORDS } from '../../spec/src/conventions';
import { buildDashboard } from './common/dashboard-factory';
import { EXPORTER_FILTER, MODEL_FILTER, VERSION_FILTER } from './common/filters';
import { redBelow, redFrom, statPanel, tablePanel, timeSeriesPanel } from './common/panels';
import { sel } from './common/queries';
import { datasourceVariable, modelVariable, versionVariable } from './common/variables';

/** Version against version (what a canary rollout needs) and replica against replica. */
export function versionsFleet(spec: Spec): Dashboard {
  const versions = [MODEL_FILTER, VERSION_FILTER] as const;
  return buildDashboard({
    uid: DASHBOARD_UIDS.versionsFleet,
    title: 'mlwatch / Versions & fleet',
    description: 'Compare model versions side by side during a rollout, and the exporter replicas with each other.',
    variables: [datasourceVariable(), modelVariable(), versionVariable()],
    sections: [
      {
        title: 'Versions',
        lines: [
          [
            timeSeriesPanel({
              title: 'Traffic share by version',
              description: "Share of the model's predictions each version serves over 5 minutes.",
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              max: 1,
              stacked: true,
              queries: [
                {
                  expr: `sum by (version) (${sel(RECORDS.predictionRate, ...versions)}) / ignoring (version) group_left () sum(${sel(RECORDS.predictionRate, MODEL_FILTER)})`,
                  legend: '{{version}}',
                },
              ],
            }),
            tablePanel({
              title: 'Declared versions',
              description: 'Versions the spec declares for the model, per exporter (from mlwatch_model_info).',
              unit: units.Short,
              width: 12,
              queries: [
                {
                  expr: `max by (model, version) (${sel(METRICS.modelInfo, ...versions)})`,
                  instant: true,
                  format: 'table',
                },
              ],
              columns: { model: 'Model', version: 'Version', Value: 'Declared' },
            }),
          ],
          [
            timeSeriesPanel({
              title: 'p99 latency by version',
              description:
                'p99 prediction latency of each version over 5 minutes; the dashed line is the p99 alert threshold.',
              unit: units.Seconds,
              width: 8,
              min: 0,
              steps: redFrom(spec.alerts.latency_p99_seconds),
              queries: [{ expr: sel(RECORDS.latencyQuantile('p99'), ...versions), legend: '{{version}}' }],
            }),
            timeSeriesPanel({
              title: 'Error ratio by version',
              description: "Share of each version's predictions that failed over 5 minutes.",
              unit: units.PercentUnit,
              width: 8,
              min: 0,
              queries: [{ expr: sel(RECORDS.versionErrorRatio, ...versions), legend: '{{version}}' }],
            }),
            timeSeriesPanel({
              title: 'Mean confidence by version',
              description:
                'Mean predicted-class probability of each version over 5 minutes; the dashed line is the floor.',
              unit: units.PercentUnit,
              width: 8,
              min: 0,
              max: 1,
              steps: redBelow(spec.alerts.mean_confidence_floor),
              queries: [{ expr: sel(RECORDS.meanConfidence, ...versions), legend: '{{version}}' }],
            }),
          ],
          [
            timeSeriesPanel({
              title: 'Class share by version',
              description:
                'Share of each predicted class per version: a canary that predicts differently shows here first.',
              unit: units.PercentUnit,
              width: 24,
              min: 0,
              max: 1,
              queries: [{ expr: sel(RECORDS.classShare, ...versions), legend: '{{version}} {{class}}' }],
            }),
          ],
        ],
      },
      {
        title: 'Replicas',
        lines: [
          [
            statPanel({
              title: 'Exporters up',
              description: 'Exporter replicas Prometheus scrapes successfully, out of those it knows.',
              unit: units.Short,
              width: 6,
              steps: redBelow(1),
              queries: [{ expr: `sum(${sel('up', EXPORTER_FILTER)})`, instant: true }],
            }),
            timeSeriesPanel({
              title: 'Scrape duration',
              description: 'How long Prometheus takes to scrape each exporter.',
              unit: units.Seconds,
              width: 9,
              min: 0,
              queries: [{ expr: sel('scrape_duration_seconds', EXPORTER_FILTER), legend: '{{instance}}' }],
            }),
            timeSeriesPanel({
              title: 'Predictions per replica',
              description: 'Predictions per second each exporter replica records, all models.',
              unit: units.RequestsPerSecond,
              width: 9,
              min: 0,
              queries: [
                {
                  expr: `sum by (instance) (rate(${sel(METRICS.predictionsTotal, EXPORTER_FILTER)}[$__rate_interval]))`,
                  legend: '{{instance}}',
                },
              ],
            }),
          ],
          [
            timeSeriesPanel({
              title: 'Drift evaluation time per replica',
              description: 'Mean time one drift evaluation takes on each replica.',
              unit: units.Seconds,
              width: 12,
              min: 0,
              queries: [
                {
                  expr: `sum by (instance) (rate(${METRICS.driftEvaluationSeconds}_sum{${EXPORTER_FILTER}}[$__rate_interval])) / sum by (instance) (rate(${METRICS.driftEvaluationSeconds}_count{${EXPORTER_FILTER}}[$__rate_interval]))`,
                  legend: '{{instance}}',
                },
              ],
            }),
            timeSeriesPanel({
              title: 'Rejected events per replica',
              description:
                'Bad-input rejections per second on each replica; one client sending bad data shows on the replicas it reaches.',
              unit: units.Short,
              width: 12,
              min: 0,
              queries: [
                {
                  expr: `sum by (instance) (rate(${sel(METRICS.rejectedEventsTotal, EXPORTER_FILTER)}[$__rate_interval]))`,
                  legend: '{{instance}}',
                },
              ],
            }),
          ],
        ],
      },
    ],
  });
}
