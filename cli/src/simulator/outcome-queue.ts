import { DelayedQueue, type Due } from './delayed-queue';

/** An outcome waiting for its moment: an event that followed a prediction the exporter recorded. */
export interface PendingOutcome extends Due {
  readonly predictionId: string;
  readonly event: string;
  readonly value?: number;
}

/** The outcomes not sent yet, earliest due first, bounded: see DelayedQueue. */
export class OutcomeQueue extends DelayedQueue<PendingOutcome> {
  constructor(capacity: number) {
    super(capacity, 'outcome queue');
  }
}
