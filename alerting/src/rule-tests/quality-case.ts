import { EXPORTER_JOB, LABELS, METRICS, RECORDS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import { counter, seriesName, type InputSeries } from '../alerts/input-series';
import { qualityModels, qualityWindows, type QualityModel } from '../rules/quality-recording';
import type { ExpectedValue, ValueCase } from './fleet-drift-case';

/** A promtool case of recorded values: series, when to look, and what the rules must say then. */
export type RecordedValueCase = ValueCase;

const REPLICAS = ['exporter-0:9420', 'exporter-1:9420'] as const;

/** Counts per window of one counter on each of the two replicas: [replica 0, replica 1]. */
type PerReplica = readonly [number, number];

/**
 * The confusion matrix of the first two classes, `a` (e.g. legit) and `b` (e.g. fraud), as the two
 * replicas count it over one window, by predicted → actual. Added up over the fleet:
 *
 *               actual a   actual b
 *   predicted a     540         30     (570 predicted a)
 *   predicted b      12         18     ( 30 predicted b)
 *                   552         48     600 labels
 *
 * The replicas alone would say 304/320 = 0.95 and 254/280 ≈ 0.907: averaging their ratios (0.929)
 * is not the fleet's 0.93, which only summing the counters first gives.
 */
const LABELLED: Readonly<Record<'aa' | 'ab' | 'ba' | 'bb', PerReplica>> = {
  aa: [300, 240],
  ab: [10, 20],
  ba: [6, 6],
  bb: [4, 14],
};

/** Realised quality of LABELLED, by hand. */
export const LABELLED_QUALITY = {
  labels: 600,
  truePositives: { a: 540, b: 18 },
  accuracy: 558 / 600, // 0.93
  precision: { a: 540 / 570, b: 18 / 30 }, // 0.9474, 0.6
  recall: { a: 540 / 552, b: 18 / 48 }, // 0.9783, 0.375
  f1: { a: 1080 / 1122, b: 36 / 78 }, // 2·TP / (predicted + actual): 0.9626, 0.4615
  macroF1: (1080 / 1122 + 36 / 78) / 2, // 0.7121
} as const;

/** Successful predictions per window (800: 500 + 300), and failed ones, which coverage ignores. */
const PREDICTIONS: PerReplica = [500, 300];
const FAILED: PerReplica = [40, 10];
/** 600 labels for the 800 predictions old enough to have one. */
export const COVERAGE = 600 / 800; // 0.75

/**
 * Expected confusion counts of all 800 predictions from their class probabilities (fractions, as
 * probabilities make them): a→a 712, a→b 48, b→a 16.5, b→b 23.5.
 */
const EXPECTED: Readonly<Record<'aa' | 'ab' | 'ba' | 'bb', PerReplica>> = {
  aa: [450, 262],
  ab: [30, 18],
  ba: [10.5, 6],
  bb: [9.5, 14],
};

/** Estimated quality of EXPECTED, by hand. */
export const ESTIMATED_QUALITY = {
  truePositives: { a: 712, b: 23.5 },
  accuracy: 735.5 / 800, // 0.919375
  precision: { a: 712 / 760, b: 23.5 / 40 }, // 0.9368, 0.5875
  recall: { a: 712 / 728.5, b: 23.5 / 71.5 }, // 0.9774, 0.3287
  f1: { a: 1424 / 1488.5, b: 47 / 111.5 }, // 0.9567, 0.4215
} as const;

/** Expected counts of the 600 labelled predictions only: 548 + 16 on the diagonal. */
const LABELLED_EXPECTED: Readonly<Record<'aa' | 'ab' | 'ba' | 'bb', PerReplica>> = {
  aa: [300, 248],
  ab: [12, 10],
  ba: [4, 10],
  bb: [4, 12],
};
export const LABELLED_ESTIMATED_ACCURACY = 564 / 600; // 0.94

/** Regression errors per window on the two replicas: 250 + 150 labels. */
const ERRORS = { count: [250, 150], absolute: [700, 300], squared: [2500, 1100] } as const;
/** 400 labels; MAE 1000 / 400; RMSE √(3600 / 400) (the replicas alone: MAE 2.8 and 2.0). */
export const REGRESSION_QUALITY = { labels: 400, mae: 2.5, rmse: 3, coverage: 400 / 500 } as const;
const REGRESSION_PREDICTIONS: PerReplica = [300, 200];

/**
 * The quality recording rules against the hand-computed values above, one case per window of the
 * first classifier and the first regression model with labels, on two replicas.
 */
export function qualityRecordingCases(ctx: AlertingContext): RecordedValueCase[] {
  const targets = qualityModels(ctx.spec);
  const classifier = targets.find((t) => t.model.task !== 'regression' && (t.model.classes?.length ?? 0) >= 2);
  const regression = targets.find((t) => t.model.task === 'regression');
  return [
    ...(classifier === undefined ? [] : windowCases(ctx, classifier, classificationCase)),
    ...(regression === undefined ? [] : windowCases(ctx, regression, regressionCase)),
  ];
}

type CaseBuilder = (
  ctx: AlertingContext,
  target: QualityModel,
  window: string,
  grid: { windowSeconds: number; intervalSeconds: number },
) => Pick<RecordedValueCase, 'name' | 'series' | 'expected'>;

function windowCases(ctx: AlertingContext, target: QualityModel, build: CaseBuilder): RecordedValueCase[] {
  const windows = qualityWindows(target.quality);
  return target.quality.windows_seconds.map((windowSeconds, i) => {
    const intervalSeconds = Math.max(60, windowSeconds / 60);
    const lead = windowSeconds + target.quality.expected_delay_seconds + 2 * intervalSeconds;
    return {
      ...build(ctx, target, windows[i] as string, { windowSeconds, intervalSeconds }),
      intervalSeconds,
      evalAtSeconds: Math.ceil(lead / intervalSeconds) * intervalSeconds,
    };
  });
}

/** A counter on each replica that grows by its count over every window. */
function replicated(
  ctx: AlertingContext,
  windowSeconds: number,
  metric: string,
  labels: Readonly<Record<string, string>>,
  counts: PerReplica,
): InputSeries[] {
  return REPLICAS.map((instance, i) => ({
    series: seriesName(metric, { job: EXPORTER_JOB, instance, ...labels }),
    values: counter(((counts[i] as number) * ctx.profile.timeCompression) / windowSeconds),
  }));
}

function expectation(record: string, labels: Readonly<Record<string, string>>, value: number): ExpectedValue {
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return { expr: `${record}{${selector}}`, labels, value };
}

const classificationCase: CaseBuilder = (ctx, target, window, { windowSeconds }) => {
  const model = target.model.name;
  const version = target.model.versions[0]?.name as string;
  const [a, b] = target.model.classes as [string, string];
  const mv = { model, version };
  const cells = (metric: string, matrix: Readonly<Record<'aa' | 'ab' | 'ba' | 'bb', PerReplica>>) =>
    (
      [
        ['aa', a, a],
        ['ab', a, b],
        ['ba', b, a],
        ['bb', b, b],
      ] as const
    ).flatMap(([cell, predicted, actual]) =>
      replicated(
        ctx,
        windowSeconds,
        metric,
        { ...mv, [LABELS.predicted]: predicted, [LABELS.actual]: actual },
        matrix[cell],
      ),
    );
  const perClass = (record: string, values: { a: number; b: number }) => [
    expectation(record, { ...mv, class: a }, values.a),
    expectation(record, { ...mv, class: b }, values.b),
  ];
  const q = LABELLED_QUALITY;
  const e = ESTIMATED_QUALITY;
  return {
    name: `accuracy, precision, recall, F1 and coverage of a two-replica confusion matrix over ${window} match values computed by hand (${model})`,
    series: [
      ...cells(METRICS.labelsTotal, LABELLED),
      ...cells(METRICS.expectedLabelsTotal, EXPECTED),
      ...cells(METRICS.labelledExpectedLabelsTotal, LABELLED_EXPECTED),
      ...replicated(ctx, windowSeconds, METRICS.predictionsTotal, { ...mv, status: 'success' }, PREDICTIONS),
      ...replicated(ctx, windowSeconds, METRICS.predictionsTotal, { ...mv, status: 'error' }, FAILED),
    ],
    expected: [
      expectation(RECORDS.labelsIncrease(window), mv, q.labels),
      expectation(RECORDS.labelCoverage(window), mv, COVERAGE),
      ...perClass(RECORDS.labelTruePositives(window), q.truePositives),
      expectation(RECORDS.accuracy(window), mv, q.accuracy),
      ...perClass(RECORDS.precision(window), q.precision),
      ...perClass(RECORDS.recall(window), q.recall),
      ...perClass(RECORDS.f1(window), q.f1),
      expectation(RECORDS.macroF1(window), mv, q.macroF1),
      ...perClass(RECORDS.expectedTruePositives(window), e.truePositives),
      expectation(RECORDS.estimatedAccuracy(window), mv, e.accuracy),
      ...perClass(RECORDS.estimatedPrecision(window), e.precision),
      ...perClass(RECORDS.estimatedRecall(window), e.recall),
      ...perClass(RECORDS.estimatedF1(window), e.f1),
      expectation(RECORDS.labelledEstimatedAccuracy(window), mv, LABELLED_ESTIMATED_ACCURACY),
    ],
  };
};

const regressionCase: CaseBuilder = (ctx, target, window, { windowSeconds }) => {
  const model = target.model.name;
  const version = target.model.versions[0]?.name as string;
  const mv = { model, version };
  const error = METRICS.regressionAbsoluteError;
  return {
    name: `MAE, RMSE and coverage of two replicas' error sums over ${window} match values computed by hand (${model})`,
    series: [
      ...replicated(ctx, windowSeconds, `${error}_count`, mv, ERRORS.count),
      ...replicated(ctx, windowSeconds, `${error}_sum`, mv, ERRORS.absolute),
      ...replicated(ctx, windowSeconds, METRICS.regressionSquaredErrorTotal, mv, ERRORS.squared),
      ...replicated(ctx, windowSeconds, METRICS.predictionsTotal, { ...mv, status: 'success' }, REGRESSION_PREDICTIONS),
    ],
    expected: [
      expectation(RECORDS.labelsIncrease(window), mv, REGRESSION_QUALITY.labels),
      expectation(RECORDS.labelCoverage(window), mv, REGRESSION_QUALITY.coverage),
      expectation(RECORDS.mae(window), mv, REGRESSION_QUALITY.mae),
      expectation(RECORDS.rmse(window), mv, REGRESSION_QUALITY.rmse),
    ],
  };
};

/** The hand-computed tables, for a unit test to check against the quality library's formulas. */
export const QUALITY_FIXTURE_TABLES = { LABELLED, EXPECTED, LABELLED_EXPECTED, ERRORS, PREDICTIONS } as const;
