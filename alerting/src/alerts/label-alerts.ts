import { ALERTS, DASHBOARD_UIDS, LABELS, METRICS, RECORDS } from '../../../spec/src/conventions';
import { formatDuration } from '../prometheus-duration';
import { alertWindow, duePredictions, qualityPath, type QualityModel } from '../rules/quality-recording';
import type { AlertDefinition } from './alert-definition';
import { formatGoG } from './go-format';
import { labelsQuery } from './quality-alerts';
import {
  QUALITY_ALERT_GROUP as GROUP,
  confusion,
  countsAround,
  enoughLabels,
  perModel,
  predictions,
  qualityCase,
  qualityFixture,
  targetsWith,
  windowCounter,
  type Cell,
} from './quality-cases';

const { model: MODEL, version: VERSION } = LABELS;
const percent = (value: number) => `${formatGoG(value * 100, 4)}%`;
const sel = (target: QualityModel) => `{${MODEL}="${target.model.name}"}`;

const hasCoverageFloor = (t: QualityModel) => t.quality.coverage_floor !== undefined;

export const labelCoverageLow: AlertDefinition = {
  name: ALERTS.labelCoverageLow,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.classificationPerformance,
  perModel: true,
  optional: true,
  summary: ['Fewer ground-truth labels arrive for a model version than its predictions should have by now.'],
  description: (ctx) => [
    'Only ',
    { value: 'percent' },
    ' of the predictions of model ',
    { label: MODEL },
    ' version ',
    { label: VERSION },
    perModel(ctx, hasCoverageFloor, (t) => {
      const window = alertWindow(t.quality);
      const delay = ctx.range(formatDuration(t.quality.expected_delay_seconds));
      const range = ctx.range(window);
      const offset = t.quality.expected_delay_seconds === 0 ? '' : ` offset ${delay}`;
      return [
        ` that are old enough got a label over the last ${range} (of `,
        {
          query: {
            key: 'due',
            promql: `sum(increase(${METRICS.predictionsTotal}{${MODEL}=%q,${VERSION}=%q,status="success"}[${range}]${offset}))`,
            labels: [MODEL, VERSION],
          },
          format: 'count',
        },
        ` predictions made from ${delay} earlier), below the coverage floor of ${percent(t.quality.coverage_floor as number)} (${qualityPath(t)}.coverage_floor) for longer than the expected label delay of ${delay} (${qualityPath(t)}.expected_delay_seconds)`,
      ];
    }),
    '. The label pipeline is probably broken, and every quality alert of the model is blind while it is. First check mlwatch_label_events_total by result (unmatched labels: ids that expired from the join store; store_unavailable: Redis), then the job that posts to /v1/events/labels.',
  ],
  value: [{ value: 'percent' }, ' label coverage'],
  forms: (ctx) =>
    targetsWith(ctx, hasCoverageFloor).map((t) => {
      const window = alertWindow(t.quality);
      return {
        severity: ctx.spec.alerts.severity.label_coverage_low,
        expr: `${RECORDS.labelCoverage(window)}${sel(t)} < ${t.quality.coverage_floor as number}\nand on (${MODEL}, ${VERSION})\n${duePredictions(ctx, t, window)} >= ${t.quality.min_labels}`,
        forSeconds: t.quality.expected_delay_seconds,
        labels: { [MODEL]: t.model.name },
      };
    }),
  cases: (ctx) => {
    const fx = qualityFixture(ctx, hasCoverageFloor);
    if (fx === undefined) return [];
    const floor = fx.target.quality.coverage_floor as number;
    const delay = fx.target.quality.expected_delay_seconds;
    const due = enoughLabels(fx.target);
    const first = fx.classes[0] ?? '';
    const labels = (count: number) =>
      fx.target.model.task === 'regression'
        ? [windowCounter(ctx, fx, `${METRICS.regressionAbsoluteError}_count`, {}, count)]
        : confusion(ctx, fx, METRICS.labelsTotal, [{ predicted: first, actual: first, count }]);
    const { below, above } = countsAround(floor, due);
    const fired = (count: number) => [
      {
        severity: ctx.spec.alerts.severity.label_coverage_low,
        labels: { model: fx.model, version: fx.version },
        value: count / due,
        queries: { due },
      },
    ];
    const few = fx.target.quality.min_labels - 1;
    // The predictions started with the case, so the offset window is full once the delay has passed too.
    return [
      qualityCase(
        fx,
        `fires one label below the floor (${below} labels for ${due} due predictions)`,
        delay,
        [predictions(ctx, fx, due), ...labels(below)],
        below / due < floor ? fired(below) : [],
        delay,
      ),
      qualityCase(
        fx,
        'regression: fires when no label series exists at all (the pipeline never sent one)',
        delay,
        [predictions(ctx, fx, due)],
        fired(0),
        delay,
      ),
      qualityCase(
        fx,
        `silent one label above it (${above} labels for ${due})`,
        delay,
        [predictions(ctx, fx, due), ...labels(above)],
        [],
        delay,
      ),
      qualityCase(
        fx,
        `silent with fewer than quality.min_labels due predictions (${few}, no labels)`,
        delay,
        [predictions(ctx, fx, few)],
        [],
        delay,
      ),
    ];
  },
};

