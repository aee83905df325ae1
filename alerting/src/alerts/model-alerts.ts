import {
  ALERTS,
  type AlertName,
  DASHBOARD_UIDS,
  FLEET_BIN_COUNT,
  LABELS,
  METRICS,
  RATE_WINDOW,
  RECORDS,
  binLabel,
} from '../../../spec/src/conventions';
import { psi } from '../../../drift/src/stats';
import type { AlertingContext } from '../alerting-context';
import { parseDuration } from '../prometheus-duration';
import { constant, counter, gaugePhases, seriesName, type InputSeries } from './input-series';
import type { AlertDefinition } from './alert-definition';
import { formatGoG } from './go-format';
import { EXPORTER_TARGET, around, fixtureModel, fixtureVersion, settledAt } from './case-helpers';

const GROUP = 'mlwatch-model-alerts';
const MINUTE = 60;
const { model: MODEL, feature: FEATURE } = LABELS;

/**
 * A drift condition that also holds while its verdict is NaN ("no verdict": the exporter just
 * restarted, or its window is refilling) for as long as the alert already fires. So NaN neither
 * resolves a firing drift alert nor fires one: only a real 0 resolves it, only a real 1 fires it.
 * `x != x` is true exactly when x is NaN.
 */
function holdWhileNoVerdict(condition: string, verdict: string, on: string, alert: AlertName): string {
  return `${condition}\nor\n(\n  ${verdict} != ${verdict}\n  and on (${on})\n  ALERTS{alertname="${alert}",alertstate="firing"}\n)`;
}

/** Production seconds a drift case's verdict holds before the exporter "restarts", and how long NaN lasts after. */
function restartPhases(forSeconds: number): { before: number; after: number } {
  return { before: forSeconds + 3 * MINUTE, after: 10 * MINUTE };
}

/** Fixture feature names: the model's own, so descriptions read like the real ones. */
function fixtureFeatures(ctx: AlertingContext): string[] {
  return (ctx.spec.models[0]?.features ?? []).map((f) => f.name);
}

export const featureDrift: AlertDefinition = {
  name: ALERTS.featureDrift,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.modelDrift,
  perModel: true,
  summary: ['Feature ', { label: FEATURE }, ' of model ', { label: MODEL }, ' drifted'],
  description: [
    'The live inputs of feature ',
    { label: FEATURE },
    ' no longer match the reference of model ',
    { label: MODEL },
    ': ',
    { label: 'test' },
    ' score ',
    { value: 'number' },
    ' (exact tier, after multiple-testing correction and the effect-size floor).',
  ],
  value: [{ value: 'number' }],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.feature_drift,
      expr: `max by (${MODEL}, ${FEATURE}, test) (${METRICS.featureDriftScore})\nand on (${MODEL}, ${FEATURE}, test)\n(\n${holdWhileNoVerdict(
        `max by (${MODEL}, ${FEATURE}, test) (${METRICS.featureDrifted}) == 1`,
        `max by (${MODEL}, ${FEATURE}, test) (${METRICS.featureDrifted})`,
        `${MODEL}, ${FEATURE}, test`,
        ALERTS.featureDrift,
      )}\n)`,
      forSeconds: ctx.spec.alerts.for_seconds.feature_drift,
    },
  ],
  cases: (ctx) => {
    const model = fixtureModel(ctx);
    const feature = fixtureFeatures(ctx)[0] as string;
    const labels = { ...EXPORTER_TARGET, model, feature, test: 'wasserstein' };
    const at = settledAt(0, ctx.spec.alerts.for_seconds.feature_drift, MINUTE);
    const verdict = (score: number, drifted: number): InputSeries[] => [
      { series: seriesName(METRICS.featureDriftScore, labels), values: constant(score) },
      { series: seriesName(METRICS.featureDrifted, labels), values: constant(drifted) },
    ];
    const { before, after } = restartPhases(ctx.spec.alerts.for_seconds.feature_drift);
    // Drifted (score 0.31), then the exporter restarts without a verdict (NaN), then maybe a real "not drifted".
    const restarted = (thenNotDrifted: boolean): InputSeries[] => {
      const phases = (drifting: number, settled: number) =>
        gaugePhases([
          { value: drifting, seconds: before },
          { value: Number.NaN, seconds: after },
          ...(thenNotDrifted ? [{ value: settled, seconds: after }] : []),
        ]);
      return [
        { series: seriesName(METRICS.featureDriftScore, labels), values: phases(0.31, 0.08) },
        { series: seriesName(METRICS.featureDrifted, labels), values: phases(1, 0) },
      ];
    };
    const restartAt = before + after;
    return [
      {
        title: 'regression: keeps firing while its gauge is NaN after a restart',
        intervalSeconds: MINUTE,
        evalAtSeconds: restartAt,
        series: restarted(false),
        expected: [
          {
            severity: ctx.spec.alerts.severity.feature_drift,
            labels: { model, feature, test: 'wasserstein' },
            value: Number.NaN,
          },
        ],
      },
      {
        title: 'resolves when a real verdict of 0 follows the NaN',
        intervalSeconds: MINUTE,
        evalAtSeconds: restartAt + after,
        series: restarted(true),
        expected: [],
      },
      {
        title: 'regression: does not fire from NaN',
        intervalSeconds: MINUTE,
        evalAtSeconds: restartAt,
        series: verdict(Number.NaN, Number.NaN),
        expected: [],
      },
      {
        title: 'fires when the exact tier says drifted',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: verdict(0.31, 1),
        expected: [
          {
            severity: ctx.spec.alerts.severity.feature_drift,
            labels: { model, feature, test: 'wasserstein' },
            value: 0.31,
          },
        ],
      },
      {
        title: 'silent when it says not drifted',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: verdict(0.08, 0),
        expected: [],
      },
    ];
  },
};

