import { ALERTS, DASHBOARD_UIDS, LABELS, METRICS, RECORDS } from '../../../spec/src/conventions';
import { alertWindow, qualityPath, type QualityModel } from '../rules/quality-recording';
import type { AlertDefinition } from './alert-definition';
import type { TemplatePart } from './annotation-template';
import { formatGoG } from './go-format';
import { around } from './case-helpers';
import {
  QUALITY_ALERT_GROUP as GROUP,
  confusion,
  countsAround,
  enoughLabels,
  perModel,
  qualityCase,
  qualityFixture,
  targetsWith,
  windowCounter,
  type Cell,
} from './quality-cases';

const { model: MODEL, version: VERSION, class: CLASS } = LABELS;
const percent = (value: number) => `${formatGoG(value * 100, 4)}%`;
const sel = (target: QualityModel) => `{${MODEL}="${target.model.name}"}`;

/** The labels a window of the alert's model version holds, as a count in the description. */
export function labelsQuery(window: string): TemplatePart {
  return {
    query: {
      key: 'labels',
      promql: `${RECORDS.labelsIncrease(window)}{${MODEL}=%q,${VERSION}=%q}`,
      labels: [MODEL, VERSION],
    },
    format: 'count',
  };
}

const hasAccuracyFloor = (t: QualityModel) => t.model.task !== 'regression' && t.quality.accuracy_floor !== undefined;

export const accuracyLow: AlertDefinition = {
  name: ALERTS.accuracyLow,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.classificationPerformance,
  perModel: true,
  optional: true,
  summary: ['The accuracy of a model version on ground-truth labels fell below its floor.'],
  description: (ctx) => [
    'Model ',
    { label: MODEL },
    ' version ',
    { label: VERSION },
    ' got ',
    { value: 'percent' },
    ' of its labelled predictions right',
    perModel(ctx, hasAccuracyFloor, (t) => [
      ` over the last ${ctx.range(alertWindow(t.quality))} (`,
      labelsQuery(alertWindow(t.quality)),
      ` labels), below the floor of ${percent(t.quality.accuracy_floor as number)} (${qualityPath(t)}.accuracy_floor; judged from ${t.quality.min_labels} labels, quality.min_labels)`,
    ]),
    '. Ground truth says the model got worse. First compare the drift alerts of the model (moved inputs explain it; unmoved inputs mean the world changed, concept drift) and the estimated accuracy, then whether a new version was deployed.',
  ],
  value: [{ value: 'percent' }, ' accuracy'],
  forms: (ctx) =>
    targetsWith(ctx, hasAccuracyFloor).map((t) => {
      const window = alertWindow(t.quality);
      return {
        severity: ctx.spec.alerts.severity.accuracy_low,
        expr: `${RECORDS.accuracy(window)}${sel(t)} < ${t.quality.accuracy_floor as number}\nand on (${MODEL}, ${VERSION})\n${RECORDS.labelsIncrease(window)}${sel(t)} >= ${t.quality.min_labels}`,
        forSeconds: ctx.spec.alerts.for_seconds.accuracy_low,
        labels: { [MODEL]: t.model.name },
      };
    }),
  cases: (ctx) => {
    const fx = qualityFixture(ctx, hasAccuracyFloor);
    if (fx === undefined) return [];
    const [negative, positive] = fx.classes as [string, string];
    const floor = fx.target.quality.accuracy_floor as number;
    const forSeconds = ctx.spec.alerts.for_seconds.accuracy_low;
    // Right answers are legit-as-legit, wrong ones missed positives: one label either side of the floor.
    const matrix = (total: number, correct: number): Cell[] => [
      { predicted: negative, actual: negative, count: correct },
      { predicted: negative, actual: positive, count: total - correct },
    ];
    const total = enoughLabels(fx.target);
    const { below, above } = countsAround(floor, total);
    const few = fx.target.quality.min_labels - 1;
    const fired = (correct: number) => ({
      severity: ctx.spec.alerts.severity.accuracy_low,
      labels: { model: fx.model, version: fx.version },
      value: correct / total,
      queries: { labels: total },
    });
    return [
      qualityCase(
        fx,
        `fires one label below the floor (${below} of ${total} right)`,
        forSeconds,
        confusion(ctx, fx, METRICS.labelsTotal, matrix(total, below)),
        below / total < floor ? [fired(below)] : [],
      ),
      qualityCase(
        fx,
        `silent one label above it (${above} of ${total} right)`,
        forSeconds,
        confusion(ctx, fx, METRICS.labelsTotal, matrix(total, above)),
        [],
      ),
      qualityCase(
        fx,
        `silent below quality.min_labels, however wrong (0 of ${few} right)`,
        forSeconds,
        confusion(ctx, fx, METRICS.labelsTotal, matrix(few, 0)),
        [],
      ),
    ];
  },
};

const protectedClasses = (t: QualityModel) => Object.entries(t.quality.protected_classes);
const hasProtected = (t: QualityModel) => t.model.task !== 'regression' && protectedClasses(t).length > 0;

