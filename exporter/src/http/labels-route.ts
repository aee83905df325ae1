import type { Request, Response } from 'express';
import { checkLabel, validateLabel, type LabelledPrediction, type ValidLabel } from '../ingest/label-validator';
import type { ValidationProblem } from '../ingest/validation-problem';
import { JoinStoreUnavailable, type JoinStore, type LabelClaim } from '../joins/join-store';
import type { LabelRecorder } from '../quality/label-recorder';
import type { AppDeps } from './app-deps';
import { HttpError } from './http-error';
import { readEvents, type RejectedEvent } from './ingest-route';

/** Seconds a client is asked to wait after the join store did not answer. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** What became of a batch's labels, as the response says it. */
interface LabelTally {
  accepted: number;
  duplicates: number;
  unmatched: number;
  rejected: RejectedEvent[];
}

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
    const tally: LabelTally = { accepted: 0, duplicates: 0, unmatched: 0, rejected: [] };
    const reject = (index: number, problem: ValidationProblem): void => {
      deps.metrics.reject(problem.reason);
      const field = `events[${index}].${problem.field}`;
      tally.rejected.push({
        index,
        reason: problem.reason,
        field,
        message: `${field}${problem.message.slice(problem.field.length)}`,
      });
    };
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
      const answers = await claimAll(store, joining, carrying, nowMs);
      if (answers === undefined) {
        quality.labelResult('store_unavailable', joining.length + carrying.length);
        res.set('retry-after', String(STORE_RETRY_AFTER_SECONDS));
        throw new HttpError(
          503,
          'store_unavailable',
          `the join store did not answer; ${joining.length + carrying.length} labels were not counted, retry after ${STORE_RETRY_AFTER_SECONDS} s`,
        );
      }
      const [claims, fresh] = answers;
      joining.forEach(({ index, label }, k) => {
        countJoined(deps, labels, tally, index, label, claims[k] as LabelClaim, nowMs, reject);
      });
      carrying.forEach(({ label, own }, k) => {
        countCarried(deps, labels, tally, label, own, fresh[k] === true);
      });
      // A join can refuse a label too (its model is not its prediction's): list refusals in event order.
      tally.rejected.sort((a, b) => a.index - b.index);
    }

    const { accepted, duplicates, unmatched, rejected } = tally;
    if (accepted === 0 && duplicates === 0 && unmatched === 0 && rejected.length > 0) {
      res.status(400).json({
        accepted,
        duplicates,
        unmatched,
        rejected,
        error: { code: 'invalid_request', message: `all ${rejected.length} labels were rejected; see "rejected"` },
      });
      return;
    }
    res.json({ accepted, duplicates, unmatched, rejected });
  };
}

/** Both claims of a batch, or undefined when the store is unavailable. */
async function claimAll(
  store: JoinStore,
  joining: readonly { label: ValidLabel }[],
  carrying: readonly { label: ValidLabel }[],
  nowMs: number,
): Promise<[LabelClaim[], boolean[]] | undefined> {
  try {
    return await Promise.all([
      joining.length === 0
        ? []
        : store.claim(
            joining.map((j) => j.label.predictionId),
            nowMs,
          ),
      carrying.length === 0
        ? []
        : store.claimStateless(
            carrying.map((c) => c.label.predictionId),
            nowMs,
          ),
    ]);
  } catch (error) {
    if (error instanceof JoinStoreUnavailable) return undefined;
    throw error;
  }
}

/** Counts a label that claimed its prediction by id. */
function countJoined(
  deps: AppDeps,
  labels: LabelRecorder,
  tally: LabelTally,
  index: number,
  label: ValidLabel,
  claim: LabelClaim,
  nowMs: number,
  reject: (index: number, problem: ValidationProblem) => void,
): void {
  const { quality } = deps.metrics;
  if (claim.result === 'duplicate') {
    quality.labelResult('duplicate');
    tally.duplicates++;
    return;
  }
  const prediction = claim.result === 'joined' ? claim.prediction : undefined;
  const model = prediction === undefined ? undefined : deps.catalog.models.get(prediction.model);
  const slot = prediction === undefined ? undefined : model?.slot.versions.get(prediction.version);
  const version = slot === undefined ? undefined : quality.versions[slot.index];
  // Unknown, expired, of a model no longer labelled, or a failed prediction: nothing to compare.
  if (
    prediction === undefined ||
    model === undefined ||
    version === undefined ||
    !version.labelled ||
    (version.regression ? Number.isNaN(prediction.output) : prediction.classIndex < 0)
  ) {
    quality.labelResult('unmatched');
    tally.unmatched++;
    return;
  }
  // The label's own claims about its prediction must agree with the store (the id is spent either way).
  if (label.model !== undefined && label.model !== model) {
    reject(index, {
      reason: 'invalid_field',
      field: 'model',
      message: `model: prediction ${JSON.stringify(label.predictionId)} is of model ${prediction.model}, not ${label.model.spec.name}`,
    });
    return;
  }
  if (label.slot !== undefined && label.slot !== slot) {
    reject(index, {
      reason: 'invalid_field',
      field: 'version',
      message: `version: prediction ${JSON.stringify(label.predictionId)} is of version ${prediction.version}, not ${label.slot.version}`,
    });
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
  tally: LabelTally,
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
