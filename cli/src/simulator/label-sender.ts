import { EventBatchSender, type EventDelivery } from './event-batch-sender';
import type { PendingLabel } from './label-queue';

/** What came of one batch of labels, in labels. */
export type LabelDelivery = EventDelivery;

/**
 * Sends batches of labels to `POST /v1/events/labels` with the write token, each label stamped
 * with the moment it became known (its due time, or the sending time when sent early); throws
 * UnauthorizedError on a 401.
 */
export class LabelSender extends EventBatchSender<PendingLabel> {
  constructor(target: string, timeoutMs: number, token?: string) {
    super(
      target,
      {
        path: '/v1/events/labels',
        noun: 'label',
        toJson: (label, nowMs) => ({
          prediction_id: label.predictionId,
          label: label.truth,
          timestamp: new Date(Math.min(label.dueAtMs, nowMs)).toISOString(),
        }),
      },
      timeoutMs,
      token,
    );
  }
}
