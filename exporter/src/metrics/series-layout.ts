import type { ModelSpec, Spec } from '../../../spec/src/schema';
import { PREDICTION_STATUSES, type PredictionStatus } from '../../../spec/src/conventions';

type LabelSet = Readonly<Record<string, string>>;

/** Where one model version's series sit in the fixed metrics. */
export interface VersionSlot {
  readonly model: string;
  readonly version: string;
  /** Index into the (model, version) label sets. */
  readonly index: number;
  /** Index of this version's first class in the (model, version, class) label sets. */
  readonly classBase: number;
}

/** Where one model's series sit, and its versions, classes and features by name. */
export interface ModelSlot {
  readonly name: string;
  readonly spec: ModelSpec;
  readonly versions: ReadonlyMap<string, VersionSlot>;
  readonly classIndex: ReadonlyMap<string, number>;
  /** Series of `mlwatch_feature_missing_total` per nullable feature. */
  readonly missingSeries: ReadonlyMap<string, number>;
  /** Series of `mlwatch_feature_other_category_total` per categorical feature. */
  readonly otherCategorySeries: ReadonlyMap<string, number>;
}

/**
 * Every label combination the spec allows, enumerated once at start-up.
 * Metrics are initialised from these lists (so rates exist before the first event)
 * and the hot path addresses series by index instead of by label values.
 */
export class SeriesLayout {
  readonly models: ReadonlyMap<string, ModelSlot>;
  readonly modelVersionLabels: LabelSet[] = [];
  readonly modelVersionStatusLabels: LabelSet[] = [];
  readonly modelVersionClassLabels: LabelSet[] = [];
  readonly nullableFeatureLabels: LabelSet[] = [];
  readonly categoricalFeatureLabels: LabelSet[] = [];

  constructor(spec: Spec) {
    const models = new Map<string, ModelSlot>();
    for (const model of spec.models) {
      const classes = model.classes ?? [];
      const missingSeries = new Map<string, number>();
      const otherCategorySeries = new Map<string, number>();
      for (const feature of model.features) {
        const labels = { model: model.name, feature: feature.name };
        if (feature.nullable) missingSeries.set(feature.name, this.nullableFeatureLabels.push(labels) - 1);
        if (feature.type === 'categorical')
          otherCategorySeries.set(feature.name, this.categoricalFeatureLabels.push(labels) - 1);
      }
      const versions = new Map<string, VersionSlot>();
      for (const version of model.versions) {
        const slot: VersionSlot = {
          model: model.name,
          version: version.name,
          index: this.modelVersionLabels.length,
          classBase: this.modelVersionClassLabels.length,
        };
        this.modelVersionLabels.push({ model: model.name, version: version.name });
        for (const status of PREDICTION_STATUSES)
          this.modelVersionStatusLabels.push({ model: model.name, version: version.name, status });
        for (const cls of classes)
          this.modelVersionClassLabels.push({ model: model.name, version: version.name, class: cls });
        versions.set(version.name, slot);
      }
      models.set(model.name, {
        name: model.name,
        spec: model,
        versions,
        classIndex: new Map(classes.map((cls, i) => [cls, i])),
        missingSeries,
        otherCategorySeries,
      });
    }
    this.models = models;
  }

  /** Series index of `mlwatch_predictions_total` for a version and status. */
  statusSeries(slot: VersionSlot, status: PredictionStatus): number {
    return slot.index * PREDICTION_STATUSES.length + (status === 'success' ? 0 : 1);
  }
}
