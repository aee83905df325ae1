import * as units from '@grafana/grafana-foundation-sdk/units';
import { LABEL_RESULTS, METRICS, RECORDS } from '../../spec/src/conventions';
import { MODEL_FILTER, TARGET_FILTERS, VERSION_FILTER } from './common/filters';
import type { Section } from './common/layout';
import { redBelow, statPanel, timeSeriesPanel, type Placed } from './common/panels';
import { sel, sumRate } from './common/queries';
import { settingsText, sharedSetting, type LabelledModel } from './common/tasks';
import { notPerExporter } from './common/waivers';
import { alertWindowRecord, alertWindowsText } from './quality-queries';

/** Why the quality panels ignore the job and instance variables. */
export const QUALITY_RULES_WAIVER =
  "Quality is recording rules over every replica's counters (no job or instance label): a label joins wherever it arrives, and the rules are what the quality alerts judge.";

/** Label delay percentiles drawn, as fractions. */
const DELAY_QUANTILES = [0.5, 0.9, 0.99] as const;

/** The coverage floor as colour steps and words, when the models agree on one. */
function coverageFloor(models: readonly LabelledModel[]): { steps?: ReturnType<typeof redBelow>; text: string } {
  const floor = sharedSetting(models, (q) => q.coverage_floor);
  const each = settingsText(models, (q) => q.coverage_floor);
  if (floor !== undefined) return { steps: redBelow(floor), text: `; red below coverage_floor ${floor}` };
  return { text: each === '' ? '' : `; coverage floors: ${each}` };
}

/** Label coverage of the selected versions over each model's alert window, as one number per version. */
export function coverageStat(models: readonly LabelledModel[]): Placed {
  const floor = coverageFloor(models);
  return statPanel({
    title: 'Label coverage',
    description: `Labels per prediction old enough to have one (older than quality.expected_delay_seconds), over ${alertWindowsText(models)}${floor.text}.`,
    unit: units.PercentUnit,
    width: 4,
    height: 4,
    ...(floor.steps === undefined ? {} : { steps: floor.steps }),
    waive: notPerExporter(QUALITY_RULES_WAIVER),
    queries: [{ expr: alertWindowRecord(RECORDS.labelCoverage, models), legend: '{{version}}', instant: true }],
  });
}

/** Labels counted in each model's alert window per version, red below `min_labels` when the models agree on it. */
export function labelsInWindowStat(models: readonly LabelledModel[]): Placed {
  const minimum = sharedSetting(models, (q) => q.min_labels);
  return statPanel({
    title: 'Labels in window',
    description: `Labels counted per version over ${alertWindowsText(models)}; the realised-quality alerts wait for quality.min_labels (${settingsText(models, (q) => q.min_labels)}).`,
    unit: units.Short,
    decimals: 0,
    width: 4,
    height: 4,
    ...(minimum === undefined ? {} : { steps: redBelow(minimum) }),
    waive: notPerExporter(QUALITY_RULES_WAIVER),
    queries: [{ expr: alertWindowRecord(RECORDS.labelsIncrease, models), legend: '{{version}}', instant: true }],
  });
}

/** Coverage over time, the delay between prediction and label, and what became of each label. */
export function labelsSection(models: readonly LabelledModel[]): Section {
  const floor = coverageFloor(models);
  const delayBuckets = sel(`${METRICS.labelDelaySeconds}_bucket`, MODEL_FILTER, VERSION_FILTER, ...TARGET_FILTERS);
  return {
    title: 'Labels: coverage, delay, results',
    lines: [
      [
        timeSeriesPanel({
          title: 'Label coverage by version',
          description: `Labels per prediction old enough to have one, per version over ${alertWindowsText(models)}; a drop means the label pipeline broke${floor.text}.`,
          unit: units.PercentUnit,
          width: 8,
          min: 0,
          ...(floor.steps === undefined ? {} : { steps: floor.steps }),
          waive: notPerExporter(QUALITY_RULES_WAIVER),
          queries: [{ expr: alertWindowRecord(RECORDS.labelCoverage, models), legend: '{{version}}' }],
        }),
        timeSeriesPanel({
          title: 'Label delay p50 / p90 / p99',
          description:
            'Time from prediction to label of the labels joined recently, percentiles estimated from the histogram buckets.',
          unit: units.Seconds,
          width: 8,
          min: 0,
          queries: DELAY_QUANTILES.map((q) => ({
            expr: `histogram_quantile(${q}, ${sumRate(delayBuckets, ['le'])})`,
            legend: `p${q * 100}`,
          })),
        }),
        timeSeriesPanel({
          title: 'Label results',
          description: `Labels received per second by what became of them, all models: ${LABEL_RESULTS.join(', ')} (store_unavailable answers 503).`,
          unit: units.EventsPerSecond,
          width: 8,
          min: 0,
          stacked: true,
          queries: [
            { expr: sumRate(sel(METRICS.labelEventsTotal, ...TARGET_FILTERS), ['result']), legend: '{{result}}' },
          ],
        }),
      ],
    ],
  };
}
