import type { FeatureRow } from '../../../spec/src/model-types';
import type { LabelFeed } from './label-feed';
import type { LabelPlanner, PlannedLabel } from './label-planner';
import type { OutcomeFeed } from './outcome-feed';
import type { OutcomePlanner, OutcomeTicket } from './outcome-planner';
import type { DeliveryOutcome } from './simulation-tally';

/** The label side of a run: which predictions get which label, and the feed that sends them. */
export interface Labelling {
  readonly planner: LabelPlanner;
  readonly feed: LabelFeed;
}

/** The outcome side of a run: what follows which prediction, and the feed that sends it. */
export interface Outcomes {
  readonly planner: OutcomePlanner;
  readonly feed: OutcomeFeed;
}

/** What follows a prediction once the exporter has recorded it, decided when it is sent. */
export interface FollowUps {
  readonly labelling: Labelling | undefined;
  readonly outcomes: Outcomes | undefined;
}

/** The plan of one event for after its answer: its label and its outcome ticket, if any. */
export interface Planned {
  readonly features: FeatureRow;
  readonly label: PlannedLabel | undefined;
  readonly ticket: OutcomeTicket | undefined;
}

/** What to decide for an event when it is sent: its label and outcome ticket (a failing prediction gets neither). */
export function planFollowUps(followUps: FollowUps, features: FeatureRow, fraction: number, fail: boolean): Planned {
  return {
    features,
    label: fail ? undefined : followUps.labelling?.planner.plan(features, fraction),
    ticket: fail ? undefined : followUps.outcomes?.planner.ticket(fraction),
  };
}

/**
 * Queues the labels and outcomes of the recorded predictions among `planned` (indexed by
 * position in the request); outcomes are decided now that the prediction and its version are known.
 */
export function queueFollowUps(
  followUps: FollowUps,
  planned: readonly Planned[],
  outcome: DeliveryOutcome,
): DeliveryOutcome {
  const { labelling, outcomes } = followUps;
  for (const recorded of outcome.recorded ?? []) {
    const plan = planned[recorded.index];
    if (plan === undefined) continue;
    if (plan.label !== undefined) labelling?.feed.offer(recorded.predictionId, recorded.predicted, plan.label);
    if (plan.ticket !== undefined && outcomes !== undefined) {
      const served = { features: plan.features, predicted: recorded.predicted, truth: plan.label?.truth };
      outcomes.feed.offer(
        recorded.predictionId,
        recorded.version,
        outcomes.planner.outcomes(plan.ticket, served, recorded.version),
      );
    }
  }
  return outcome;
}

/** Whether anything follows predictions at all. */
export function hasFollowUps(followUps: FollowUps): boolean {
  return followUps.labelling !== undefined || followUps.outcomes !== undefined;
}