export const datasetDrift: AlertDefinition = {
  name: ALERTS.datasetDrift,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.modelDrift,
  perModel: true,
  summary: ['Dataset drift on model ', { label: MODEL }],
  description: (ctx) => [
    { value: 'percent' },
    ' of the features of model ',
    { label: MODEL },
    ' drifted, at least the dataset-drift share of ',
    `${formatGoG(ctx.spec.drift.dataset_drift_share * 100, 4)}%`,
    ': ',
    { driftedFeatures: true },
    '. Inputs moved broadly; check the upstream data before trusting the predictions.',
  ],
  value: [{ value: 'percent' }, ' of features drifted'],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.dataset_drift,
      expr: holdWhileNoVerdict(
        `max by (${MODEL}) (${METRICS.modelDriftShare}) >= ${ctx.spec.drift.dataset_drift_share}`,
        `max by (${MODEL}) (${METRICS.modelDriftShare})`,
        MODEL,
        ALERTS.datasetDrift,
      ),
      forSeconds: ctx.spec.alerts.for_seconds.dataset_drift,
    },
  ],
  cases: (ctx) => {
    const model = fixtureModel(ctx);
    const features = fixtureFeatures(ctx);
    const { above, below } = around(ctx.spec.drift.dataset_drift_share);
    const drifted = features.slice(0, Math.max(1, Math.round(Math.min(1, above) * features.length)));
    const at = settledAt(0, ctx.spec.alerts.for_seconds.dataset_drift, MINUTE);
    const state = (share: number): InputSeries[] => [
      { series: seriesName(METRICS.modelDriftShare, { ...EXPORTER_TARGET, model }), values: constant(share) },
      ...features.map((feature) => ({
        series: seriesName(METRICS.featureDrifted, { ...EXPORTER_TARGET, model, feature, test: 'ks' }),
        values: constant(drifted.includes(feature) ? 1 : 0),
      })),
    ];
    const { before, after } = restartPhases(ctx.spec.alerts.for_seconds.dataset_drift);
    const restarted: InputSeries[] = [
      {
        series: seriesName(METRICS.modelDriftShare, { ...EXPORTER_TARGET, model }),
        values: gaugePhases([
          { value: Math.min(1, above), seconds: before },
          { value: Number.NaN, seconds: after },
        ]),
      },
      ...features.map((feature) => ({
        series: seriesName(METRICS.featureDrifted, { ...EXPORTER_TARGET, model, feature, test: 'ks' }),
        values: gaugePhases([
          { value: drifted.includes(feature) ? 1 : 0, seconds: before },
          { value: Number.NaN, seconds: after },
        ]),
      })),
    ];
    return [
      {
        title: 'regression: keeps firing while its gauge is NaN after a restart',
        intervalSeconds: MINUTE,
        evalAtSeconds: before + after,
        series: restarted,
        // No feature has a verdict yet, so the description names none.
        expected: [
          {
            severity: ctx.spec.alerts.severity.dataset_drift,
            labels: { model },
            value: Number.NaN,
            driftedFeatures: [],
          },
        ],
      },
      {
        title: 'regression: does not fire from NaN',
        intervalSeconds: MINUTE,
        evalAtSeconds: before + after,
        series: state(Number.NaN),
        expected: [],
      },
      {
        title: 'fires when the drifted share reaches the threshold',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: state(Math.min(1, above)),
        expected: [
          {
            severity: ctx.spec.alerts.severity.dataset_drift,
            labels: { model },
            value: Math.min(1, above),
            driftedFeatures: drifted,
          },
        ],
      },
      { title: 'silent just below it', intervalSeconds: MINUTE, evalAtSeconds: at, series: state(below), expected: [] },
    ];
  },
};

