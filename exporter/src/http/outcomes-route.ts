import type { Request, Response } from 'express';
import { checkOutcome, validateOutcome, type ValidOutcome } from '../ingest/outcome-validator';
import { outcomeScope, type ClaimScope, type LabelClaim } from '../joins/join-store';
import type { EventSeries, OutcomeMetrics } from '../metrics/outcome-metrics';
import type { AppDeps } from './app-deps';
import { readEvents } from './ingest-route';
import {
  answerTally,
  claimScopes,
  disagreement,
  joinedOf,
  newTally,
  storeUnavailable,
  type JoinTally,
  type Reject,
} from './joined-batch';

/** The valid outcomes of a batch for one event, in batch order: those to join and those naming their model version. */
interface EventBatch {
  readonly scope: ClaimScope;
  readonly joining: { index: number; outcome: ValidOutcome }[];
  readonly carrying: { index: number; outcome: ValidOutcome }[];
}

/**
 * Handles `POST /v1/events/outcomes`: each outcome is validated on its own; valid ones claim
 * their (prediction, event) in the join store, one call per event and path per batch (an outcome
 * naming its model and version needs no join and only marks its id for its event), and are
 * counted once per (prediction, event) with their value. A bad outcome is listed by index and
 * never costs the batch; unknown or expired ids are `unmatched`, not errors. When the join store
 * cannot answer, the batch is answered 503 with Retry-After.
 */
export function outcomesHandler(deps: AppDeps): (req: Request, res: Response) => Promise<void> {
  const maxEvents = deps.spec.exporter.max_batch_events;
  const { outcomes } = deps.metrics;
  return async (req, res) => {
    const events = readEvents(req.body, maxEvents, 'outcome events');
    const nowMs = Date.now();
    const { tally, reject } = newTally(deps);
    const byEvent = new Map<string, EventBatch>();
    let valid = 0;
    for (let index = 0; index < events.length; index++) {
      const outcome = validateOutcome(events[index], deps.catalog);
      if ('reason' in outcome) {
        reject(index, outcome);
        continue;
      }
      let batch = byEvent.get(outcome.event);
      if (batch === undefined) {
        batch = { scope: outcomeScope(outcome.event), joining: [], carrying: [] };
        byEvent.set(outcome.event, batch);
      }
      (outcome.slot === undefined ? batch.joining : batch.carrying).push({ index, outcome });
      valid++;
    }

    if (valid > 0) {
      const store = deps.joins;
      if (store === undefined) throw new Error('outcomes were validated but the exporter has no join store');
      const batches = [...byEvent.values()];
      const answers = await claimScopes(
        store,
        batches.map(({ scope, joining, carrying }) => ({
          scope,
          joining: joining.map((j) => j.outcome.predictionId),
          carrying: carrying.map((c) => c.outcome.predictionId),
        })),
        nowMs,
      );
      if (answers === undefined) {
        outcomes.result('store_unavailable', valid);
        throw storeUnavailable(res, valid, 'outcomes');
      }
      batches.forEach(({ joining, carrying }, b) => {
        const { claims, fresh } = answers[b] as { claims: LabelClaim[]; fresh: boolean[] };
        joining.forEach(({ index, outcome }, k) => {
          countJoined(deps, outcomes, tally, index, outcome, claims[k] as LabelClaim, reject);
        });
        carrying.forEach(({ outcome }, k) => {
          countCarried(outcomes, tally, outcome, fresh[k] === true);
        });
      });
    }
    answerTally(res, tally, 'outcomes');
  };
}

/** Counts an outcome that claimed its prediction by id. */
function countJoined(
  deps: AppDeps,
  outcomes: OutcomeMetrics,
  tally: JoinTally,
  index: number,
  outcome: ValidOutcome,
  claim: LabelClaim,
  reject: Reject,
): void {
  if (claim.result === 'duplicate') {
    outcomes.result('duplicate');
    tally.duplicates++;
    return;
  }
  const joined = joinedOf(deps, claim);
  const version = joined === undefined ? undefined : outcomes.versions[joined.slot.index];
  // Unknown, expired, of a model without outcomes, or a failed prediction (not in the rates' denominator).
  if (joined === undefined || version === undefined) {
    outcomes.result('unmatched');
    tally.unmatched++;
    return;
  }
  // The outcome's own model must agree with the store (the id is spent for the event either way).
  const disagrees = disagreement(outcome.predictionId, outcome, joined);
  if (disagrees !== undefined) {
    reject(index, disagrees);
    return;
  }
  const problem = outcome.model === undefined ? checkOutcome(outcome.event, outcome.value, joined.model) : undefined;
  if (problem !== undefined) {
    reject(index, problem);
    return;
  }
  // checkOutcome (or validation, for a named model) found the event among the model's.
  outcomes.record(version.events.get(outcome.event) as EventSeries, outcome.value);
  outcomes.result('joined');
  tally.accepted++;
}

/** Counts an outcome that named its model and version, unless its (prediction, event) was counted already. */
function countCarried(outcomes: OutcomeMetrics, tally: JoinTally, outcome: ValidOutcome, fresh: boolean): void {
  if (!fresh) {
    outcomes.result('duplicate');
    tally.duplicates++;
    return;
  }
  const version = outcome.slot === undefined ? undefined : outcomes.versions[outcome.slot.index];
  const event = version?.events.get(outcome.event);
  if (event === undefined) throw new Error('a stateless outcome was validated without its model version and event');
  outcomes.record(event, outcome.value);
  outcomes.result('stateless');
  tally.accepted++;
}
