import { generationProfile, profileSeconds, type ProfileName } from '../../../alerting/src/generation-profile';
import type { Spec } from '../../../spec/src/schema';
import { SIMULATION_DEFAULTS } from '../simulator/simulation-options';

/** How the stack's simulators label their predictions. */
export interface LabelPlan {
  /** Seconds between a prediction and its label. */
  readonly delaySeconds: number;
  /** Share of predictions labelled. */
  readonly coverage: number;
}

/**
 * The label timing of the stack's traffic for model `model` (an index into the spec's models;
 * the first by default): the simulator's defaults, but never more than half the label delay the spec expects
 * as this profile runs it (the fast profile divides it by 60), so labels land well inside the
 * coverage rule's allowance and the quality windows see them; undefined when the model has no
 * `quality` section and gets no labels.
 */
export function stackLabelPlan(spec: Spec, profileName: ProfileName, model = 0): LabelPlan | undefined {
  const quality = spec.models[model]?.quality;
  if (quality === undefined) return undefined;
  const expected = profileSeconds(generationProfile(profileName, spec), quality.expected_delay_seconds);
  return {
    delaySeconds: Math.min(SIMULATION_DEFAULTS.labelDelaySeconds, expected / 2),
    coverage: SIMULATION_DEFAULTS.labelCoverage,
  };
}

/**
 * Where replica `index`'s simulator sends its labels: with several replicas sharing a Redis join
 * store, to the next replica, so every label is joined across replicas as behind a load
 * balancer; otherwise (a memory store only knows its own predictions) to its own replica.
 */
export function labelReplica(spec: Spec, index: number, replicas: number): number {
  return spec.joins.store === 'redis' && replicas > 1 ? (index + 1) % replicas : index;
}