/** Current shares of ten bins moved by `shift` from a uniform reference: mass from the top bin to the bottom one. */
function shiftedShares(shift: number): number[] {
  return Array.from(
    { length: FLEET_BIN_COUNT },
    (_, i) => 1 / FLEET_BIN_COUNT + (i === 0 ? shift : i === FLEET_BIN_COUNT - 1 ? -shift : 0),
  );
}

/** The smallest shift whose PSI against a uniform reference exceeds `target` (0.0005 steps). */
function shiftForPsi(target: number): number {
  const reference = new Array<number>(FLEET_BIN_COUNT).fill(1 / FLEET_BIN_COUNT);
  for (let shift = 0; shift < 1 / FLEET_BIN_COUNT; shift += 0.0005) {
    if (psi(reference, shiftedShares(shift)) > target) return shift;
  }
  throw new RangeError(`no bin shift reaches PSI ${target}`);
}

export const fleetFeatureDrift: AlertDefinition = {
  name: ALERTS.fleetFeatureDrift,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.modelDrift,
  perModel: true,
  summary: ['Fleet-wide drift of feature ', { label: FEATURE }, ' of model ', { label: MODEL }],
  description: [
    'Across all replicas, feature ',
    { label: FEATURE },
    ' of model ',
    { label: MODEL },
    ' has PSI ',
    { value: 'number' },
    ' against its reference bins over the fleet window, above the PSI threshold in mlwatch.yaml.',
  ],
  value: [{ value: 'number' }, ' PSI'],
  forms: (ctx) => {
    const window = ctx.fleetWindow;
    return [
      {
        severity: ctx.spec.alerts.severity.fleet_drift,
        expr: `${RECORDS.fleetPsi(window)} > ${ctx.spec.drift.thresholds.psi}\nand on (${MODEL}, ${FEATURE})\n${RECORDS.fleetEvents(window)} >= ${ctx.spec.drift.min_samples}`,
        forSeconds: ctx.spec.alerts.for_seconds.fleet_drift,
      },
    ];
  },
  cases: (ctx) => {
    const model = fixtureModel(ctx);
    const feature = 'fleet_fixture_feature';
    const threshold = ctx.spec.drift.thresholds.psi;
    const window = ctx.spec.drift.fleet_window_seconds;
    const at = settledAt(window, ctx.spec.alerts.for_seconds.fleet_drift, MINUTE);
    // Enough events that the window, as this profile runs it, holds min_samples twice over.
    const perSecond = (2 * ctx.spec.drift.min_samples) / (window / ctx.profile.timeCompression);
    const binsFor = (shares: number[]): InputSeries[] =>
      shares.flatMap((share, i) => [
        {
          series: seriesName(METRICS.featureBinTotal, { ...EXPORTER_TARGET, model, feature, bin: binLabel(i) }),
          values: counter(perSecond * share),
        },
        {
          series: seriesName(METRICS.featureReferenceRatio, { ...EXPORTER_TARGET, model, feature, bin: binLabel(i) }),
          values: constant(1 / FLEET_BIN_COUNT),
        },
      ]);
    const reference = new Array<number>(FLEET_BIN_COUNT).fill(1 / FLEET_BIN_COUNT);
    const aboveShares = shiftedShares(shiftForPsi(threshold * 1.1));
    const belowShares = shiftedShares(shiftForPsi(threshold * 0.85));
    return [
      {
        title: 'fires when fleet PSI is above the threshold',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: binsFor(aboveShares),
        expected: [
          {
            severity: ctx.spec.alerts.severity.fleet_drift,
            labels: { model, feature },
            value: psi(reference, aboveShares),
          },
        ],
      },
      {
        title: 'silent just below it',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: binsFor(belowShares),
        expected: [],
      },
    ];
  },
};

