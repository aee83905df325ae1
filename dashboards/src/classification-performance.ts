import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { QualitySpec, Spec } from '../../spec/src/schema';
import { DASHBOARD_UIDS, METRICS, RECORDS } from '../../spec/src/conventions';
import { buildDashboard } from './common/dashboard-factory';
import { MODEL_FILTER, TARGET_FILTERS, VERSION_FILTER } from './common/filters';
import { redBelow, redFrom, statPanel, tablePanel, timeSeriesPanel, type Placed, type Step } from './common/panels';
import { sel } from './common/queries';
import {
  allWindows,
  labelledModels,
  modelsMatcher,
  settingsText,
  sharedSetting,
  type LabelledModel,
} from './common/tasks';
import { modelVariable, targetVariables, versionVariable } from './common/variables';
import { notPerExporter } from './common/waivers';
import { QUALITY_RULES_WAIVER, coverageStat, labelsInWindowStat, labelsSection } from './label-panels';
import {
  alertWindowDifference,
  alertWindowIncrease,
  alertWindowRecord,
  alertWindowsText,
  type WindowRecord,
} from './quality-queries';

const waive = notPerExporter(QUALITY_RULES_WAIVER);

/** A floor of the quality sections as steps (when the models agree) and words for a description. */
function floor(
  models: readonly LabelledModel[],
  key: string,
  pick: (quality: QualitySpec) => number | undefined,
): { steps?: Step[]; text: string } {
  const shared = sharedSetting(models, pick);
  if (shared !== undefined) return { steps: redBelow(shared), text: `; red below ${key} ${shared}` };
  const each = settingsText(models, pick);
  return { text: each === '' ? '' : `; ${key}: ${each}` };
}

/** The lowest recall floor of the protected classes, when every protected class has the same one. */
function recallFloor(models: readonly LabelledModel[]): { steps?: Step[]; text: string } {
  const floors = models.flatMap((model) =>
    Object.entries(model.quality.protected_classes).map(([name, c]) => ({
      text: `${model.name}/${name} ${c.recall_floor}`,
      value: c.recall_floor,
    })),
  );
  const values = new Set(floors.map((f) => f.value));
  if (values.size === 1)
    return {
      steps: redBelow(floors[0]?.value ?? 0),
      text: `; the dashed line is the protected classes' recall_floor (${floors.map((f) => f.text).join(', ')})`,
    };
  return {
    text: floors.length === 0 ? '' : `; protected classes' recall floors: ${floors.map((f) => f.text).join(', ')}`,
  };
}

/** Realised and estimated values of one per-version (or per-class) quality rule, as two queries. */
function realisedAndEstimated(
  realised: WindowRecord,
  estimated: WindowRecord,
  models: readonly LabelledModel[],
  legend: string,
): { expr: string; legend: string }[] {
  return [
    { expr: alertWindowRecord(realised, models), legend: `${legend} realised` },
    { expr: alertWindowRecord(estimated, models), legend: `${legend} estimated` },
  ];
}

/** A per-class quality panel: realised and estimated per version and class. */
function perClassPanel(
  title: string,
  what: string,
  realised: WindowRecord,
  estimated: WindowRecord,
  models: readonly LabelledModel[],
  extra: { steps?: Step[]; text: string } = { text: '' },
): Placed {
  return timeSeriesPanel({
    title,
    description: `${what} of each class per version over ${alertWindowsText(models)}, realised from the labels beside the estimate from the predicted probabilities${extra.text}.`,
    unit: units.PercentUnit,
    width: 8,
    min: 0,
    max: 1,
    ...(extra.steps === undefined ? {} : { steps: extra.steps }),
    waive,
    queries: realisedAndEstimated(realised, estimated, models, '{{version}} {{class}}'),
  });
}

/**
 * Is the classifier right: realised quality from the joined labels beside the estimate from the
 * predicted probabilities, per version; the confusion matrix; label coverage, delay and results.
 * `undefined` when no classifier declares `quality`.
 */