export const classRecallLow: AlertDefinition = {
  name: ALERTS.classRecallLow,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.classificationPerformance,
  perModel: true,
  optional: true,
  summary: ['A model version misses more cases of a protected class than its recall floor allows.'],
  description: (ctx) => [
    'Model ',
    { label: MODEL },
    ' version ',
    { label: VERSION },
    ' recognised ',
    { value: 'percent' },
    ' of the actual ',
    { label: CLASS },
    ' cases',
    perModel(ctx, hasProtected, (t) => {
      const window = alertWindow(t.quality);
      const range = ctx.range(window);
      return [
        ` over the last ${range}: `,
        {
          query: {
            key: 'truePositives',
            promql: `${RECORDS.labelTruePositives(window)}{${MODEL}=%q,${VERSION}=%q,${CLASS}=%q}`,
            labels: [MODEL, VERSION, CLASS],
          },
          format: 'count',
        },
        ' of ',
        {
          query: {
            key: 'support',
            promql: `sum(increase(${METRICS.labelsTotal}{${MODEL}=%q,${VERSION}=%q,${LABELS.actual}=%q}[${range}]))`,
            labels: [MODEL, VERSION, CLASS],
          },
          format: 'count',
        },
        {
          switch: CLASS,
          cases: Object.fromEntries(
            protectedClasses(t).map(([name, { recall_floor: floor }]) => [
              name,
              [
                ` labelled ${name} were predicted as ${name}, below the recall floor of ${percent(floor)} (${qualityPath(t)}.protected_classes.${name}.recall_floor; judged from ${t.quality.min_labels} labels of the class, quality.min_labels)`,
              ],
            ]),
          ),
        },
      ];
    }),
    '. The cases that matter most slip through. First check the confusion matrix on the classification performance dashboard (what the missed cases were predicted as), then the drift alerts of the model and whether a new version was deployed.',
  ],
  value: [{ value: 'percent' }, ' recall'],
  forms: (ctx) =>
    targetsWith(ctx, hasProtected).flatMap((t) => {
      const window = alertWindow(t.quality);
      return protectedClasses(t).map(([name, { recall_floor: floor }]) => ({
        severity: ctx.spec.alerts.severity.class_recall_low,
        // Recall is over the labels whose actual class this is, so the minimum counts those.
        expr: `${RECORDS.recall(window)}{${MODEL}="${t.model.name}",${CLASS}="${name}"} < ${floor}\nand on (${MODEL}, ${VERSION})\nsum by (${MODEL}, ${VERSION}) (increase(${METRICS.labelsTotal}{${MODEL}="${t.model.name}",${LABELS.actual}="${name}"}[${ctx.range(window)}])) >= ${t.quality.min_labels}`,
        forSeconds: ctx.spec.alerts.for_seconds.class_recall_low,
        labels: { [MODEL]: t.model.name, [CLASS]: name },
      }));
    }),
  cases: (ctx) => {
    const fx = qualityFixture(ctx, hasProtected);
    if (fx === undefined) return [];
    const [name, { recall_floor: floor }] = protectedClasses(fx.target)[0] as [string, { recall_floor: number }];
    const other = fx.classes.find((c) => c !== name) as string;
    const forSeconds = ctx.spec.alerts.for_seconds.class_recall_low;
    const support = enoughLabels(fx.target);
    // The class's labels, found or predicted as the other class, beside as many right labels of the other.
    const matrix = (actual: number, found: number): Cell[] => [
      { predicted: name, actual: name, count: found },
      { predicted: other, actual: name, count: actual - found },
      { predicted: other, actual: other, count: support },
    ];
    const { below, above } = countsAround(floor, support);
    const few = fx.target.quality.min_labels - 1;
    const expected = (found: number) => ({
      severity: ctx.spec.alerts.severity.class_recall_low,
      labels: { model: fx.model, version: fx.version, class: name },
      value: found / support,
      queries: { truePositives: found, support },
    });
    return [
      qualityCase(
        fx,
        `fires one ${name} label below the recall floor (${below} of ${support} found)`,
        forSeconds,
        confusion(ctx, fx, METRICS.labelsTotal, matrix(support, below)),
        below / support < floor ? [expected(below)] : [],
      ),
      qualityCase(
        fx,
        `silent one label above it (${above} of ${support} found)`,
        forSeconds,
        confusion(ctx, fx, METRICS.labelsTotal, matrix(support, above)),
        [],
      ),
      qualityCase(
        fx,
        `silent with fewer than quality.min_labels labels of the class, none found (0 of ${few})`,
        forSeconds,
        confusion(ctx, fx, METRICS.labelsTotal, matrix(few, 0)),
        [],
      ),
    ];
  },
};

const hasErrorCeiling = (t: QualityModel) =>
  t.model.task === 'regression' && (t.quality.mae_ceiling !== undefined || t.quality.rmse_ceiling !== undefined);

const ERROR_NAMES = { mae: 'mean absolute error (MAE)', rmse: 'root mean squared error (RMSE)' } as const;

