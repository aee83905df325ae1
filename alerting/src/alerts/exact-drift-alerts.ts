import { ALERTS, DASHBOARD_UIDS, FEATURE_QUANTILES, LABELS, METRICS } from '../../../spec/src/conventions';
import { constant, gaugePhases, seriesName, type InputSeries } from './input-series';
import type { AlertDefinition } from './alert-definition';
import { formatGoG } from './go-format';
import { driftVerdictText } from './drift-test-text';
import { EXPORTER_TARGET, around, fixtureModel, settledAt } from './case-helpers';
import {
  MINUTE,
  MODEL_ALERT_GROUP as GROUP,
  fixtureFeatures,
  holdWhileNoVerdict,
  restartPhases,
} from './model-alert-common';

const { model: MODEL, feature: FEATURE } = LABELS;

export const featureDrift: AlertDefinition = {
  name: ALERTS.featureDrift,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.modelDrift,
  perModel: true,
  summary: ['An input feature of a model drifted away from its reference.'],
  description: (ctx) => [
    'The live inputs of feature ',
    { label: FEATURE },
    ' of model ',
    { label: MODEL },
    ' no longer look like its reference: ',
    driftVerdictText(ctx),
    '.',
    { direction: true },
    ' First check whether what feeds ',
    { label: FEATURE },
    ' changed upstream (a new data source, a unit or encoding change, a bug in feature code), then when it started on the drift dashboard.',
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
    const labels = { ...EXPORTER_TARGET, model, feature };
    const at = settledAt(0, ctx.spec.alerts.for_seconds.feature_drift, MINUTE);
    const verdict = (score: number, drifted: number, test = 'wasserstein'): InputSeries[] => [
      { series: seriesName(METRICS.featureDriftScore, { ...labels, test }), values: constant(score) },
      { series: seriesName(METRICS.featureDrifted, { ...labels, test }), values: constant(drifted) },
    ];
    // The feature moved up: reference median 42 and p95 180; the two replicas' windows average 61 and 310.
    const moved = { reference: [42, 180], window: [61, 310] } as const;
    const quantileSeries: InputSeries[] = FEATURE_QUANTILES.flatMap((quantile, i) => [
      {
        series: seriesName(METRICS.featureReferenceQuantile, { ...labels, quantile }),
        values: constant(moved.reference[i] as number),
      },
      ...[
        [EXPORTER_TARGET.instance, [55, 290]],
        ['exporter-2:9420', [67, 330]],
      ].map(([instance, window]) => ({
        series: seriesName(METRICS.featureWindowQuantile, {
          job: EXPORTER_TARGET.job,
          instance: instance as string,
          model,
          feature,
          quantile,
        }),
        values: constant((window as readonly number[])[i] as number),
      })),
    ]);
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
        {
          series: seriesName(METRICS.featureDriftScore, { ...labels, test: 'wasserstein' }),
          values: phases(0.31, 0.08),
        },
        { series: seriesName(METRICS.featureDrifted, { ...labels, test: 'wasserstein' }), values: phases(1, 0) },
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
        title:
          'regression: the description names the test and its real rule (a p-value test: corrected p-value and effect-size floor) and says which way the feature moved',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [...verdict(0.12, 1, 'ks'), ...quantileSeries],
        expected: [
          {
            severity: ctx.spec.alerts.severity.feature_drift,
            labels: { model, feature, test: 'ks' },
            value: 0.12,
            quantiles: moved,
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
  summary: ['Many input features of a model drifted at once.'],
  description: (ctx) => [
    { value: 'percent' },
    ' of the features of model ',
    { label: MODEL },
    ' drifted, at or above the dataset-drift share of ',
    `${formatGoG(ctx.spec.drift.dataset_drift_share * 100, 4)}% (drift.dataset_drift_share)`,
    ': ',
    { driftedFeatures: true },
    '. Inputs moved broadly, so the predictions are suspect. First check the upstream data pipeline (a changed source, a failed join, a schema change) before trusting the model.',
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
