import type { Registry } from 'prom-client';
import { FEATURE_QUANTILES, METRICS } from '../../../spec/src/conventions';
import { quantile } from 'simple-statistics';
import { FixedGauge } from '../metrics/fixed-gauge';
import { registerMetric } from '../metrics/register-metric';

/** The probabilities of {@link FEATURE_QUANTILES}, in the same order. */
const PROBS = FEATURE_QUANTILES.map(Number);

/** Per drift target (a model, or a model version), its numeric features with their reference samples (ascending). */
export interface QuantileLayout {
  readonly targets: ReadonlyArray<{
    readonly model: string;
    readonly version?: string;
    readonly features: ReadonlyArray<{ readonly name: string; readonly referenceSample: ArrayLike<number> }>;
  }>;
}

/**
 * The median and p95 of each numeric feature, in the live drift window and in the reference, so
 * an alert can say which way a drifted feature moved ("median 42 → 61"), by simple-statistics'
 * `quantile` (descriptive figures for people, not the reference deciles the tests bin on). The reference's are set once from the profile's sample; the window's
 * are NaN until an evaluation gives the feature a verdict, and again whenever it has none.
 */
export class FeatureQuantileMetrics {
  readonly window: FixedGauge;
  readonly reference: FixedGauge;
  /** First series index of each target's feature, by target index then feature name. */
  private readonly first: ReadonlyArray<ReadonlyMap<string, number>>;

  constructor(layout: QuantileLayout, registry: Registry) {
    const labels: Record<string, string>[] = [];
    const references: number[] = [];
    this.first = layout.targets.map((target) => {
      const byFeature = new Map<string, number>();
      for (const feature of target.features) {
        byFeature.set(feature.name, labels.length);
        const quantiles = quantile(Array.from(feature.referenceSample), PROBS);
        FEATURE_QUANTILES.forEach((quantile, i) => {
          labels.push({
            model: target.model,
            ...(target.version === undefined ? {} : { version: target.version }),
            feature: feature.name,
            quantile,
          });
          references.push(quantiles[i] as number);
        });
      }
      return byFeature;
    });
    this.window = registerMetric(
      registry,
      new FixedGauge(
        METRICS.featureWindowQuantile,
        'Quantile of each numeric feature in the live drift window at the latest evaluation; NaN without a verdict.',
        labels,
        Number.NaN,
      ),
    );
    this.reference = registerMetric(
      registry,
      new FixedGauge(
        METRICS.featureReferenceQuantile,
        "Quantile of each numeric feature in the reference profile's sample.",
        labels,
        Number.NaN,
      ),
    );
    references.forEach((value, series) => this.reference.set(series, value));
  }

  /**
   * Publishes the window quantiles of one feature from its column (NaN marks a missing value), or
   * NaN when `column` is undefined (no verdict). Does nothing for a feature that is not in the layout.
   */
  publishWindow(target: number, feature: string, column: Float64Array | undefined): void {
    const first = this.first[target]?.get(feature);
    if (first === undefined) return;
    const present = column === undefined ? [] : Array.from(column).filter((value) => !Number.isNaN(value));
    const quantiles = present.length === 0 ? undefined : quantile(present, PROBS);
    for (let i = 0; i < FEATURE_QUANTILES.length; i++) this.window.set(first + i, quantiles?.[i] ?? Number.NaN);
  }
}
