import type { Truth } from './ground-truth';
import { DelayedQueue } from './delayed-queue';

/** A label waiting for its moment: the truth of a prediction the exporter recorded. */
export interface PendingLabel {
  readonly predictionId: string;
  readonly truth: Truth;
  /** What the model predicted, for the quality the simulator measures itself. */
  readonly predicted: Truth;
  /** The scenario phase of the prediction. */
  readonly phase: string;
  /** When the label is due (Unix ms): the prediction's time plus the label delay. */
  readonly dueAtMs: number;
}

/** The labels not sent yet, oldest first (one delay for all), bounded: see DelayedQueue. */
export class LabelQueue extends DelayedQueue<PendingLabel> {
  constructor(capacity: number) {
    super(capacity, 'label queue');
  }
}
