import type { Registry } from 'prom-client';
import { METRICS } from '../../../spec/src/conventions';
import { FixedGauge } from '../metrics/fixed-gauge';
import { FixedHistogram } from '../metrics/fixed-histogram';
import { registerMetric } from '../metrics/register-metric';
import type { DriftTestName } from '../../../spec/src/drift-tests';

type LabelSet = Readonly<Record<string, string>>;

/** What gets tested where: per drift target (a model, or a model version), the test of each feature and output. */
export interface DriftLayout {
  readonly targets: ReadonlyArray<{
    readonly model: string;
    readonly version?: string;
    readonly features: ReadonlyArray<{ readonly name: string; readonly test: DriftTestName; readonly pValue: boolean }>;
    readonly outputs: ReadonlyArray<{
      readonly name: 'prediction' | 'confidence';
      readonly test: DriftTestName;
      readonly pValue: boolean;
    }>;
  }>;
}

/** Series indexes of one target, by feature and output name. */
export interface TargetSeries {
  readonly target: number;
  readonly feature: ReadonlyMap<string, { score: number; pvalue: number }>;
  readonly output: ReadonlyMap<string, { score: number; pvalue: number }>;
}

/**
 * The exact tier's verdicts as gauges. Every verdict (scores, p-values, drift flags and
 * shares) is NaN while there is none: before the first evaluation and while a window has too
 * few samples. NaN is not 0 ("no drift"): a firing drift alert must not resolve because its
 * exporter restarted, and the generated alerts treat NaN as "keep the current state".
 */
export class DriftMetrics {
  readonly featureScore: FixedGauge;
  readonly featurePvalue: FixedGauge;
  readonly featureCorrectedPvalue: FixedGauge;
  readonly featureDrifted: FixedGauge;
  readonly outputScore: FixedGauge;
  readonly outputPvalue: FixedGauge;
  readonly outputCorrectedPvalue: FixedGauge;
  readonly outputDrifted: FixedGauge;
  readonly share: FixedGauge;
  readonly drifted: FixedGauge;
  readonly datasetDrift: FixedGauge;
  readonly windowSamples: FixedGauge;
  /** One series (no labels): observe with series 0. */
  readonly evaluationSeconds: FixedHistogram;
  readonly series: readonly TargetSeries[];

  constructor(layout: DriftLayout, registry: Registry) {
    const targetLabels: LabelSet[] = [];
    const featureLabels: LabelSet[] = [];
    const featurePvalueLabels: LabelSet[] = [];
    const outputLabels: LabelSet[] = [];
    const outputPvalueLabels: LabelSet[] = [];
    const series: TargetSeries[] = [];
    for (const target of layout.targets) {
      const base = { model: target.model, ...(target.version === undefined ? {} : { version: target.version }) };
      const feature = new Map<string, { score: number; pvalue: number }>();
      for (const f of target.features) {
        const labels = { ...base, feature: f.name, test: f.test };
        feature.set(f.name, {
          score: featureLabels.push(labels) - 1,
          pvalue: f.pValue ? featurePvalueLabels.push(labels) - 1 : -1,
        });
      }
      const output = new Map<string, { score: number; pvalue: number }>();
      for (const o of target.outputs) {
        const labels = { ...base, output: o.name, test: o.test };
        output.set(o.name, {
          score: outputLabels.push(labels) - 1,
          pvalue: o.pValue ? outputPvalueLabels.push(labels) - 1 : -1,
        });
      }
      series.push({ target: targetLabels.push(base) - 1, feature, output });
    }
    const gauge = (name: string, help: string, labels: LabelSet[], initial: number): FixedGauge =>
      registerMetric(registry, new FixedGauge(name, help, labels, initial));
    this.featureScore = gauge(
      METRICS.featureDriftScore,
      'Drift statistic of each feature from its latest evaluation (test label says which).',
      featureLabels,
      Number.NaN,
    );
    this.featurePvalue = gauge(
      METRICS.featureDriftPvalue,
      'Uncorrected p-value of each p-value-test feature from its latest evaluation.',
      featurePvalueLabels,
      Number.NaN,
    );
    this.featureCorrectedPvalue = gauge(
      METRICS.featureDriftCorrectedPvalue,
      'p-value of each p-value-test feature after the multiple-testing correction (drift.correction), compared with drift.alpha.',
      featurePvalueLabels,
      Number.NaN,
    );
    this.featureDrifted = gauge(
      METRICS.featureDrifted,
      '1 when the feature drifted after correction and the effect-size floor, 0 when not, NaN without a verdict.',
      featureLabels,
      Number.NaN,
    );
    this.outputScore = gauge(
      METRICS.outputDriftScore,
      'Drift statistic of the predicted-class (or output) and confidence distributions.',
      outputLabels,
      Number.NaN,
    );
    this.outputPvalue = gauge(
      METRICS.outputDriftPvalue,
      'p-value of the output drift tests that have one.',
      outputPvalueLabels,
      Number.NaN,
    );
    this.outputCorrectedPvalue = gauge(
      METRICS.outputDriftCorrectedPvalue,
      'p-value of the output drift tests that have one, after the multiple-testing correction, compared with drift.alpha.',
      outputPvalueLabels,
      Number.NaN,
    );
    this.outputDrifted = gauge(
      METRICS.outputDrifted,
      '1 when the output distribution drifted, 0 when not, NaN without a verdict.',
      outputLabels,
      Number.NaN,
    );
    this.share = gauge(
      METRICS.modelDriftShare,
      'Share of the features that drifted in the latest evaluation; NaN without a verdict.',
      targetLabels,
      Number.NaN,
    );
    this.drifted = gauge(
      METRICS.modelDrifted,
      '1 when any feature drifted, 0 when none did, NaN without a verdict.',
      targetLabels,
      Number.NaN,
    );
    this.datasetDrift = gauge(
      METRICS.modelDatasetDrift,
      '1 when the drifted share reached drift.dataset_drift_share, 0 when not, NaN without a verdict.',
      targetLabels,
      Number.NaN,
    );
    this.windowSamples = gauge(
      METRICS.driftWindowSamples,
      'Events in the drift window at the latest evaluation.',
      targetLabels,
      0,
    );
    this.evaluationSeconds = registerMetric(
      registry,
      new FixedHistogram(
        METRICS.driftEvaluationSeconds,
        'Time one drift evaluation of one window took, in seconds.',
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        [{}],
      ),
    );
    this.series = series;
  }
}
