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

/** The join store could not answer (Redis down or too slow): the labels are answered 503, never guessed. */
export class JoinStoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JoinStoreUnavailable';
  }
}

/**
 * Where labels find their predictions: `memory` (this exporter's recent-id store) or `redis`
 * (shared by every replica). A prediction enters it once, when it is first accepted; a label
 * claims it once: the first claim of an id joins, every later one is a duplicate, whichever
 * replica each arrives at.
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
   * the first time, `duplicate` after, `unmatched` when it is unknown or expired. Rejects with
   * JoinStoreUnavailable when the store cannot answer.
   */
  claim(ids: readonly string[], nowMs: number): Promise<LabelClaim[]>;
  /**
   * Marks the ids of labels that carried their own prediction (no join) as labelled: true for an
   * id's first label, false for a duplicate. Rejects with JoinStoreUnavailable.
   */
  claimStateless(ids: readonly string[], nowMs: number): Promise<boolean[]>;
  /** Flushes pending writes and lets go of connections. */
  close(): Promise<void>;
}