function outputDrift(
  name: typeof ALERTS.predictionDrift | typeof ALERTS.confidenceDrift,
  output: 'prediction' | 'confidence',
): AlertDefinition {
  const what = output === 'prediction' ? 'predicted classes (or outputs)' : 'confidences';
  const severityOf = (ctx: AlertingContext) =>
    output === 'prediction' ? ctx.spec.alerts.severity.prediction_drift : ctx.spec.alerts.severity.confidence_drift;
  const by = `${MODEL}, test`;
  return {
    name,
    group: GROUP,
    dashboard: DASHBOARD_UIDS.modelDrift,
    perModel: true,
    summary: [
      output === 'prediction' ? 'Prediction' : 'Confidence',
      ' distribution of model ',
      { label: MODEL },
      ' drifted',
    ],
    description: [
      'The distribution of ',
      what,
      ' of model ',
      { label: MODEL },
      ' moved away from the reference: ',
      { label: 'test' },
      ' score ',
      { value: 'number' },
      '.',
    ],
    value: [{ value: 'number' }],
    forms: (ctx) => [
      {
        severity: severityOf(ctx),
        expr: `max by (${by}) (${METRICS.outputDriftScore}{output="${output}"})\nand on (${by})\n(\n${holdWhileNoVerdict(
          `max by (${by}) (${METRICS.outputDrifted}{output="${output}"}) == 1`,
          `max by (${by}) (${METRICS.outputDrifted}{output="${output}"})`,
          by,
          name,
        )}\n)`,
        forSeconds: ctx.spec.alerts.for_seconds.output_drift,
      },
    ],
    cases: (ctx) => {
      const model = fixtureModel(ctx);
      const labels = { ...EXPORTER_TARGET, model, output, test: 'chi2' };
      const at = settledAt(0, ctx.spec.alerts.for_seconds.output_drift, MINUTE);
      const verdict = (score: number, drifted: number): InputSeries[] => [
        { series: seriesName(METRICS.outputDriftScore, labels), values: constant(score) },
        { series: seriesName(METRICS.outputDrifted, labels), values: constant(drifted) },
      ];
      const { before, after } = restartPhases(ctx.spec.alerts.for_seconds.output_drift);
      const restarted: InputSeries[] = [
        {
          series: seriesName(METRICS.outputDriftScore, labels),
          values: gaugePhases([
            { value: 42.5, seconds: before },
            { value: Number.NaN, seconds: after },
          ]),
        },
        {
          series: seriesName(METRICS.outputDrifted, labels),
          values: gaugePhases([
            { value: 1, seconds: before },
            { value: Number.NaN, seconds: after },
          ]),
        },
      ];
      return [
        {
          title: 'regression: keeps firing while its gauge is NaN after a restart',
          intervalSeconds: MINUTE,
          evalAtSeconds: before + after,
          series: restarted,
          expected: [{ severity: severityOf(ctx), labels: { model, test: 'chi2' }, value: Number.NaN }],
        },
        {
          title: 'regression: does not fire from NaN',
          intervalSeconds: MINUTE,
          evalAtSeconds: before + after,
          series: verdict(Number.NaN, Number.NaN),
          expected: [],
        },
        {
          title: 'fires when the output drifted',
          intervalSeconds: MINUTE,
          evalAtSeconds: at,
          series: verdict(42.5, 1),
          expected: [{ severity: severityOf(ctx), labels: { model, test: 'chi2' }, value: 42.5 }],
        },
        {
          title: 'silent when it did not',
          intervalSeconds: MINUTE,
          evalAtSeconds: at,
          series: verdict(3.1, 0),
          expected: [],
        },
      ];
    },
  };
}

export const predictionDrift = outputDrift(ALERTS.predictionDrift, 'prediction');
export const confidenceDrift = outputDrift(ALERTS.confidenceDrift, 'confidence');

export const confidenceDrop: AlertDefinition = {
  name: ALERTS.confidenceDrop,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.modelDrift,
  perModel: true,
  summary: ['Mean confidence of ', { label: MODEL }, ' ', { label: 'version' }, ' fell to ', { value: 'number' }],
  description: [
    'Model ',
    { label: MODEL },
    ' version ',
    { label: 'version' },
    ' is unsure of what it sees: mean confidence ',
    { value: 'number' },
    ', below the floor in mlwatch.yaml.',
  ],
  value: [{ value: 'number' }],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.confidence_drop,
      expr: `${RECORDS.meanConfidence} < ${ctx.spec.alerts.mean_confidence_floor}`,
      forSeconds: ctx.spec.alerts.for_seconds.confidence_drop,
    },
  ],
  cases: (ctx) => {
    const floor = ctx.spec.alerts.mean_confidence_floor;
    const model = fixtureModel(ctx);
    const version = fixtureVersion(ctx);
    const at = settledAt(parseDuration(RATE_WINDOW), ctx.spec.alerts.for_seconds.confidence_drop, MINUTE);
    const confidence = (mean: number): InputSeries[] => {
      const labels = { ...EXPORTER_TARGET, model, version };
      return [
        { series: seriesName(`${METRICS.predictionConfidence}_sum`, labels), values: counter(10 * mean) },
        { series: seriesName(`${METRICS.predictionConfidence}_count`, labels), values: counter(10) },
      ];
    };
    const low = floor * 0.9;
    const high = floor + (1 - floor) / 2;
    return [
      {
        title: 'fires below the confidence floor',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: confidence(low),
        expected: [{ severity: ctx.spec.alerts.severity.confidence_drop, labels: { model, version }, value: low }],
      },
      { title: 'silent above it', intervalSeconds: MINUTE, evalAtSeconds: at, series: confidence(high), expected: [] },
    ];
  },
};

export const MODEL_ALERTS: readonly AlertDefinition[] = [
  featureDrift,
  datasetDrift,
  fleetFeatureDrift,
  predictionDrift,
  confidenceDrift,
  confidenceDrop,
];
