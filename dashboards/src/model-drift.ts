import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { Spec } from '../../spec/src/schema';
import { DASHBOARD_UIDS, METRICS, RECORDS } from '../../spec/src/conventions';
import { formatDuration } from '../../alerting/src/prometheus-duration';
import { buildDashboard } from './common/dashboard-factory';
import { FEATURE_FILTER, MODEL_FILTER, TARGET_FILTERS, VERSION_FILTER } from './common/filters';
import { heatmapPanel, redBelow, redFrom, statPanel, tablePanel, timeSeriesPanel } from './common/panels';
import { sel, sumRate } from './common/queries';
import { featureVariable, modelVariable, targetVariables, versionVariable } from './common/variables';
import { taskFilters, taskSections } from './common/task-sections';
import { notPerExporter } from './common/waivers';
import { valueHeatmapPanel, valuePercentilesPanel } from './prediction-value-panels';
import { correctionName, driftTestPanels } from './drift-test-panels';

/**
 * What the model sees and says: predictions and confidence (classifiers) or prediction values
 * (regression models), drift verdicts per feature, fleet drift, data quality.
 */
export function modelDrift(spec: Spec): Dashboard {
  const fleetWindow = formatDuration(spec.drift.fleet_window_seconds);
  const model = [MODEL_FILTER, ...TARGET_FILTERS];
  const byFeature = (metric: string) => `max by (feature, test) (${sel(metric, ...model, FEATURE_FILTER)})`;
  const classifier = [...model, VERSION_FILTER, ...taskFilters(spec, 'classification')];
  const regression = [...model, VERSION_FILTER, ...taskFilters(spec, 'regression')];
  const classes = sel(METRICS.predictedClassTotal, ...classifier);
  const confidenceBuckets = sel(`${METRICS.predictionConfidence}_bucket`, ...classifier);
  // Distance tests have no p-value: NaN, shown as a dash, keeps their rows whole.
  const orNaN = (metric: string) => `${byFeature(metric)} or (${byFeature(METRICS.featureDriftScore)} * 0 + NaN)`;
  return buildDashboard({
    uid: DASHBOARD_UIDS.modelDrift,
    title: 'mlwatch / Model quality & drift',
    description:
      'Is the model still seeing the data it was trained on, and answering as it did: predictions, confidence, input and output drift, data quality.',
    variables: [...targetVariables(), modelVariable(), versionVariable(), featureVariable()],
    sections: [
      ...taskSections(spec, 'classification', [
        {
          title: 'Predictions',
          lines: [
            [
              timeSeriesPanel({
                title: 'Predictions by class',
                description: 'Successful predictions per second by predicted class.',
                unit: units.RequestsPerSecond,
                width: 12,
                stacked: true,
                queries: [{ expr: sumRate(classes, ['class']), legend: '{{class}}' }],
              }),
              timeSeriesPanel({
                title: 'Class share by version',
                description: 'Share of each predicted class among the predictions of each version.',
                unit: units.PercentUnit,
                width: 12,
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
        {
          title: 'Confidence',
          lines: [
            [
              timeSeriesPanel({
                title: 'Confidence percentiles',
                description:
                  'p10, p50 and p90 of the predicted class probability; the dashed line is the mean-confidence floor.',
                unit: units.PercentUnit,
                width: 12,
                min: 0,
                max: 1,
                steps: redBelow(spec.alerts.mean_confidence_floor),
                queries: [0.1, 0.5, 0.9].map((q) => ({
                  expr: `histogram_quantile(${q}, ${sumRate(confidenceBuckets, ['le'])})`,
                  legend: `p${q * 100}`,
                })),
              }),
              heatmapPanel({
                title: 'Confidence heatmap',
                description: 'Predictions per confidence bucket over time, from the histogram buckets.',
                unit: units.Short,
                yUnit: units.PercentUnit,
                width: 12,
                queries: [
                  {
                    expr: `sum by (le) (increase(${confidenceBuckets}[$__rate_interval]))`,
                    legend: '{{le}}',
                    format: 'heatmap',
                  },
                ],
              }),
            ],
          ],
        },
      ]),
      ...taskSections(spec, 'regression', [
        {
          title: 'Prediction values',
          lines: [[valuePercentilesPanel(regression, 12), valueHeatmapPanel(regression, 12)]],
        },
      ]),
      {
        title: 'Drift verdicts (exact tier)',
        lines: [
          [
            timeSeriesPanel({
              title: 'Drift share',
              description:
                'Share of features drifted at each evaluation; the dashed line is the dataset-drift share, where the dataset verdict turns to drift.',
              unit: units.PercentUnit,
              width: 8,
              min: 0,
              max: 1,
              steps: redFrom(spec.drift.dataset_drift_share),
              queries: [{ expr: `max by (model) (${sel(METRICS.modelDriftShare, ...model)})`, legend: 'drift share' }],
            }),
            statPanel({
              title: 'Dataset drift',
              description: 'Whether the drifted share reached the dataset-drift share at the latest evaluation.',
              unit: units.NoUnit,
              width: 4,
              steps: redFrom(1),
              valueText: { '0': 'no drift', '1': 'DRIFT' },
              queries: [{ expr: `max(${sel(METRICS.modelDatasetDrift, ...model)})`, instant: true }],
            }),
            statPanel({
              title: 'Drifted features',
              description:
                'Features drifted at the latest evaluation: a distance at or above its threshold, or a corrected p-value below alpha with an effect above its floor.',
              unit: units.Short,
              width: 4,
              steps: redFrom(1),
              queries: [
                {
                  expr: `count(max by (feature) (${sel(METRICS.featureDrifted, ...model)}) == 1) or vector(0)`,
                  instant: true,
                },
              ],
            }),
            timeSeriesPanel({
              title: 'Drift window',
              description: 'Events in the drift window at each evaluation; verdicts start at min_samples.',
              unit: units.Short,
              width: 8,
              min: 0,
              steps: redBelow(spec.drift.min_samples),
              queries: [{ expr: sel(METRICS.driftWindowSamples, ...model), legend: '{{instance}}' }],
            }),
          ],
        ],
      },
      {
        title: 'Per-feature drift',
        lines: [
          [
            tablePanel({
              title: 'Feature drift',
              description: `Latest verdict per feature: test, score, p-value and corrected p-value (${correctionName(spec)}, p-value tests only, drift below ${spec.drift.alpha}) and the verdict.`,
              unit: units.Short,
              width: 24,
              height: 10,
              queries: [
                { expr: byFeature(METRICS.featureDriftScore), instant: true, format: 'table' },
                { expr: orNaN(METRICS.featureDriftPvalue), instant: true, format: 'table' },
                { expr: orNaN(METRICS.featureDriftCorrectedPvalue), instant: true, format: 'table' },
                { expr: byFeature(METRICS.featureDrifted), instant: true, format: 'table' },
              ],
              columns: {
                feature: 'Feature',
                test: 'Test',
                'Value #A': 'Score',
                'Value #B': 'p-value',
                'Value #C': 'Corrected p-value',
                'Value #D': 'Drifted',
              },
              steps: redFrom(1),
              colouredColumns: ['Drifted'],
              columnUnits: { 'p-value': units.ScientificNotation, 'Corrected p-value': units.ScientificNotation },
              columnTexts: { Drifted: { '0': 'no', '1': 'DRIFT' } },
              nanText: '—',
            }),
          ],
          ...driftTestPanels(spec, model),
          [
            timeSeriesPanel({
              title: 'Output drift',
              description:
                'Drift statistic of the model outputs against the reference outputs: the predicted-class and confidence distributions of a classifier, the predicted values of a regression model.',
              unit: units.Short,
              width: 24,
              min: 0,
              queries: [
                {
                  expr: `max by (output, test) (${sel(METRICS.outputDriftScore, ...model)})`,
                  legend: '{{output}} ({{test}})',
                },
              ],
            }),
          ],
        ],
      },
      {
        title: 'Fleet drift (all replicas, in PromQL)',
        lines: [
          [
            timeSeriesPanel({
              title: `Fleet PSI by feature (${fleetWindow})`,
              description:
                'PSI of each feature over all replicas against the reference bins; the dashed line is the PSI threshold.',
              unit: units.Short,
              width: 12,
              min: 0,
              steps: redFrom(spec.drift.thresholds.psi),
              waive: notPerExporter(FLEET_WAIVER),
              queries: [
                { expr: sel(RECORDS.fleetPsi(fleetWindow), MODEL_FILTER, FEATURE_FILTER), legend: '{{feature}}' },
              ],
            }),
            timeSeriesPanel({
              title: `Fleet binned KS by feature (${fleetWindow})`,
              description: 'Largest gap between the fleet and reference cumulative bin shares of each numeric feature.',
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              max: 1,
              waive: notPerExporter(FLEET_WAIVER),
              queries: [
                { expr: sel(RECORDS.fleetKs(fleetWindow), MODEL_FILTER, FEATURE_FILTER), legend: '{{feature}}' },
              ],
            }),
          ],
        ],
      },
      {
        title: 'Data quality',
        lines: [
          [
            timeSeriesPanel({
              title: 'Missing values by feature',
              description: 'Share of events in which each nullable feature was missing or null.',
              unit: units.PercentUnit,
              width: 8,
              min: 0,
              queries: [
                {
                  expr: `${sumRate(sel(METRICS.featureMissingTotal, ...model), ['feature'])} / scalar(${sumRate(sel(METRICS.predictionsTotal, ...model))})`,
                  legend: '{{feature}}',
                },
              ],
            }),
            timeSeriesPanel({
              title: 'Unseen categories by feature',
              description: 'Events per second with a category not in the spec, counted as __other__.',
              unit: units.EventsPerSecond,
              width: 8,
              min: 0,
              queries: [
                { expr: sumRate(sel(METRICS.featureOtherCategoryTotal, ...model), ['feature']), legend: '{{feature}}' },
              ],
            }),
            timeSeriesPanel({
              title: 'Rejected events by reason',
              description:
                'Requests or events refused as bad input per second, by reason; the dashed line is the alert threshold.',
              unit: units.EventsPerSecond,
              width: 8,
              min: 0,
              steps: redFrom(spec.alerts.rejected_events_per_second),
              queries: [
                {
                  expr: sumRate(sel(METRICS.rejectedEventsTotal, ...TARGET_FILTERS), ['reason']),
                  legend: '{{reason}}',
                },
              ],
            }),
          ],
        ],
      },
    ],
  });
}

/** Why the fleet panels ignore the job and instance variables. */
const FLEET_WAIVER =
  "The fleet tier is recording rules over every replica's counters (no job or instance label): it is what the fleet drift alert sees.";
