import type { Request, Response } from 'express';
import { checkLabel, validateLabel, type LabelledPrediction, type ValidLabel } from '../ingest/label-validator';
import { LABEL_SCOPE, type LabelClaim } from '../joins/join-store';
import type { LabelRecorder } from '../quality/label-recorder';
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

/**
 * Handles `POST /v1/events/labels`: each label is validated on its own; valid ones claim their
 * prediction in the join store in one call per batch (a label carrying its own model, version
 * and prediction only marks its id as labelled) and are counted once per prediction. A bad label
 * is listed by index and never costs the batch; unknown or expired ids are `unmatched`, not
 * errors. When the join store cannot answer, the batch is answered 503 with Retry-After.
 */
export function labelsHandler(deps: AppDeps, labels: LabelRecorder): (req: Request, res: Response) => Promise<void> {
  const maxEvents = deps.spec.exporter.max_batch_events;
  const { quality } = deps.metrics;
  return async (req, res) => {
    const events = readEvents(req.body, maxEvents, 'label events');
    const nowMs = Date.now();
    const { tally, reject } = newTally(deps);
    const joining: { index: number; label: ValidLabel }[] = [];
    const carrying: { index: number; label: ValidLabel; own: LabelledPrediction }[] = [];
    for (let index = 0; index < events.length; index++) {
      const label = validateLabel(events[index], deps.catalog);
      if ('reason' in label) reject(index, label);
      else if (label.stateless === undefined) joining.push({ index, label });
      else carrying.push({ index, label, own: label.stateless });
    }

    if (joining.length + carrying.length > 0) {
      const store = deps.joins;
      if (store === undefined) throw new Error('labels were validated but the exporter has no join store');
      const answers = await claimScopes(
        store,
        [
          {
            scope: LABEL_SCOPE,
            joining: joining.map((j) => j.label.predictionId),
            carrying: carrying.map((c) => c.label.predictionId),
          },
        ],
        nowMs,
      );
      const answer = answers?.[0];
      if (answer === undefined) {
        quality.labelResult('store_unavailable', joining.length + carrying.length);
        throw storeUnavailable(res, joining.length + carrying.length, 'labels');
      }
      joining.forEach(({ index, label }, k) => {
        countJoined(deps, labels, tally, index, label, answer.claims[k] as LabelClaim, nowMs, reject);
      });
      carrying.forEach(({ label, own }, k) => {
        countCarried(deps, labels, tally, label, own, answer.fresh[k] === true);
      });
    }
    answerTally(res, tally, 'labels');
  };
}

/** Counts a label that claimed its prediction by id. */
function countJoined(
  deps: AppDeps,
  labels: LabelRecorder,
  tally: JoinTally,
  index: number,
  label: ValidLabel,
  claim: LabelClaim,
  nowMs: number,
  reject: Reject,
): void {
  const { quality } = deps.metrics;
  if (claim.result === 'duplicate') {
    quality.labelResult('duplicate');
    tally.duplicates++;
    return;
  }
  const joined = joinedOf(deps, claim);
  const version = joined === undefined ? undefined : quality.versions[joined.slot.index];
  // Unknown, expired, of a model no longer labelled, or a failed prediction: nothing to compare.
  if (joined === undefined || version === undefined || !version.labelled) {
    quality.labelResult('unmatched');
    tally.unmatched++;
    return;
  }
  const { prediction, model } = joined;
  // The label's own claims about its prediction must agree with the store (the id is spent either way).
  const disagrees = disagreement(label.predictionId, label, joined);
  if (disagrees !== undefined) {
    reject(index, disagrees);
    return;
  }
  const value = label.model === undefined ? checkLabel(label.label, model) : label.label;
  if (typeof value === 'object') {
    reject(index, value);
    return;
  }
  const delaySeconds = Math.max(0, ((label.timeMs ?? nowMs) - prediction.timeMs) / 1000);
  if (version.regression) labels.recordValue(version, prediction.output, value as number, delaySeconds);
  else
    labels.recordClass(
      version,
      prediction.classIndex,
      model.slot.classIndex.get(value as string) as number,
      prediction.confidence,
      delaySeconds,
    );
  quality.labelResult('joined');
  tally.accepted++;
}

/** Counts a label that carried its own prediction, unless its id was labelled already. */
function countCarried(
  deps: AppDeps,
  labels: LabelRecorder,
  tally: JoinTally,
  label: ValidLabel,
  own: LabelledPrediction,
  fresh: boolean,
): void {
  const { quality } = deps.metrics;
  if (!fresh) {
    quality.labelResult('duplicate');
    tally.duplicates++;
    return;
  }
  const model = label.model;
  const slot = label.slot;
  const version = slot === undefined ? undefined : quality.versions[slot.index];
  if (model === undefined || version === undefined)
    throw new Error('a stateless label was validated without its model version');
  if (version.regression) labels.recordValue(version, own.output, label.label as number, Number.NaN);
  else
    labels.recordClass(
      version,
      own.classIndex,
      model.slot.classIndex.get(label.label as string) as number,
      own.confidence,
      Number.NaN,
    );
  quality.labelResult('stateless');
  tally.accepted++;
}
