/** What a label join needs of a prediction, as the join store keeps it (by names, so replicas agree). */
export interface JoinedPrediction {
  readonly model: string;
  readonly version: string;
  /** Index of the predicted class in the model's classes, or -1 (regression). */
  readonly classIndex: number;
  /** The regression output, or NaN. */
  readonly output: number;
  /** Raw probability of the predicted class (NaN when unknown); calibration is applied when counting. */
  readonly confidence: number;
  /** When the prediction was first seen, in Unix milliseconds. */
  readonly timeMs: number;
}

/** What claiming a label's prediction found. */
export type LabelClaim =
  | { readonly result: 'joined'; readonly prediction: JoinedPrediction }
  | { readonly result: 'duplicate' }
  | { readonly result: 'unmatched' };

/**
 * What a claim marks: each id counts once per scope. Labels claim {@link LABEL_SCOPE}; outcomes
 * claim `outcome:<event>` ({@link outcomeScope}), so a prediction's label and each of its events
 * count once each, independently.
 */
export type ClaimScope = string;

/** The scope of label claims. */
export const LABEL_SCOPE: ClaimScope = 'label';

/** The scope of the outcome claims of one event: one outcome per (prediction, event) counts. */
export function outcomeScope(event: string): ClaimScope {
  return `outcome:${event}`;
}

/** The join store could not answer (Redis down or too slow): the labels are answered 503, never guessed. */
export class JoinStoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JoinStoreUnavailable';
  }
}

/**
 * Where labels and outcomes find their predictions: `memory` (this exporter's recent-id store) or
 * `redis` (shared by every replica). A prediction enters it once, when it is first accepted; a
 * label (or an outcome of one event) claims it once per scope: the first claim of an id in a scope
 * joins, every later one is a duplicate, whichever replica each arrives at. Claims in one scope
 * never spend an id in another.
 */
export interface JoinStore {
  /**
   * Remembers an accepted prediction for later joins. Never throws and never waits: a shared
   * store writes in the background, in batches, and counts what fails (predictions never fail
   * because of it).
   */
  remember(id: string, prediction: JoinedPrediction): void;
  /**
   * Claims the prediction of each id, in order (one result per id): `joined` with the prediction
   * the first time in `scope` (default {@link LABEL_SCOPE}), `duplicate` after, `unmatched` when it
   * is unknown or expired (an unmatched id is not marked). Rejects with JoinStoreUnavailable when
   * the store cannot answer.
   */
  claim(ids: readonly string[], nowMs: number, scope?: ClaimScope): Promise<LabelClaim[]>;
  /**
   * Marks the ids of labels (or outcomes) that carried their own model version (no join) as
   * claimed in `scope` (default {@link LABEL_SCOPE}): true for an id's first claim there, joined or
   * not, false for a duplicate. Rejects with JoinStoreUnavailable.
   */
  claimStateless(ids: readonly string[], nowMs: number, scope?: ClaimScope): Promise<boolean[]>;
  /** Flushes pending writes and lets go of connections. */
  close(): Promise<void>;
}
