import { DelayedFeed, type DelayedCounts, type DelayedFeedOptions } from './delayed-feed';
import type { EventSender } from './event-batch-sender';
import type { Truth } from './ground-truth';
import type { PlannedLabel } from './label-planner';
import type { LabelQueue, PendingLabel } from './label-queue';
import { RealisedQuality, type QualityFigures } from './realised-quality';

/** How labels are timed and batched. */
export interface LabelFeedOptions extends DelayedFeedOptions {
  /** Between a prediction being recorded and its label being sent, in milliseconds. */
  readonly delayMs: number;
}

/** Running totals of the labels of a simulation, and the quality they measured. */
export interface LabelCounts extends DelayedCounts {
  /** The realised quality of the predictions whose labels were sent, and per scenario phase. */
  readonly quality: QualityFigures;
  readonly qualityByPhase: readonly QualityFigures[];
}

/**
 * Sends the ground-truth labels of recorded predictions one label delay after them, in
 * batches (see DelayedFeed), and measures the quality of the predictions it labels.
 */
export class LabelFeed extends DelayedFeed<PendingLabel> {
  private readonly quality = new RealisedQuality();

  constructor(
    queue: LabelQueue,
    sender: EventSender<PendingLabel>,
    private readonly options: LabelFeedOptions,
  ) {
    super(queue, sender, options);
  }

  /** Queues the label of a prediction the exporter recorded, due one delay from now. */
  offer(predictionId: string, predicted: Truth, label: PlannedLabel): void {
    const dueAtMs = this.options.now() + this.options.delayMs;
    this.enqueue({ predictionId, predicted, truth: label.truth, phase: label.phase, dueAtMs });
  }

  override counts(): LabelCounts {
    return { ...super.counts(), quality: this.quality.overall(), qualityByPhase: this.quality.byPhase() };
  }

  /** The simulator knows both sides, so it judges every label it sends, whatever becomes of it. */
  protected override onSend(batch: readonly PendingLabel[]): void {
    for (const label of batch) this.quality.add(label.phase, label.predicted, label.truth);
  }
}