export function classificationPerformance(spec: Spec): Dashboard | undefined {
  const models = labelledModels(spec, 'classification');
  if (models.length === 0) return undefined;
  const accuracyFloor = floor(models, 'accuracy_floor', (q) => q.accuracy_floor);
  const estimatedFloor = floor(models, 'estimated_accuracy_floor', (q) => q.estimated_accuracy_floor);
  const gap = sharedSetting(models, (q) => q.max_estimate_gap);
  const gapText = gap === undefined ? settingsText(models, (q) => q.max_estimate_gap) : String(gap);
  const estimateMinusRealised = alertWindowDifference(RECORDS.labelledEstimatedAccuracy, RECORDS.accuracy, models);
  const window = alertWindowsText(models);
  return buildDashboard({
    uid: DASHBOARD_UIDS.classificationPerformance,
    title: 'mlwatch / Classification performance',
    description:
      'Is the classifier right: accuracy, precision, recall and F1 realised from ground-truth labels beside the estimate from the predicted probabilities, per version; the confusion matrix; label coverage and delay.',
    variables: [
      ...targetVariables(),
      modelVariable({
        matcher: modelsMatcher(models),
        what: `the classifiers with a quality section (${models.map((m) => m.name).join(', ')})`,
      }),
      versionVariable(),
    ],
    sections: [
      {
        title: `At a glance (each model's alert window: ${window})`,
        lines: [
          [
            statPanel({
              title: 'Accuracy',
              description: `Share of labelled predictions whose class was right, per version${accuracyFloor.text}.`,
              unit: units.PercentUnit,
              width: 4,
              height: 4,
              ...(accuracyFloor.steps === undefined ? {} : { steps: accuracyFloor.steps }),
              waive,
              queries: [{ expr: alertWindowRecord(RECORDS.accuracy, models), legend: '{{version}}', instant: true }],
            }),
            statPanel({
              title: 'Estimated accuracy',
              description: `Accuracy expected from the predicted probabilities of every prediction, labelled or not, per version${estimatedFloor.text}.`,
              unit: units.PercentUnit,
              width: 4,
              height: 4,
              ...(estimatedFloor.steps === undefined ? {} : { steps: estimatedFloor.steps }),
              waive,
              queries: [
                { expr: alertWindowRecord(RECORDS.estimatedAccuracy, models), legend: '{{version}}', instant: true },
              ],
            }),
            statPanel({
              title: 'Macro F1',
              description:
                'Mean of the per-class F1 scores from the labels, per version: low when a rare class is missed.',
              unit: units.PercentUnit,
              width: 4,
              height: 4,
              waive,
              queries: [{ expr: alertWindowRecord(RECORDS.macroF1, models), legend: '{{version}}', instant: true }],
            }),
            statPanel({
              title: 'Estimate gap',
              description: `Distance between estimated and realised accuracy of the same labelled predictions, per version${gapText === '' ? '' : `; red from max_estimate_gap ${gapText}`}.`,
              unit: units.PercentUnit,
              width: 4,
              height: 4,
              ...(gap === undefined ? {} : { steps: redFrom(gap) }),
              waive,
              queries: [{ expr: `abs(${estimateMinusRealised})`, legend: '{{version}}', instant: true }],
            }),
            coverageStat(models),
            labelsInWindowStat(models),
          ],
        ],
      },
      {
        title: 'Realised and estimated, by version',
        lines: [
          [
            timeSeriesPanel({
              title: 'Accuracy: realised and estimated',
              description: `Accuracy per version over ${window}, realised from the labels beside the estimate from the predicted probabilities${accuracyFloor.text}.`,
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              max: 1,
              ...(accuracyFloor.steps === undefined ? {} : { steps: accuracyFloor.steps }),
              waive,
              queries: realisedAndEstimated(RECORDS.accuracy, RECORDS.estimatedAccuracy, models, '{{version}}'),
            }),
            timeSeriesPanel({
              title: 'Estimated minus realised accuracy',
              description: `Estimated accuracy of the labelled predictions minus their realised accuracy, per version: above zero the estimate is too optimistic${gapText === '' ? '' : `; the alert fires beyond max_estimate_gap ${gapText} either way`}.`,
              unit: units.PercentUnit,
              width: 12,
              waive,
              queries: [{ expr: estimateMinusRealised, legend: '{{version}}' }],
            }),
          ],
          [
            perClassPanel('Precision by class', 'Precision', RECORDS.precision, RECORDS.estimatedPrecision, models),
            perClassPanel(
              'Recall by class',
              'Recall',
              RECORDS.recall,
              RECORDS.estimatedRecall,
              models,
              recallFloor(models),
            ),
            perClassPanel('F1 by class', 'F1', RECORDS.f1, RECORDS.estimatedF1, models),
          ],
          [
            timeSeriesPanel({
              title: 'Macro F1 by version',
              description: `Mean of the per-class F1 scores from the labels, per version over ${window}.`,
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              max: 1,
              waive,
              queries: [{ expr: alertWindowRecord(RECORDS.macroF1, models), legend: '{{version}}' }],
            }),
            timeSeriesPanel({
              title: 'Accuracy by window',
              description: `Realised accuracy per version over every window of quality.windows_seconds (${allWindows(models).join(', ')}): a short window moves first, a long one says whether it lasts.`,
              unit: units.PercentUnit,
              width: 12,
              min: 0,
              max: 1,
              waive,
              queries: allWindows(models).map((w) => ({
                expr: sel(RECORDS.accuracy(w), MODEL_FILTER, VERSION_FILTER),
                legend: `{{version}} ${w}`,
              })),
            }),
          ],
        ],
      },
      {
        title: 'Confusion matrix',
        lines: [
          [
            tablePanel({
              title: 'Confusion matrix',
              description: `Labels per predicted class (rows) and actual class (columns) of the selected versions over ${window}, all exporters.`,
              unit: units.Short,
              width: 24,
              height: 8,
              waive: {
                'target-rate-interval-rule': `The matrix counts the labels of the window the quality alerts judge (quality.windows_seconds[0]: ${window}), not the dashboard range, so it agrees with the accuracy beside it.`,
              },
              queries: [
                {
                  expr: alertWindowIncrease(
                    (...matchers) =>
                      sel(METRICS.labelsTotal, MODEL_FILTER, VERSION_FILTER, ...TARGET_FILTERS, ...matchers),
                    ['predicted', 'actual'],
                    models,
                  ),
                  instant: true,
                  format: 'table',
                },
              ],
              matrix: { rows: 'predicted', columns: 'actual', values: 'Value' },
            }),
          ],
        ],
      },
      labelsSection(models),
    ],
  });
}
