import type { ModelSpec, Spec } from '../../../spec/src/schema';
import { FeatureValidator } from '../ingest/feature-validator';
import type { ModelSlot, SeriesLayout, VersionSlot } from '../metrics/series-layout';
import { predictorKey, type Predictor } from '../../../spec/src/model-types';

/** A version the exporter can serve itself, with its share of unpinned traffic. */
export interface ServableVersion {
  readonly slot: VersionSlot;
  readonly predictor: Predictor;
  /** Upper end of this version's slice of [0, 1) in the traffic split. */
  readonly cumulativeWeight: number;
}

/** Everything the request path needs to know about one model, resolved once at start-up. */
export interface CatalogModel {
  readonly spec: ModelSpec;
  readonly slot: ModelSlot;
  readonly validator: FeatureValidator;
  /** Versions with a loaded artifact, in spec order. */
  readonly servable: readonly ServableVersion[];
}

/** The spec's models with their validators, metric slots and loaded predictors. */
export class ModelCatalog {
  readonly models: ReadonlyMap<string, CatalogModel>;
  /** The model `POST /predict` serves: the first in the spec. */
  readonly defaultModel: string;

  /** `predictors` is keyed by `model/version`; versions without one accept ingested events only. */
  constructor(spec: Spec, layout: SeriesLayout, predictors: ReadonlyMap<string, Predictor>) {
    const models = new Map<string, CatalogModel>();
    for (const model of spec.models) {
      const slot = layout.models.get(model.name) as ModelSlot;
      models.set(model.name, {
        spec: model,
        slot,
        validator: new FeatureValidator(model),
        servable: servableVersions(model, slot, predictors),
      });
    }
    this.models = models;
    this.defaultModel = (spec.models[0] as ModelSpec).name;
  }
}

/** Picks the version for a request that names none, by the spec's weights over servable versions; `uniform` is in [0, 1). */
export function pickVersion(model: CatalogModel, uniform: number): ServableVersion | undefined {
  const { servable } = model;
  for (const version of servable) if (uniform < version.cumulativeWeight) return version;
  return servable[servable.length - 1];
}

function servableVersions(
  model: ModelSpec,
  slot: ModelSlot,
  predictors: ReadonlyMap<string, Predictor>,
): ServableVersion[] {
  const loaded = model.versions.filter((v) => predictors.has(predictorKey(model.name, v.name)));
  // Weights of versions without an artifact are shared out among those that have one.
  const total = loaded.reduce((sum, v) => sum + v.weight, 0);
  let cumulative = 0;
  return loaded.map((version, i) => {
    cumulative += total > 0 ? version.weight / total : 1 / loaded.length;
    return {
      slot: slot.versions.get(version.name) as VersionSlot,
      predictor: predictors.get(predictorKey(model.name, version.name)) as Predictor,
      cumulativeWeight: i === loaded.length - 1 ? 1 : cumulative,
    };
  });
}
