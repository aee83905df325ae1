import { EventBatchSender } from './event-batch-sender';
import type { PendingOutcome } from './outcome-queue';

/**
 * Sends batches of outcomes to `POST /v1/events/outcomes` with the write token, each stamped with
 * the moment it happened (its due time, or the sending time when sent early); throws
 * UnauthorizedError on a 401.
 */
export class OutcomeSender extends EventBatchSender<PendingOutcome> {
  constructor(target: string, timeoutMs: number, token?: string) {
    super(
      target,
      {
        path: '/v1/events/outcomes',
        noun: 'outcome',
        toJson: (outcome, nowMs) => ({
          prediction_id: outcome.predictionId,
          event: outcome.event,
          ...(outcome.value === undefined ? {} : { value: outcome.value }),
          timestamp: new Date(Math.min(outcome.dueAtMs, nowMs)).toISOString(),
        }),
      },
      timeoutMs,
      token,
    );
  }
}