export const regressionErrorHigh: AlertDefinition = {
  name: ALERTS.regressionErrorHigh,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.regressionPerformance,
  perModel: true,
  optional: true,
  summary: ["A regression model version's errors on ground-truth labels rose above their ceiling."],
  description: (ctx) => [
    'Model ',
    { label: MODEL },
    ' version ',
    { label: VERSION },
    ' has a ',
    perModel(ctx, hasErrorCeiling, (t) => {
      const range = ctx.range(alertWindow(t.quality));
      const ceilings = { mae: t.quality.mae_ceiling, rmse: t.quality.rmse_ceiling };
      return [
        {
          switch: 'error',
          cases: Object.fromEntries(
            (['mae', 'rmse'] as const).flatMap((error) => {
              const ceiling = ceilings[error];
              return ceiling === undefined
                ? []
                : [
                    [
                      error,
                      [
                        `${ERROR_NAMES[error]} of `,
                        { value: 'number' },
                        ` over the last ${range} (`,
                        labelsQuery(alertWindow(t.quality)),
                        ` labels), above its ceiling of ${formatGoG(ceiling, 4)} (${qualityPath(t)}.${error}_ceiling; judged from ${t.quality.min_labels} labels, quality.min_labels)`,
                      ],
                    ],
                  ];
            }),
          ),
        },
      ];
    }),
    '. Ground truth says the model got worse. First check the error distribution on the regression performance dashboard (a few huge errors raise the RMSE far more than the MAE), then the drift alerts of the model and whether a new version was deployed.',
  ],
  value: [{ value: 'number' }],
  forms: (ctx) =>
    targetsWith(ctx, hasErrorCeiling).map((t) => {
      const window = alertWindow(t.quality);
      const over = (record: string, ceiling: number | undefined, error: string) =>
        ceiling === undefined ? [] : [`label_replace(${record}${sel(t)} > ${ceiling}, "error", "${error}", "", "")`];
      const conditions = [
        ...over(RECORDS.mae(window), t.quality.mae_ceiling, 'mae'),
        ...over(RECORDS.rmse(window), t.quality.rmse_ceiling, 'rmse'),
      ];
      return {
        severity: ctx.spec.alerts.severity.regression_error_high,
        expr: `(\n  ${conditions.join('\n  or\n  ')}\n)\nand on (${MODEL}, ${VERSION})\n${RECORDS.labelsIncrease(window)}${sel(t)} >= ${t.quality.min_labels}`,
        forSeconds: ctx.spec.alerts.for_seconds.regression_error_high,
        labels: { [MODEL]: t.model.name },
      };
    }),
  cases: (ctx) => {
    const fx = qualityFixture(ctx, hasErrorCeiling);
    if (fx === undefined) return [];
    const { mae_ceiling: maeCeiling, rmse_ceiling: rmseCeiling } = fx.target.quality;
    const forSeconds = ctx.spec.alerts.for_seconds.regression_error_high;
    const count = enoughLabels(fx.target);
    const errors = (labels: number, mae: number, rmse: number) => [
      windowCounter(ctx, fx, `${METRICS.regressionAbsoluteError}_count`, {}, labels),
      windowCounter(ctx, fx, `${METRICS.regressionAbsoluteError}_sum`, {}, mae * labels),
      windowCounter(ctx, fx, METRICS.regressionSquaredErrorTotal, {}, rmse * rmse * labels),
    ];
    // Below a ceiling the spec does not set, anything goes; 1 is as good as any value. Three
    // significant digits, as the description prints them: no case sits on a rounding edge.
    const readable = ({ above, below }: { above: number; below: number }) => ({
      above: Number(above.toPrecision(3)),
      below: Number(below.toPrecision(3)),
    });
    const mae = readable(around(maeCeiling ?? 1));
    const rmse = readable(around(rmseCeiling ?? 1));
    const alert = (error: 'mae' | 'rmse', value: number) => ({
      severity: ctx.spec.alerts.severity.regression_error_high,
      labels: { model: fx.model, version: fx.version, error },
      value,
      queries: { labels: count },
    });
    const few = fx.target.quality.min_labels - 1;
    return [
      ...(maeCeiling === undefined
        ? []
        : [
            qualityCase(
              fx,
              `fires when the MAE is 10% above its ceiling (${mae.above})`,
              forSeconds,
              errors(count, mae.above, rmse.below),
              [alert('mae', mae.above)],
            ),
          ]),
      ...(rmseCeiling === undefined
        ? []
        : [
            qualityCase(
              fx,
              `fires when the RMSE is 10% above its ceiling (${rmse.above})`,
              forSeconds,
              errors(count, mae.below, rmse.above),
              [alert('rmse', rmse.above)],
            ),
          ]),
      qualityCase(
        fx,
        'silent with both 10% below their ceilings',
        forSeconds,
        errors(count, mae.below, rmse.below),
        [],
      ),
      qualityCase(
        fx,
        `silent below quality.min_labels (${few} labels), however large the errors`,
        forSeconds,
        errors(few, mae.above * 10, rmse.above * 10),
        [],
      ),
    ];
  },
};