const classifier = (t: QualityModel) => t.model.task !== 'regression';
const hasEstimateFloor = (t: QualityModel) => classifier(t) && t.quality.estimated_accuracy_floor !== undefined;

export const estimatedAccuracyLow: AlertDefinition = {
  name: ALERTS.estimatedAccuracyLow,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.classificationPerformance,
  perModel: true,
  optional: true,
  summary: ["A model version's accuracy estimated from its own class probabilities fell below its floor."],
  description: (ctx) => [
    'Model ',
    { label: MODEL },
    ' version ',
    { label: VERSION },
    ' should, by its own class probabilities, get ',
    { value: 'percent' },
    ' of its predictions right',
    perModel(ctx, hasEstimateFloor, (t) => {
      const range = ctx.range(alertWindow(t.quality));
      return [
        ` over the last ${range} (`,
        {
          query: {
            key: 'predictions',
            promql: `sum(increase(${METRICS.expectedLabelsTotal}{${MODEL}=%q,${VERSION}=%q}[${range}]))`,
            labels: [MODEL, VERSION],
          },
          format: 'count',
        },
        ` predictions), below the floor of ${percent(t.quality.estimated_accuracy_floor as number)} (${qualityPath(t)}.estimated_accuracy_floor; judged from ${t.quality.min_labels} predictions, quality.min_labels)`,
      ];
    }),
    '. This needs no labels: the model is unsure of more of what it sees, so its accuracy has probably fallen before the labels can say so. First check the drift alerts of the model (unfamiliar inputs lower the probabilities first), then whether a new version was deployed.',
  ],
  value: [{ value: 'percent' }, ' estimated accuracy'],
  forms: (ctx) =>
    targetsWith(ctx, hasEstimateFloor).map((t) => {
      const window = alertWindow(t.quality);
      return {
        severity: ctx.spec.alerts.severity.estimated_accuracy_low,
        expr: `${RECORDS.estimatedAccuracy(window)}${sel(t)} < ${t.quality.estimated_accuracy_floor as number}\nand on (${MODEL}, ${VERSION})\nsum by (${MODEL}, ${VERSION}) (increase(${METRICS.expectedLabelsTotal}${sel(t)}[${ctx.range(window)}])) >= ${t.quality.min_labels}`,
        forSeconds: ctx.spec.alerts.for_seconds.estimated_accuracy_low,
        labels: { [MODEL]: t.model.name },
      };
    }),
  cases: (ctx) => {
    const fx = qualityFixture(ctx, hasEstimateFloor);
    if (fx === undefined) return [];
    const [negative, positive] = fx.classes as [string, string];
    const floor = fx.target.quality.estimated_accuracy_floor as number;
    const forSeconds = ctx.spec.alerts.for_seconds.estimated_accuracy_low;
    const total = enoughLabels(fx.target);
    // Expected counts: every prediction says legit, and its probabilities expect `right` of them to be.
    const expected = (count: number, right: number): Cell[] => [
      { predicted: negative, actual: negative, count: right },
      { predicted: negative, actual: positive, count: count - right },
    ];
    const { below, above } = countsAround(floor, total);
    const few = fx.target.quality.min_labels - 1;
    return [
      qualityCase(
        fx,
        `fires with no labels at all, one expected right answer below the floor (${below} of ${total})`,
        forSeconds,
        confusion(ctx, fx, METRICS.expectedLabelsTotal, expected(total, below)),
        below / total < floor
          ? [
              {
                severity: ctx.spec.alerts.severity.estimated_accuracy_low,
                labels: { model: fx.model, version: fx.version },
                value: below / total,
                queries: { predictions: total },
              },
            ]
          : [],
      ),
      qualityCase(
        fx,
        `silent one above it (${above} of ${total})`,
        forSeconds,
        confusion(ctx, fx, METRICS.expectedLabelsTotal, expected(total, above)),
        [],
      ),
      qualityCase(
        fx,
        `silent below quality.min_labels predictions (${few}, none expected right)`,
        forSeconds,
        confusion(ctx, fx, METRICS.expectedLabelsTotal, expected(few, 0)),
        [],
      ),
    ];
  },
};

