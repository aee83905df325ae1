/**
 * What the label and outcome routes share: a batch of events that join their predictions by id,
 * tallied as accepted, duplicates, unmatched and rejected, claimed in the join store in one call per
 * scope and path, and answered 503 with Retry-After when the store cannot answer.
 */
import type { Response } from 'express';
import type { ValidationModel } from '../ingest/event-validator';
import { problem, type ValidationProblem } from '../ingest/validation-problem';
import {
  JoinStoreUnavailable,
  type ClaimScope,
  type JoinedPrediction,
  type JoinStore,
  type LabelClaim,
} from '../joins/join-store';
import type { VersionSlot } from '../metrics/series-layout';
import type { CatalogModel } from '../serving/model-catalog';
import type { AppDeps } from './app-deps';
import { HttpError } from './http-error';
import type { RejectedEvent } from './ingest-route';

/** Seconds a client is asked to wait after the join store did not answer. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** What became of a batch's events, as the response says it. */
export interface JoinTally {
  accepted: number;
  duplicates: number;
  unmatched: number;
  rejected: RejectedEvent[];
}

/** Refuses the event at `index` of a batch: counted by reason and listed with its field's path. */
export type Reject = (index: number, problem: ValidationProblem) => void;

/** An empty tally and the function that lists a refused event in it (counted in `mlwatch_rejected_events_total`). */
export function newTally(deps: AppDeps): { tally: JoinTally; reject: Reject } {
  const tally: JoinTally = { accepted: 0, duplicates: 0, unmatched: 0, rejected: [] };
  const reject: Reject = (index, problem) => {
    deps.metrics.reject(problem.reason);
    const field = `events[${index}].${problem.field}`;
    tally.rejected.push({
      index,
      reason: problem.reason,
      field,
      message: `${field}${problem.message.slice(problem.field.length)}`,
    });
  };
  return { tally, reject };
}

/** The ids of one scope to claim: those to join (`joining`) and those that carry their model version (`carrying`). */
export interface ScopeClaims {
  readonly scope: ClaimScope;
  readonly joining: readonly string[];
  readonly carrying: readonly string[];
}

/** The store's answers to one ScopeClaims, one per id in order. */
export interface ScopeAnswers {
  readonly claims: LabelClaim[];
  readonly fresh: boolean[];
}

/** Every claim of a batch, all at once, in the order asked; undefined when the store is unavailable. */
export async function claimScopes(
  store: JoinStore,
  requests: readonly ScopeClaims[],
  nowMs: number,
): Promise<ScopeAnswers[] | undefined> {
  try {
    return await Promise.all(
      requests.map(async ({ scope, joining, carrying }) => {
        const [claims, fresh] = await Promise.all([
          joining.length === 0 ? [] : store.claim(joining, nowMs, scope),
          carrying.length === 0 ? [] : store.claimStateless(carrying, nowMs, scope),
        ]);
        return { claims, fresh };
      }),
    );
  } catch (error) {
    if (error instanceof JoinStoreUnavailable) return undefined;
    throw error;
  }
}

/** A successful prediction a claim joined, with its model and version as the running spec has them. */
export interface Joined {
  readonly prediction: JoinedPrediction;
  readonly model: CatalogModel;
  readonly slot: VersionSlot;
}

/**
 * What a claim joined, or undefined when there is nothing to count against: the id was unknown or
 * expired, its model or version has left the spec, or the prediction failed.
 */
export function joinedOf(deps: AppDeps, claim: LabelClaim): Joined | undefined {
  if (claim.result !== 'joined') return undefined;
  const { prediction } = claim;
  const model = deps.catalog.models.get(prediction.model);
  const slot = model?.slot.versions.get(prediction.version);
  if (model === undefined || slot === undefined) return undefined;
  const failed = model.spec.task === 'regression' ? Number.isNaN(prediction.output) : prediction.classIndex < 0;
  return failed ? undefined : { prediction, model, slot };
}

/**
 * The problem when an event's own model or version (when it names them) is not its joined
 * prediction's: it is refused, and its id stays spent in its scope.
 */
export function disagreement(
  predictionId: string,
  named: { readonly model: ValidationModel | undefined; readonly slot: VersionSlot | undefined },
  joined: Joined,
): ValidationProblem | undefined {
  const { prediction, model, slot } = joined;
  const id = JSON.stringify(predictionId);
  if (named.model !== undefined && named.model !== model)
    return problem(
      'invalid_field',
      'model',
      `prediction ${id} is of model ${prediction.model}, not ${named.model.spec.name}`,
    );
  if (named.slot !== undefined && named.slot !== slot)
    return problem(
      'invalid_field',
      'version',
      `prediction ${id} is of version ${prediction.version}, not ${named.slot.version}`,
    );
  return undefined;
}

/** The 503 of a batch whose `count` events (`noun`, e.g. `labels`) were not counted because the join store did not answer. */
export function storeUnavailable(res: Response, count: number, noun: string): HttpError {
  res.set('retry-after', String(STORE_RETRY_AFTER_SECONDS));
  return new HttpError(
    503,
    'store_unavailable',
    `the join store did not answer; ${count} ${noun} were not counted, retry after ${STORE_RETRY_AFTER_SECONDS} s`,
  );
}

/**
 * Answers the tally: 200, unless every event was refused (400). Refusals are listed in event
 * order (a join can refuse an event too, after the ones validation refused).
 */
export function answerTally(res: Response, tally: JoinTally, noun: string): void {
  const { accepted, duplicates, unmatched, rejected } = tally;
  rejected.sort((a, b) => a.index - b.index);
  if (accepted === 0 && duplicates === 0 && unmatched === 0 && rejected.length > 0) {
    res.status(400).json({
      accepted,
      duplicates,
      unmatched,
      rejected,
      error: { code: 'invalid_request', message: `all ${rejected.length} ${noun} were rejected; see "rejected"` },
    });
    return;
  }
  res.json({ accepted, duplicates, unmatched, rejected });
}
