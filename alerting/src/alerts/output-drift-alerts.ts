import { ALERTS, DASHBOARD_UIDS, LABELS, METRICS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import { constant, gaugePhases, seriesName, type InputSeries } from './input-series';
import type { AlertDefinition } from './alert-definition';
import { EXPORTER_TARGET, fixtureModel, settledAt } from './case-helpers';
import { driftVerdictText } from './drift-test-text';
import { MINUTE, MODEL_ALERT_GROUP as GROUP, holdWhileNoVerdict, restartPhases } from './model-alert-common';

const { model: MODEL } = LABELS;

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
      output === 'prediction'
        ? "The distribution of a model's predictions drifted away from its reference."
        : "The distribution of a model's confidences drifted away from its reference.",
    ],
    description: (ctx) => [
      'The distribution of ',
      what,
      ' of model ',
      { label: MODEL },
      ' moved away from the reference outputs: ',
      driftVerdictText(ctx),
      '. ',
      output === 'prediction'
        ? 'The model predicts different answers than it did on its reference data. First check the input drift alerts of the model (the inputs usually moved first), then whether a new version was deployed.'
        : 'The model is more or less sure of itself than on its reference data. First check the input drift alerts of the model, then whether a new version was deployed.',
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
