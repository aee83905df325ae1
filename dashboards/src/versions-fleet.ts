import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Spec } from '../../spec/src/schema';
import { DASHBOARD_UIDS, METRICS } from '../../spec/src/conventions';
import { buildDashboard } from './common/dashboard-factory';
import { EXPORTER_FILTER, MODEL_FILTER, TARGET_FILTERS, VERSION_FILTER } from './common/filters';
import { redBelow, redFrom, statPanel, tablePanel, timeSeriesPanel } from './common/panels';
import { sel, sumRate } from './common/queries';
import { taskFilters, taskSections } from './common/task-sections';
import { modelVariable, targetVariables, versionVariable } from './common/variables';
import { meanValueByVersionPanel, valuePercentilesPanel } from './prediction-value-panels';

/** Version against version (what a canary rollout needs) and replica against replica. */
export function versionsFleet(spec: Spec): Dashboard {
  const versions = [MODEL_FILTER, VERSION_FILTER, ...TARGET_FILTERS] as const;
  const predictions = sel(METRICS.predictionsTotal, ...versions);
  const classifier = [...versions, ...taskFilters(spec, 'classification')];
  const regression = [...versions, ...taskFilters(spec, 'regression')];
  const classes = sel(METRICS.predictedClassTotal, ...classifier);
  const confidence = (suffix: string) => sel(`${METRICS.predictionConfidence}_${suffix}`, ...classifier);
  const exporter = (metric: string) => sel(metric, EXPORTER_FILTER, ...TARGET_FILTERS);
  return buildDashboard({
    uid: DASHBOARD_UIDS.versionsFleet,
    title: 'mlwatch / Versions & fleet',
    description: 'Compare model versions side by side during a rollout, and the exporter replicas with each other.',
    variables: [...targetVariables(), modelVariable(), versionVariable()],
    sections: [
      {
        title: 'Versions',
        lines: [
          [
            timeSeriesPanel({
              title: 'Traffic share by version',
              description: "Share of the model's predictions each version serves.",
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              max: 1,
              stacked: true,
              queries: [
                {
                  expr: `${sumRate(predictions, ['version'])} / ignoring (version) group_left () ${sumRate(sel(METRICS.predictionsTotal, MODEL_FILTER, ...TARGET_FILTERS))}`,
                  legend: '{{version}}',
                },
              ],
            }),
            tablePanel({
              title: 'Declared versions',
              description: 'Versions the spec declares for the model, per exporter (from mlwatch_model_info).',
              unit: units.NoUnit,
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
              description: 'p99 prediction latency of each version; the dashed line is the p99 alert threshold.',
              unit: units.Seconds,
              width: 12,
              min: 0,
              steps: redFrom(spec.alerts.latency_p99_seconds),
              queries: [
                {
                  expr: `histogram_quantile(0.99, ${sumRate(sel(`${METRICS.predictionLatencySeconds}_bucket`, ...versions), ['version', 'le'])})`,
                  legend: '{{version}}',
                },
              ],
            }),
            timeSeriesPanel({
              title: 'Error ratio by version',
              description: "Share of each version's predictions that failed.",
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              queries: [
                {
                  expr: `${sumRate(sel(METRICS.predictionsTotal, ...versions, 'status="error"'), ['version'])} / ${sumRate(predictions, ['version'])}`,
                  legend: '{{version}}',
                },
              ],
            }),
          ],
        ],
      },
      ...taskSections(spec, 'classification', [
        {
          title: 'Outputs by version',
          lines: [
            [
              timeSeriesPanel({
                title: 'Mean confidence by version',
                description: 'Mean predicted-class probability of each version; the dashed line is the floor.',
                unit: units.PercentUnit,
                width: 8,
                min: 0,
                max: 1,
                steps: redBelow(spec.alerts.mean_confidence_floor),
                queries: [
                  {
                    expr: `${sumRate(confidence('sum'), ['version'])} / ${sumRate(confidence('count'), ['version'])}`,
                    legend: '{{version}}',
                  },
                ],
              }),
              timeSeriesPanel({
                title: 'Class share by version',
                description:
                  'Share of each predicted class per version: a canary that predicts differently shows here first.',
                unit: units.PercentUnit,
                width: 16,
                min: 0,
                max: 1,
                queries: [
                  {
                    expr: `${sumRate(classes, ['version', 'class'])} / ignoring (class) group_left () ${sumRate(classes, ['version'])}`,
                    legend: '{{version}} {{class}}',
                  },
                ],
              }),
            ],
          ],
        },
      ]),
      ...taskSections(spec, 'regression', [
        {
          title: 'Outputs by version',
          lines: [[meanValueByVersionPanel(regression, 12), valuePercentilesPanel(regression, 12)]],
        },
      ]),
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
              queries: [{ expr: `sum(${exporter('up')})`, instant: true }],
            }),
            timeSeriesPanel({
              title: 'Scrape duration',
              description: 'How long Prometheus takes to scrape each exporter.',
              unit: units.Seconds,
              width: 9,
              min: 0,
              queries: [{ expr: exporter('scrape_duration_seconds'), legend: '{{instance}}' }],
            }),
            timeSeriesPanel({
              title: 'Predictions per replica',
              description: 'Predictions per second each exporter replica records, all models.',
              unit: units.RequestsPerSecond,
              width: 9,
              min: 0,
              queries: [
                {
                  expr: sumRate(sel(METRICS.predictionsTotal, ...TARGET_FILTERS), ['instance']),
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
                  expr: `${sumRate(sel(`${METRICS.driftEvaluationSeconds}_sum`, ...TARGET_FILTERS), ['instance'])} / ${sumRate(sel(`${METRICS.driftEvaluationSeconds}_count`, ...TARGET_FILTERS), ['instance'])}`,
                  legend: '{{instance}}',
                },
              ],
            }),
            timeSeriesPanel({
              title: 'Rejected events per replica',
              description:
                'Bad-input rejections per second on each replica; one client sending bad data shows on the replicas it reaches.',
              unit: units.EventsPerSecond,
              width: 12,
              min: 0,
              queries: [
                {
                  expr: sumRate(sel(METRICS.rejectedEventsTotal, ...TARGET_FILTERS), ['instance']),
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
