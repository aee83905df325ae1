import { Registry } from 'prom-client';
import { DriftMetrics, type DriftLayout } from '../../../exporter/src/drift/drift-metrics';

/** One model with a p-value test and a distance test on its features and outputs, and one model version with neither. */
const LAYOUT: DriftLayout = {
  targets: [
    {
      model: 'fraud',
      features: [
        { name: 'amount', test: 'ks', pValue: true },
        { name: 'country', test: 'psi', pValue: false },
      ],
      outputs: [
        { name: 'prediction', test: 'chi2', pValue: true },
        { name: 'confidence', test: 'wasserstein', pValue: false },
      ],
    },
    { model: 'credit', version: 'v2', features: [], outputs: [] },
  ],
};

function metricsOf(layout: DriftLayout): { metrics: DriftMetrics; exposition: () => Promise<string> } {
  const registry = new Registry();
  const metrics = new DriftMetrics(layout, registry);
  return { metrics, exposition: () => registry.metrics() };
}

/** The sample lines of one metric family, without HELP, TYPE or blank lines. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

const EVALUATION_HISTOGRAM = `# HELP mlwatch_drift_evaluation_seconds Time one drift evaluation of one window took, in seconds.
# TYPE mlwatch_drift_evaluation_seconds histogram
mlwatch_drift_evaluation_seconds_bucket{le="0.001"} 0
mlwatch_drift_evaluation_seconds_bucket{le="0.0025"} 0
mlwatch_drift_evaluation_seconds_bucket{le="0.005"} 0
mlwatch_drift_evaluation_seconds_bucket{le="0.01"} 0
mlwatch_drift_evaluation_seconds_bucket{le="0.025"} 0
mlwatch_drift_evaluation_seconds_bucket{le="0.05"} 0
mlwatch_drift_evaluation_seconds_bucket{le="0.1"} 0
mlwatch_drift_evaluation_seconds_bucket{le="0.25"} 0
mlwatch_drift_evaluation_seconds_bucket{le="0.5"} 0
mlwatch_drift_evaluation_seconds_bucket{le="1"} 0
mlwatch_drift_evaluation_seconds_bucket{le="2.5"} 0
mlwatch_drift_evaluation_seconds_bucket{le="+Inf"} 0
mlwatch_drift_evaluation_seconds_sum 0
mlwatch_drift_evaluation_seconds_count 0
`;

describe('DriftMetrics', () => {
  test('every series of the layout is exposed before the first evaluation: every verdict NaN (no verdict is not "no drift"), the window count 0', async () => {
    const { exposition } = metricsOf(LAYOUT);
    // prom-client writes NaN as "Nan"; Prometheus parses special floats without regard to case.
    expect(await exposition())
      .toBe(`# HELP mlwatch_feature_drift_score Drift statistic of each feature from its latest evaluation (test label says which).
# TYPE mlwatch_feature_drift_score gauge
mlwatch_feature_drift_score{model="fraud",feature="amount",test="ks"} Nan
mlwatch_feature_drift_score{model="fraud",feature="country",test="psi"} Nan

# HELP mlwatch_feature_drift_pvalue Uncorrected p-value of each p-value-test feature from its latest evaluation.
# TYPE mlwatch_feature_drift_pvalue gauge
mlwatch_feature_drift_pvalue{model="fraud",feature="amount",test="ks"} Nan

# HELP mlwatch_feature_drift_corrected_pvalue p-value of each p-value-test feature after the multiple-testing correction (drift.correction), compared with drift.alpha.
# TYPE mlwatch_feature_drift_corrected_pvalue gauge
mlwatch_feature_drift_corrected_pvalue{model="fraud",feature="amount",test="ks"} Nan

# HELP mlwatch_feature_drifted 1 when the feature drifted after correction and the effect-size floor, 0 when not, NaN without a verdict.
# TYPE mlwatch_feature_drifted gauge
mlwatch_feature_drifted{model="fraud",feature="amount",test="ks"} Nan
mlwatch_feature_drifted{model="fraud",feature="country",test="psi"} Nan

# HELP mlwatch_output_drift_score Drift statistic of the predicted-class (or output) and confidence distributions.
# TYPE mlwatch_output_drift_score gauge
mlwatch_output_drift_score{model="fraud",output="prediction",test="chi2"} Nan
mlwatch_output_drift_score{model="fraud",output="confidence",test="wasserstein"} Nan

# HELP mlwatch_output_drift_pvalue p-value of the output drift tests that have one.
# TYPE mlwatch_output_drift_pvalue gauge
mlwatch_output_drift_pvalue{model="fraud",output="prediction",test="chi2"} Nan

# HELP mlwatch_output_drift_corrected_pvalue p-value of the output drift tests that have one, after the multiple-testing correction, compared with drift.alpha.
# TYPE mlwatch_output_drift_corrected_pvalue gauge
mlwatch_output_drift_corrected_pvalue{model="fraud",output="prediction",test="chi2"} Nan

# HELP mlwatch_output_drifted 1 when the output distribution drifted, 0 when not, NaN without a verdict.
# TYPE mlwatch_output_drifted gauge
mlwatch_output_drifted{model="fraud",output="prediction",test="chi2"} Nan
mlwatch_output_drifted{model="fraud",output="confidence",test="wasserstein"} Nan

# HELP mlwatch_model_drift_share Share of the features that drifted in the latest evaluation; NaN without a verdict.
# TYPE mlwatch_model_drift_share gauge
mlwatch_model_drift_share{model="fraud"} Nan
mlwatch_model_drift_share{model="credit",version="v2"} Nan

# HELP mlwatch_model_drifted 1 when any feature drifted, 0 when none did, NaN without a verdict.
# TYPE mlwatch_model_drifted gauge
mlwatch_model_drifted{model="fraud"} Nan
mlwatch_model_drifted{model="credit",version="v2"} Nan

# HELP mlwatch_model_dataset_drift 1 when the drifted share reached drift.dataset_drift_share, 0 when not, NaN without a verdict.
# TYPE mlwatch_model_dataset_drift gauge
mlwatch_model_dataset_drift{model="fraud"} Nan
mlwatch_model_dataset_drift{model="credit",version="v2"} Nan

# HELP mlwatch_drift_window_samples Events in the drift window at the latest evaluation.
# TYPE mlwatch_drift_window_samples gauge
mlwatch_drift_window_samples{model="fraud"} 0
mlwatch_drift_window_samples{model="credit",version="v2"} 0

${EVALUATION_HISTOGRAM}`);
  });

  test('a layout without targets exposes every family with its help and type but no series', async () => {
    const text = await metricsOf({ targets: [] }).exposition();
    const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(families).toEqual([
      'mlwatch_feature_drift_score gauge',
      'mlwatch_feature_drift_pvalue gauge',
      'mlwatch_feature_drift_corrected_pvalue gauge',
      'mlwatch_feature_drifted gauge',
      'mlwatch_output_drift_score gauge',
      'mlwatch_output_drift_pvalue gauge',
      'mlwatch_output_drift_corrected_pvalue gauge',
      'mlwatch_output_drifted gauge',
      'mlwatch_model_drift_share gauge',
      'mlwatch_model_drifted gauge',
      'mlwatch_model_dataset_drift gauge',
      'mlwatch_drift_window_samples gauge',
      'mlwatch_drift_evaluation_seconds histogram',
    ]);
    expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual(
      EVALUATION_HISTOGRAM.split('\n').filter((line) => line !== '' && !line.startsWith('#')),
    );
  });

  test('the series indexes of each target address the series labelled with its model, version, feature and output', async () => {
    const { metrics, exposition } = metricsOf(LAYOUT);
    const [fraud, credit] = metrics.series;
    const amount = fraud?.feature.get('amount');
    const country = fraud?.feature.get('country');
    const prediction = fraud?.output.get('prediction');
    const confidence = fraud?.output.get('confidence');
    if (!fraud || !amount || !country || !prediction || !confidence || !credit) throw new Error('a series is missing');
    metrics.featureScore.set(amount.score, 0.31);
    metrics.featurePvalue.set(amount.pvalue, 0.002);
    metrics.featureDrifted.set(amount.score, 1);
    metrics.featureScore.set(country.score, 0.07);
    metrics.outputScore.set(prediction.score, 12.5);
    metrics.outputPvalue.set(prediction.pvalue, 0.04);
    metrics.outputScore.set(confidence.score, 0.2);
    metrics.outputDrifted.set(confidence.score, 1);
    metrics.share.set(fraud.target, 0.5);
    metrics.windowSamples.set(credit.target, 1200);
    const text = await exposition();
    expect(samples(text, 'mlwatch_feature_drift_score')).toEqual([
      'mlwatch_feature_drift_score{model="fraud",feature="amount",test="ks"} 0.31',
      'mlwatch_feature_drift_score{model="fraud",feature="country",test="psi"} 0.07',
    ]);
    expect(samples(text, 'mlwatch_feature_drift_pvalue')).toEqual([
      'mlwatch_feature_drift_pvalue{model="fraud",feature="amount",test="ks"} 0.002',
    ]);
    expect(samples(text, 'mlwatch_feature_drifted')).toEqual([
      'mlwatch_feature_drifted{model="fraud",feature="amount",test="ks"} 1',
      // Never set: no verdict, NaN (before drift verdicts were NaN this read 0, "no drift").
      'mlwatch_feature_drifted{model="fraud",feature="country",test="psi"} Nan',
    ]);
    expect(samples(text, 'mlwatch_output_drift_score')).toEqual([
      'mlwatch_output_drift_score{model="fraud",output="prediction",test="chi2"} 12.5',
      'mlwatch_output_drift_score{model="fraud",output="confidence",test="wasserstein"} 0.2',
    ]);
    expect(samples(text, 'mlwatch_output_drift_pvalue')).toEqual([
      'mlwatch_output_drift_pvalue{model="fraud",output="prediction",test="chi2"} 0.04',
    ]);
    expect(samples(text, 'mlwatch_output_drifted')).toEqual([
      'mlwatch_output_drifted{model="fraud",output="prediction",test="chi2"} Nan',
      'mlwatch_output_drifted{model="fraud",output="confidence",test="wasserstein"} 1',
    ]);
    expect(samples(text, 'mlwatch_model_drift_share')).toEqual([
      'mlwatch_model_drift_share{model="fraud"} 0.5',
      'mlwatch_model_drift_share{model="credit",version="v2"} Nan',
    ]);
    expect(samples(text, 'mlwatch_drift_window_samples')).toEqual([
      'mlwatch_drift_window_samples{model="fraud"} 0',
      'mlwatch_drift_window_samples{model="credit",version="v2"} 1200',
    ]);
  });

  test('two models share one family per metric, with a series each', async () => {
    const twoModels: DriftLayout = {
      targets: [
        { model: 'a', features: [{ name: 'x', test: 'ks', pValue: true }], outputs: [] },
        { model: 'b', features: [{ name: 'x', test: 'ks', pValue: true }], outputs: [] },
      ],
    };
    const text = await metricsOf(twoModels).exposition();
    expect(text.match(/^# TYPE mlwatch_feature_drift_score gauge$/gm)).toHaveLength(1);
    expect(samples(text, 'mlwatch_feature_drift_score')).toEqual([
      'mlwatch_feature_drift_score{model="a",feature="x",test="ks"} Nan',
      'mlwatch_feature_drift_score{model="b",feature="x",test="ks"} Nan',
    ]);
  });
});