const hasGap = (t: QualityModel) => classifier(t) && t.quality.max_estimate_gap !== undefined;

export const estimateDivergence: AlertDefinition = {
  name: ALERTS.estimateDivergence,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.classificationPerformance,
  perModel: true,
  optional: true,
  summary: ["The estimated and the realised accuracy of a model version's labelled predictions diverged."],
  description: (ctx) => [
    'On the ',
    perModel(ctx, hasGap, (t) => {
      const window = alertWindow(t.quality);
      const accuracyQuery = (key: string, record: string) => ({
        query: { key, promql: `${record}{${MODEL}=%q,${VERSION}=%q}`, labels: [MODEL, VERSION] },
        format: 'percent' as const,
      });
      return [
        labelsQuery(window),
        ` labelled predictions of model `,
        { label: MODEL },
        ' version ',
        { label: VERSION },
        ` over the last ${ctx.range(window)}, the realised accuracy is `,
        accuracyQuery('accuracy', RECORDS.accuracy(window)),
        ' while their class probabilities promised ',
        accuracyQuery('estimate', RECORDS.labelledEstimatedAccuracy(window)),
        ': ',
        { value: 'percent' },
        ` apart, more than ${percent(t.quality.max_estimate_gap as number)} (${qualityPath(t)}.max_estimate_gap; judged from ${t.quality.min_labels} labels, quality.min_labels)`,
      ];
    }),
    '. The probabilities no longer say how often the model is right, so its estimated accuracy cannot be trusted while labels lag. First check whether the calibration map in the profile is stale (re-run mlwatch profile on recent labelled data), then concept drift (the same inputs now mean something else).',
  ],
  value: [{ value: 'percent' }, ' apart'],
  forms: (ctx) =>
    targetsWith(ctx, hasGap).map((t) => {
      const window = alertWindow(t.quality);
      return {
        severity: ctx.spec.alerts.severity.estimate_divergence,
        expr: `abs(${RECORDS.accuracy(window)}${sel(t)} - ${RECORDS.labelledEstimatedAccuracy(window)}${sel(t)}) > ${t.quality.max_estimate_gap as number}\nand on (${MODEL}, ${VERSION})\n${RECORDS.labelsIncrease(window)}${sel(t)} >= ${t.quality.min_labels}`,
        forSeconds: ctx.spec.alerts.for_seconds.estimate_divergence,
        labels: { [MODEL]: t.model.name },
      };
    }),
  cases: (ctx) => {
    const fx = qualityFixture(ctx, hasGap);
    if (fx === undefined) return [];
    const [negative, positive] = fx.classes as [string, string];
    const gap = fx.target.quality.max_estimate_gap as number;
    const forSeconds = ctx.spec.alerts.for_seconds.estimate_divergence;
    const total = enoughLabels(fx.target);
    const cells = (count: number, right: number): Cell[] => [
      { predicted: negative, actual: negative, count: right },
      { predicted: negative, actual: positive, count: count - right },
    ];
    // The model is overconfident: its probabilities promise `right + difference` right answers of the labelled ones.
    const labelled = (count: number, right: number, difference: number) => [
      ...confusion(ctx, fx, METRICS.labelsTotal, cells(count, right)),
      ...confusion(ctx, fx, METRICS.labelledExpectedLabelsTotal, cells(count, right + difference)),
    ];
    const over = Math.floor(gap * total) + 1;
    const under = Math.max(0, Math.ceil(gap * total) - 1);
    const right = Math.max(0, Math.floor((total - over) / 2));
    const few = fx.target.quality.min_labels - 1;
    return [
      qualityCase(
        fx,
        `fires one label past the gap (${right} right, ${right + over} promised, of ${total})`,
        forSeconds,
        labelled(total, right, over),
        [
          {
            severity: ctx.spec.alerts.severity.estimate_divergence,
            labels: { model: fx.model, version: fx.version },
            value: over / total,
            queries: { labels: total, accuracy: right / total, estimate: (right + over) / total },
          },
        ],
      ),
      qualityCase(
        fx,
        `silent one label inside it (${right} right, ${right + under} promised)`,
        forSeconds,
        labelled(total, right, under),
        [],
      ),
      qualityCase(
        fx,
        `silent below quality.min_labels labels (${few}), however far apart`,
        forSeconds,
        labelled(few, 0, few),
        [],
      ),
    ];
  },
};
