import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { QualitySpec, Spec } from '../../spec/src/schema';
import { DASHBOARD_UIDS, METRICS, RECORDS } from '../../spec/src/conventions';
import { buildDashboard } from './common/dashboard-factory';
import { MODEL_FILTER, TARGET_FILTERS, VERSION_FILTER } from './common/filters';
import type { Section } from './common/layout';
import { heatmapPanel, redFrom, statPanel, timeSeriesPanel, type Placed, type Step } from './common/panels';
import { sel, sumOverRange, sumRate } from './common/queries';
import {
  labelledModels,
  modelsMatcher,
  modelsOfKind,
  settingsText,
  sharedSetting,
  type LabelledModel,
} from './common/tasks';
import { modelVariable, targetVariables, versionVariable } from './common/variables';
import { notPerExporter } from './common/waivers';
import { QUALITY_RULES_WAIVER, coverageStat, labelsInWindowStat, labelsSection } from './label-panels';
import { meanValueByVersionPanel, valueHeatmapPanel, valuePercentilesPanel } from './prediction-value-panels';
import { alertWindowRecord, alertWindowsText } from './quality-queries';

const waive = notPerExporter(QUALITY_RULES_WAIVER);
const FILTERS = [MODEL_FILTER, VERSION_FILTER, ...TARGET_FILTERS];

/** Percentiles of the absolute error drawn, as fractions. */
const ERROR_QUANTILES = [0.5, 0.9, 0.99] as const;

/** A ceiling of the quality sections as steps (when the models agree) and words for a description. */
function ceiling(
  models: readonly LabelledModel[],
  key: string,
  pick: (quality: QualitySpec) => number | undefined,
): { steps?: Step[]; text: string } {
  const shared = sharedSetting(models, pick);
  if (shared !== undefined) return { steps: redFrom(shared), text: `; red from ${key} ${shared}` };
  const each = settingsText(models, pick);
  return { text: each === '' ? '' : `; ${key}: ${each}` };
}

/** One error rule per version over each model's alert window, against its ceiling. */
function errorPanel(
  title: string,
  what: string,
  record: (window: string) => string,
  limit: { steps?: Step[]; text: string },
  models: readonly LabelledModel[],
  stat: boolean,
): Placed {
  const spec = {
    title,
    description: `${what} of the labelled predictions per version over ${alertWindowsText(models)}${limit.text}.`,
    unit: units.Short,
    ...(limit.steps === undefined ? {} : { steps: limit.steps }),
    waive,
  };
  const expr = alertWindowRecord(record, models);
  return stat
    ? statPanel({ ...spec, width: 4, height: 4, queries: [{ expr, legend: '{{version}}', instant: true }] })
    : timeSeriesPanel({ ...spec, width: 12, min: 0, queries: [{ expr, legend: '{{version}}' }] });
}

/** The absolute-error distribution of the labelled predictions, from its histogram. */
function errorDistribution(): Placed[] {
  const buckets = sel(`${METRICS.regressionAbsoluteError}_bucket`, ...FILTERS);
  return [
    timeSeriesPanel({
      title: 'Absolute error p50 / p90 / p99',
      description:
        'Percentiles of |label − prediction| of the predictions labelled recently, estimated from the histogram buckets (quality.error_buckets).',
      unit: units.Short,
      width: 12,
      min: 0,
      queries: ERROR_QUANTILES.map((q) => ({
        expr: `histogram_quantile(${q}, ${sumRate(buckets, ['le'])})`,
        legend: `p${q * 100}`,
      })),
    }),
    heatmapPanel({
      title: 'Absolute error heatmap',
      description: 'Labelled predictions per absolute-error bucket over time, from the histogram buckets.',
      unit: units.Short,
      yUnit: units.Short,
      width: 12,
      queries: [{ expr: `sum by (le) (increase(${buckets}[$__rate_interval]))`, legend: '{{le}}', format: 'heatmap' }],
    }),
  ];
}

/** Value statistics over the dashboard range: what every regression model has, labels or not. */
function valueStats(width: number): Placed[] {
  const buckets = sel(`${METRICS.predictionValue}_bucket`, ...FILTERS);
  return ([0.5, 0.9] as const).map((q) =>
    statPanel({
      title: `p${q * 100} prediction value`,
      description: `p${q * 100} of the predicted values over the dashboard time range, estimated from the histogram buckets.`,
      unit: units.Short,
      width,
      height: 4,
      queries: [{ expr: `histogram_quantile(${q}, ${sumOverRange(buckets, ['le'])})`, instant: true }],
    }),
  );
}

/**
 * Is the regression model right: MAE and RMSE per version from the labels, the error
 * distribution, and the prediction values (which need no labels); label coverage and delay.
 * `undefined` when the spec has no regression model.
 */
export function regressionPerformance(spec: Spec): Dashboard | undefined {
  const regressors = modelsOfKind(spec, 'regression');
  if (regressors.length === 0) return undefined;
  const models = labelledModels(spec, 'regression');
  const mae = ceiling(models, 'mae_ceiling', (q) => q.mae_ceiling);
  const rmse = ceiling(models, 'rmse_ceiling', (q) => q.rmse_ceiling);
  const labelled = models.length > 0;
  const glance = labelled
    ? [
        errorPanel('MAE', 'Mean absolute error', RECORDS.mae, mae, models, true),
        errorPanel('RMSE', 'Root mean squared error', RECORDS.rmse, rmse, models, true),
        labelsInWindowStat(models),
        coverageStat(models),
        ...valueStats(4),
      ]
    : [
        statPanel({
          title: 'Predictions',
          description: 'Successful predictions of the selected versions over the dashboard time range.',
          unit: units.Short,
          decimals: 0,
          width: 12,
          height: 4,
          queries: [{ expr: sumOverRange(sel(`${METRICS.predictionValue}_count`, ...FILTERS)), instant: true }],
        }),
        ...valueStats(6),
      ];
  const errorSections: Section[] = labelled
    ? [
        {
          title: 'Error by version',
          lines: [
            [
              errorPanel('MAE by version', 'Mean absolute error', RECORDS.mae, mae, models, false),
              errorPanel('RMSE by version', 'Root mean squared error', RECORDS.rmse, rmse, models, false),
            ],
            errorDistribution(),
          ],
        },
      ]
    : [];
  return buildDashboard({
    uid: DASHBOARD_UIDS.regressionPerformance,
    title: 'mlwatch / Regression performance',
    description:
      'Is the regression model right: MAE and RMSE per version from ground-truth labels, the error distribution, and the distribution of the predicted values, which needs no labels; label coverage and delay.',
    variables: [
      ...targetVariables(),
      modelVariable({
        matcher: modelsMatcher(regressors),
        what: `the regression models (${regressors.map((m) => m.name).join(', ')})`,
      }),
      versionVariable(),
    ],
    sections: [
      {
        title: labelled ? `At a glance (each model's alert window: ${alertWindowsText(models)})` : 'At a glance',
        lines: [glance],
      },
      ...errorSections,
      {
        title: 'Prediction values',
        lines: [
          [valuePercentilesPanel(FILTERS, 12), valueHeatmapPanel(FILTERS, 12)],
          [meanValueByVersionPanel(FILTERS, 24)],
        ],
      },
      ...(labelled ? [labelsSection(models)] : []),
    ],
  });
}
