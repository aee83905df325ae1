import type { Registry } from 'prom-client';
import type { ModelSpec, Spec } from '../../../../spec/src/schema';
import { METRICS, OTHER_CATEGORY, binLabel } from '../../../../spec/src/conventions';
import { FixedCounter } from '../../metrics/fixed-counter';
import { FixedGauge } from '../../metrics/fixed-gauge';
import { registerMetric } from '../../metrics/register-metric';
import type { ReferenceProfile } from '../../../../drift/src/profile/reference-profile';

type LabelSet = Readonly<Record<string, string>>;

interface BinnedFeature {
  readonly name: string;
  readonly edges: Float64Array;
  /** Series of bin 0 in `mlwatch_feature_bin_total`; bin i is base + i. */
  readonly base: number;
}

interface CountedFeature {
  readonly name: string;
  readonly codeOf: ReadonlyMap<string, number>;
  /** Series of the first category in `mlwatch_feature_category_total`; `__other__` is last. */
  readonly base: number;
  readonly otherCode: number;
}

/** A model's features resolved to their fleet counters, for the hot path. */
export interface ModelBins {
  readonly numeric: readonly BinnedFeature[];
  readonly categorical: readonly CountedFeature[];
}

/**
 * Fleet-wide drift inputs: every numeric feature counted into bins whose edges are the
 * reference deciles, every categorical feature counted per category, next to the
 * reference proportions. Counters add up across replicas, so PromQL can compute PSI and a
 * binned KS distance over the whole fleet.
 */
export class FleetBins {
  readonly bins: FixedCounter;
  readonly categories: FixedCounter;
  readonly referenceRatio: FixedGauge;
  readonly models: ReadonlyMap<string, ModelBins>;

  /** Registers its counters and gauge in `registry` when given (code that only records, like benches, leaves it out). */
  constructor(spec: Spec, profiles: ReadonlyMap<string, ReferenceProfile>, registry?: Registry) {
    const binLabels: LabelSet[] = [];
    const categoryLabels: LabelSet[] = [];
    const ratioLabels: LabelSet[] = [];
    const ratios: number[] = [];
    const models = new Map<string, ModelBins>();
    for (const model of spec.models) {
      const profile = profiles.get(model.name);
      models.set(model.name, resolveModel(model, profile, { binLabels, categoryLabels, ratioLabels, ratios }));
    }
    this.bins = new FixedCounter(
      METRICS.featureBinTotal,
      'Events per reference-decile bin of each numeric feature (bin 00 is below the first decile).',
      binLabels,
    );
    this.categories = new FixedCounter(
      METRICS.featureCategoryTotal,
      `Events per category of each categorical feature; unseen categories count as "${OTHER_CATEGORY}".`,
      categoryLabels,
    );
    this.referenceRatio = new FixedGauge(
      METRICS.featureReferenceRatio,
      'Share of the reference sample in each bin or category, for fleet PSI and KS in PromQL.',
      ratioLabels,
    );
    ratios.forEach((ratio, i) => this.referenceRatio.set(i, ratio));
    if (registry !== undefined)
      for (const metric of [this.bins, this.categories, this.referenceRatio]) registerMetric(registry, metric);
    this.models = models;
  }

  /** Counts one accepted event's feature values; missing values are not binned. */
  record(model: ModelBins, row: Readonly<Record<string, unknown>>): void {
    for (const feature of model.numeric) {
      const value = row[feature.name];
      if (typeof value !== 'number') continue;
      this.bins.inc(feature.base + binIndex(feature.edges, value));
    }
    for (const feature of model.categorical) {
      const value = row[feature.name];
      if (typeof value !== 'string') continue;
      this.categories.inc(feature.base + (feature.codeOf.get(value) ?? feature.otherCode));
    }
  }
}

/** The bin of `value` among ascending `edges`: 0 below the first, and a value on an edge goes up. */
export function binIndex(edges: Float64Array, value: number): number {
  // Edges are few (deciles): a linear scan beats a binary search.
  let bin = 0;
  while (bin < edges.length && (edges[bin] as number) <= value) bin++;
  return bin;
}

interface LabelLists {
  binLabels: LabelSet[];
  categoryLabels: LabelSet[];
  ratioLabels: LabelSet[];
  ratios: number[];
}

function resolveModel(model: ModelSpec, profile: ReferenceProfile | undefined, lists: LabelLists): ModelBins {
  const numeric: BinnedFeature[] = [];
  const categorical: CountedFeature[] = [];
  for (const feature of model.features) {
    const reference = profile?.features.find((f) => f.name === feature.name);
    if (feature.type === 'numeric') {
      // Without a reference there are no edges to bin by.
      if (reference?.type !== 'numeric') continue;
      const base = lists.binLabels.length;
      reference.proportions.forEach((ratio, i) => {
        const labels = { model: model.name, feature: feature.name, bin: binLabel(i) };
        lists.binLabels.push(labels);
        lists.ratioLabels.push(labels);
        lists.ratios.push(ratio);
      });
      numeric.push({ name: feature.name, edges: Float64Array.from(reference.edges), base });
      continue;
    }
    const categories = [...(feature.categories ?? []), OTHER_CATEGORY];
    const base = lists.categoryLabels.length;
    const referenceTotal =
      reference?.type === 'categorical' ? Object.values(reference.categories).reduce((a, b) => a + b, 0) : 0;
    for (const category of categories) {
      const labels = { model: model.name, feature: feature.name, category };
      lists.categoryLabels.push(labels);
      if (reference?.type === 'categorical' && referenceTotal > 0) {
        lists.ratioLabels.push(labels);
        lists.ratios.push((reference.categories[category] ?? 0) / referenceTotal);
      }
    }
    categorical.push({
      name: feature.name,
      codeOf: new Map(categories.map((c, i) => [c, i])),
      base,
      otherCode: categories.length - 1,
    });
  }
  return { numeric, categorical };
}
