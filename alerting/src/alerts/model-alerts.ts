import {
  ALERTS,
  DASHBOARD_UIDS,
  FLEET_BIN_COUNT,
  LABELS,
  METRICS,
  RATE_WINDOW,
  RECORDS,
  binLabel,
} from '../../../spec/src/conventions';
import { psi } from '../../../drift/src/stats';
import { parseDuration } from '../prometheus-duration';
import { formatGoG } from './go-format';
import { constant, counter, seriesName, type InputSeries } from './input-series';
import type { AlertDefinition } from './alert-definition';
import { EXPORTER_TARGET, fixtureModel, fixtureVersion, settledAt } from './case-helpers';
import { MINUTE, MODEL_ALERT_GROUP as GROUP } from './model-alert-common';
import { datasetDrift, featureDrift } from './exact-drift-alerts';
import { confidenceDrift, predictionDrift } from './output-drift-alerts';

const { model: MODEL, feature: FEATURE } = LABELS;

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
  summary: ['An input feature of a model drifted across the fleet.'],
  description: (ctx) => [
    'Across all replicas, feature ',
    { label: FEATURE },
    ' of model ',
    { label: MODEL },
    ' has a population stability index (PSI) of ',
    { value: 'number' },
    ` against its reference bins over the last ${ctx.range(ctx.fleetWindow)}, above its threshold of ${formatGoG(ctx.spec.drift.thresholds.psi, 4)} (drift.thresholds.psi). No replica's exact tier has a verdict on it (their windows are below drift.min_samples), so this is the only drift alert for the feature. First check whether what feeds `,
    { label: FEATURE },
    ' changed upstream, then the fleet panels of the drift dashboard for which bins gained and lost.',
  ],
  value: [{ value: 'number' }, ' PSI'],
  forms: (ctx) => {
    const window = ctx.fleetWindow;
    // One page per problem: where any replica's exact tier has a verdict (0 or 1, not NaN) on
    // the feature, or its per-feature alert still fires, the exact tier speaks for it and the
    // fleet tier, whose window lingers for drift.fleet_window_seconds, stays silent.
    const exactTierSpeaks =
      `(\n  max by (${MODEL}, ${FEATURE}) (${METRICS.featureDrifted} >= 0)\n  or\n` +
      `  max by (${MODEL}, ${FEATURE}) (ALERTS{alertname="${ALERTS.featureDrift}",alertstate="firing"})\n)`;
    return [
      {
        severity: ctx.spec.alerts.severity.fleet_drift,
        expr:
          `${RECORDS.fleetPsi(window)} > ${ctx.spec.drift.thresholds.psi}\nand on (${MODEL}, ${FEATURE})\n${RECORDS.fleetEvents(window)} >= ${ctx.spec.drift.min_samples}` +
          `\nunless on (${MODEL}, ${FEATURE})\n${exactTierSpeaks}`,
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
    const exactVerdict = (drifted: number): InputSeries => ({
      series: seriesName(METRICS.featureDrifted, { ...EXPORTER_TARGET, model, feature, test: 'ks' }),
      values: constant(drifted),
    });
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
      {
        title:
          "regression: silent while a replica's exact tier has a verdict of not drifted (the lingering fleet window paged a second time)",
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [...binsFor(aboveShares), exactVerdict(0)],
        expected: [],
      },
      {
        title: 'regression: silent while the exact tier says drifted, so the per-feature alert pages alone',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [...binsFor(aboveShares), exactVerdict(1)],
        expected: [],
      },
      {
        title: "fires while every replica's exact verdict is NaN (windows too small to judge)",
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: [...binsFor(aboveShares), exactVerdict(Number.NaN)],
        expected: [
          {
            severity: ctx.spec.alerts.severity.fleet_drift,
            labels: { model, feature },
            value: psi(reference, aboveShares),
          },
        ],
      },
    ];
  },
};

export const confidenceDrop: AlertDefinition = {
  name: ALERTS.confidenceDrop,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.modelDrift,
  perModel: true,
  summary: ['The mean confidence of a model version fell below its floor.'],
  description: (ctx) => [
    'Model ',
    { label: MODEL },
    ' version ',
    { label: 'version' },
    ' is unsure of what it sees: mean confidence ',
    { value: 'number' },
    ` over the last ${ctx.range(RATE_WINDOW)}, below the floor of ${formatGoG(ctx.spec.alerts.mean_confidence_floor, 4)} (alerts.mean_confidence_floor). First check the drift dashboard for drifted inputs, then whether a new version was deployed.`,
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
