import type { Truth } from './ground-truth';
import type { PlannedLabel } from './label-planner';
import type { LabelQueue, PendingLabel } from './label-queue';
import type { LabelDelivery, LabelSender } from './label-sender';
import { SimulationStopError } from './post-json';
import { RealisedQuality, type QualityFigures } from './realised-quality';

/** How labels are timed and batched. */
export interface LabelFeedOptions {
  /** Between a prediction being recorded and its label being sent, in milliseconds. */
  readonly delayMs: number;
  /** Most labels per request. */
  readonly batchSize: number;
  /** A due label waits at most this long (ms) for a fuller batch. */
  readonly maxWaitMs: number;
  /** Label requests in flight at once; further due labels wait in the queue. */
  readonly maxInFlight: number;
  /** The clock (Unix ms); tests pass their own. */
  readonly now: () => number;
}

/** Running totals of the labels of a simulation. */
export interface LabelCounts {
  /** Labels waiting for their moment (or a free request slot). */
  readonly pending: number;
  readonly sent: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly unmatched: number;
  readonly rejected: number;
  readonly failed: number;
  /** Labels refused because the queue was full: the exporter fell behind by more than the queue holds. */
  readonly dropped: number;
  /** Labels never sent because the run was stopped. */
  readonly unsent: number;
  readonly lastProblem: string | undefined;
  /** The realised quality of the predictions whose labels were sent, and per scenario phase. */
  readonly quality: QualityFigures;
  readonly qualityByPhase: readonly QualityFigures[];
}

/**
 * Sends the ground-truth labels of recorded predictions after the label delay: each is queued
 * when its prediction is recorded (the queue is bounded: what does not fit is counted as
 * dropped), and `pump` sends the due ones in batches, a batch as soon as it is full or its
 * oldest label has waited `maxWaitMs`.
 */
export class LabelFeed {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly quality = new RealisedQuality();
  private totals = { sent: 0, accepted: 0, duplicates: 0, unmatched: 0, rejected: 0, failed: 0, dropped: 0, unsent: 0 };
  private lastProblem: string | undefined;
  /** The latest answered batch got no answer at all (network failure, timeout, 5xx). */
  private lastBatchLost = false;
  /** A refusal that ends the simulation (a 401), for the run to rethrow. */
  stopError: Error | undefined;

  constructor(
    private readonly queue: LabelQueue,
    private readonly sender: LabelSender,
    private readonly options: LabelFeedOptions,
  ) {}

  /** Queues the label of a prediction the exporter recorded, due one delay from now. */
  offer(predictionId: string, predicted: Truth, label: PlannedLabel): void {
    const dueAtMs = this.options.now() + this.options.delayMs;
    if (!this.queue.push({ predictionId, predicted, truth: label.truth, phase: label.phase, dueAtMs }))
      this.totals.dropped++;
  }

  /** Sends the batches that are due now, as far as free request slots allow. */
  pump(): void {
    const now = this.options.now();
    while (this.inFlight.size < this.options.maxInFlight && this.stopError === undefined) {
      const due = this.queue.dueCount(now, this.options.batchSize);
      if (due === 0) return;
      const oldest = this.queue.oldestDueAtMs() ?? now;
      if (due < this.options.batchSize && now - oldest < this.options.maxWaitMs) return;
      this.dispatch(this.queue.take(due), now);
    }
  }

  /**
   * Sends every label still waiting, due or not (the run is over), and waits for the answers.
   * Once a whole batch gets no answer the exporter is taken to be gone: the rest are counted
   * as unsent rather than each waiting out its timeout.
   */
  async finish(): Promise<void> {
    while (this.queue.size > 0 && this.stopError === undefined && !this.exporterGone()) {
      while (this.inFlight.size >= this.options.maxInFlight) await Promise.race(this.inFlight);
      // The answers that freed a slot may have said the exporter is gone.
      if (this.exporterGone()) break;
      this.dispatch(this.queue.take(this.options.batchSize), this.options.now());
    }
    await this.settled();
    this.abandon();
  }

  /** Gives up on the labels still waiting (the run was stopped); they are counted as unsent. */
  abandon(): void {
    this.totals.unsent += this.queue.take(this.queue.size).length;
  }

  /** Resolves once every label request in flight has its answer. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  counts(): LabelCounts {
    return {
      ...this.totals,
      pending: this.queue.size,
      lastProblem: this.lastProblem,
      quality: this.quality.overall(),
      qualityByPhase: this.quality.byPhase(),
    };
  }

  /** Whether the latest answered batch got no answer at all (checked again after every await). */
  private exporterGone(): boolean {
    return this.lastBatchLost;
  }

  private dispatch(batch: PendingLabel[], nowMs: number): void {
    this.totals.sent += batch.length;
    // The simulator knows both sides, so it judges every label it sends, whatever becomes of it.
    for (const label of batch) this.quality.add(label.phase, label.predicted, label.truth);
    const settled: Promise<void> = this.sender
      .send(batch, nowMs)
      .then(
        (delivery) => this.record(batch, delivery),
        (error: unknown) => {
          if (error instanceof SimulationStopError) this.stopError ??= error;
          else
            this.record(batch, {
              accepted: 0,
              duplicates: 0,
              unmatched: 0,
              rejected: 0,
              failed: batch.length,
              problem: (error as Error).message,
            });
        },
      )
      .finally(() => this.inFlight.delete(settled));
    this.inFlight.add(settled);
  }

  private record(batch: readonly PendingLabel[], delivery: LabelDelivery): void {
    const t = this.totals;
    t.accepted += delivery.accepted;
    t.duplicates += delivery.duplicates;
    t.unmatched += delivery.unmatched;
    t.rejected += delivery.rejected;
    t.failed += delivery.failed;
    if (delivery.problem !== undefined) this.lastProblem = delivery.problem;
    this.lastBatchLost = delivery.failed === batch.length;
  }
}
