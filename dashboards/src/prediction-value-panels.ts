import * as units from '@grafana/grafana-foundation-sdk/units';
import { METRICS } from '../../spec/src/conventions';
import { heatmapPanel, timeSeriesPanel, type Placed } from './common/panels';
import { sel, sumRate } from './common/queries';

/** Percentiles of the prediction values drawn per version, as fractions. */
const VALUE_QUANTILES = [0.1, 0.5, 0.9] as const;

/**
 * The regression model's outputs, from the `mlwatch_prediction_value` histogram (served and
 * ingested predictions, no labels needed): what a classifier's class shares are for a classifier.
 * `filters` select the model, versions and exporters.
 */
export function valuePercentilesPanel(filters: readonly string[], width: number): Placed {
  const buckets = sel(`${METRICS.predictionValue}_bucket`, ...filters);
  return timeSeriesPanel({
    title: 'Prediction value p10 / p50 / p90 by version',
    description:
      'Percentiles of the predicted values of each version, estimated from the histogram buckets (the model value_buckets, else the reference deciles): a shifted output shows here.',
    unit: units.Short,
    width,
    queries: VALUE_QUANTILES.map((q) => ({
      expr: `histogram_quantile(${q}, ${sumRate(buckets, ['version', 'le'])})`,
      legend: `{{version}} p${q * 100}`,
    })),
  });
}

/** Predictions per value bucket over time, all selected versions. */
export function valueHeatmapPanel(filters: readonly string[], width: number): Placed {
  return heatmapPanel({
    title: 'Prediction value heatmap',
    description: 'Predictions per value bucket over time, from the histogram buckets of the selected versions.',
    unit: units.Short,
    yUnit: units.Short,
    width,
    queries: [
      {
        expr: `sum by (le) (increase(${sel(`${METRICS.predictionValue}_bucket`, ...filters)}[$__rate_interval]))`,
        legend: '{{le}}',
        format: 'heatmap',
      },
    ],
  });
}

/** Mean predicted value of each version: a canary that predicts differently shows here first. */
export function meanValueByVersionPanel(filters: readonly string[], width: number): Placed {
  const part = (suffix: string) => sumRate(sel(`${METRICS.predictionValue}_${suffix}`, ...filters), ['version']);
  return timeSeriesPanel({
    title: 'Mean prediction value by version',
    description: 'Mean predicted value of each version: a canary that predicts differently shows here first.',
    unit: units.Short,
    width,
    queries: [{ expr: `${part('sum')} / ${part('count')}`, legend: '{{version}}' }],
  });
}
