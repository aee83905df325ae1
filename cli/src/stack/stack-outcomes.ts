import { generationProfile, profileSeconds, type ProfileName } from '../../../alerting/src/generation-profile';
import type { Spec } from '../../../spec/src/schema';
import { SIMULATION_DEFAULTS } from '../simulator/simulation-options';

/** How the stack's simulators report the business outcomes of their predictions. */
export interface OutcomePlan {
  /** Longest seconds between a prediction and its outcomes (each at its own moment within it). */
  readonly delaySeconds: number;
  /** Share of predictions whose outcomes are tracked. */
  readonly coverage: number;
}

/**
 * The outcome timing of the stack's traffic for model `model` (an index into the spec's models;
 * the first by default): the simulator's default delay, but never longer than the attribution
 * delay the spec declares as this profile runs it (the fast profile divides it by 60: 300 s
 * become 5 s), so the rules set each outcome against the window of its prediction; undefined
 * when the model has no `outcomes` section and gets none.
 */
export function stackOutcomePlan(spec: Spec, profileName: ProfileName, model = 0): OutcomePlan | undefined {
  const outcomes = spec.models[model]?.outcomes;
  if (outcomes === undefined) return undefined;
  const attribution = profileSeconds(generationProfile(profileName, spec), outcomes.attribution_delay_seconds);
  return {
    delaySeconds: Math.min(SIMULATION_DEFAULTS.outcomeDelaySeconds, attribution),
    coverage: SIMULATION_DEFAULTS.outcomeCoverage,
  };
}
