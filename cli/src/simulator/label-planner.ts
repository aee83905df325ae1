import type { ModelSpec } from '../../../spec/src/schema';
import type { FeatureRow } from '../../../spec/src/model-types';
import type { Random } from '../demo/random';
import type { GroundTruth, Truth } from './ground-truth';
import { phaseAt, type ScenarioDefinition, type TruthEffect } from './scenarios';
import { checkShare } from './check-share';
import { applyTruthEffects, compileTruthEffects } from './truth-effects';

/** The label a prediction will get, decided when the prediction is sent. */
export interface PlannedLabel {
  readonly truth: Truth;
  /** The scenario phase of the prediction, for the realised quality per phase. */
  readonly phase: string;
}

/**
 * Decides for each prediction whether it gets a label (a `coverage` share of them do) and
 * what its truth is, the scenario's truth effects included. It draws from its own random
 * stream, in the order predictions are sent, so labels never change the traffic and the same
 * seed always labels the same way.
 */
export class LabelPlanner {
  private readonly effects: readonly (readonly TruthEffect[])[];
  private readonly classes: readonly string[];

  constructor(
    model: ModelSpec,
    private readonly scenario: ScenarioDefinition,
    private readonly groundTruth: GroundTruth,
    private readonly coverage: number,
    private readonly random: Random,
  ) {
    checkShare('label coverage', coverage);
    this.classes = model.classes ?? [];
    this.effects = scenario.phases.map((phase) => compileTruthEffects(phase.truth ?? [], groundTruth.kind));
  }

  /** The label of the prediction on `features` at `fraction` (0 to 1) of the run, or undefined when it gets none. */
  plan(features: FeatureRow, fraction: number): PlannedLabel | undefined {
    if (this.coverage === 0 || this.random.next() >= this.coverage) return undefined;
    const at = phaseAt(this.scenario, fraction);
    const truth = this.groundTruth.truth(features, this.random);
    const effects = this.effects[at.index] ?? [];
    return {
      truth: effects.length === 0 ? truth : applyTruthEffects(truth, effects, at.strength, this.classes, this.random),
      phase: at.phase.name,
    };
  }
}
