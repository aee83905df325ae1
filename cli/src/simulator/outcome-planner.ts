import { Random } from '../demo/random';
import type { BusinessModel, PlannedOutcome, ServedPrediction } from './business-model';
import { phaseAt, type OutcomeEffect, type ScenarioDefinition } from './scenarios';
import { checkShare } from './check-share';
import type { VersionPlan } from './version-plan';

/**
 * Decided when a prediction is sent, before the exporter answers: whether its outcomes are
 * tracked, the scenario's moment, and the seed of its own random stream.
 */
export interface OutcomeTicket {
  readonly phaseIndex: number;
  readonly strength: number;
  readonly seed: number;
}

/**
 * Decides the business outcomes of each prediction: a `coverage` share of the predictions is
 * tracked (the rest is lost to the monitor, as outcomes without a prediction id are in life),
 * and the business model says what follows a tracked one, the scenario's outcome effects on its
 * version included. The ticket is drawn in the order predictions are sent and carries a seed of
 * its own, so the outcomes of a seed are the same whatever order the answers come back in, and
 * outcomes never change the traffic or the labels.
 */
export class OutcomePlanner {
  private readonly effects: readonly (readonly OutcomeEffect[])[];

  constructor(
    private readonly scenario: ScenarioDefinition,
    private readonly business: BusinessModel,
    private readonly versions: VersionPlan,
    private readonly coverage: number,
    private readonly random: Random,
  ) {
    checkShare('outcome coverage', coverage);
    this.effects = scenario.phases.map((phase) => phase.outcomes ?? []);
  }

  /** The ticket of the prediction sent at `fraction` (0 to 1) of the run, or undefined when its outcomes are not tracked. */
  ticket(fraction: number): OutcomeTicket | undefined {
    const seed = this.random.nextUint32();
    if (this.coverage === 0 || this.random.next() >= this.coverage) return undefined;
    const at = phaseAt(this.scenario, fraction);
    return { phaseIndex: at.index, strength: at.strength, seed };
  }

  /** The outcomes of a prediction the exporter recorded for `version` (undefined: it did not say). */
  outcomes(ticket: OutcomeTicket, prediction: ServedPrediction, version: string | undefined): PlannedOutcome[] {
    return this.business.outcomes(prediction, this.conversionFactor(ticket, version), new Random(ticket.seed));
  }

  /** The product of the phase's conversion effects on `version`, each at the ticket's strength. */
  conversionFactor(ticket: OutcomeTicket, version: string | undefined): number {
    let factor = 1;
    for (const effect of this.effects[ticket.phaseIndex] ?? []) {
      if (effect.target === 'canary' && (version === undefined || version !== this.versions.canary)) continue;
      factor *= 1 + (effect.factor - 1) * ticket.strength;
    }
    return factor;
  }
}
