import type { ModelSpec } from '../../../spec/src/schema';

/** How the simulator chooses a model version for an event. */
export interface VersionPlan {
  /** The version with the most weight in the spec. */
  readonly baseline: string;
  /** The servable version with the least weight (the last on ties); undefined for a single-version model. */
  readonly canary: string | undefined;
  /** Picks by the spec's weights; `uniform` is in [0, 1). */
  byWeight(uniform: number): string;
}

/**
 * Builds the plan over the versions that have an artifact: the only ones that can
 * serve predictions (predict mode) or be scored locally (ingest mode).
 */
export function planVersions(model: ModelSpec): VersionPlan {
  const servable = model.versions.filter((v) => v.artifact !== undefined);
  if (servable.length === 0)
    throw new Error(`model ${model.name} has no version with an artifact; the simulator needs one to predict with`);
  const byWeightDesc = [...servable].sort((a, b) => b.weight - a.weight);
  const baseline = (byWeightDesc[0] as (typeof servable)[number]).name;
  const canary =
    servable.length < 2 ? undefined : (byWeightDesc[byWeightDesc.length - 1] as (typeof servable)[number]).name;
  const names = servable.map((v) => v.name);
  const cumulative = cumulativeWeights(servable.map((v) => v.weight));
  return {
    baseline,
    canary,
    byWeight(uniform) {
      for (let i = 0; i < cumulative.length; i++) if (uniform < (cumulative[i] as number)) return names[i] as string;
      return names[names.length - 1] as string;
    },
  };
}

/** Upper ends of each weight's slice of [0, 1); equal slices when every weight is 0. */
function cumulativeWeights(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let sum = 0;
  return weights.map((w) => {
    sum += total > 0 ? w / total : 1 / weights.length;
    return sum;
  });
}
