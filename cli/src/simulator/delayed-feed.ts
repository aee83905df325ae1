import type { DelayedQueue, Due } from './delayed-queue';
import type { EventDelivery, EventSender } from './event-batch-sender';
import { SimulationStopError } from './post-json';

/** How delayed events are batched and paced. */
export interface DelayedFeedOptions {
  /** Most events per request. */
  readonly batchSize: number;
  /** A due event waits at most this long (ms) for a fuller batch. */
  readonly maxWaitMs: number;
  /** Requests in flight at once; further due events wait in the queue. */
  readonly maxInFlight: number;
  /** The clock (Unix ms); tests pass their own. */
  readonly now: () => number;
}

/** Running totals of one kind of delayed event (labels, outcomes) of a simulation. */
export interface DelayedCounts {
  /** Events waiting for their moment (or a free request slot). */
  readonly pending: number;
  readonly sent: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly unmatched: number;
  readonly rejected: number;
  readonly failed: number;
  /** Events refused because the queue was full: the exporter fell behind by more than the queue holds. */
  readonly dropped: number;
  /** Events never sent because the run was stopped. */
  readonly unsent: number;
  readonly lastProblem: string | undefined;
}

/**
 * Sends events that become known after their prediction (labels, outcomes) once they are due:
 * each is queued when it is planned (the queue is bounded: what does not fit is counted as
 * dropped), and `pump` sends the due ones in batches, a batch as soon as it is full or its
 * oldest event has waited `maxWaitMs`.
 */
export abstract class DelayedFeed<T extends Due> {
  private readonly inFlight = new Set<Promise<void>>();
  private totals = { sent: 0, accepted: 0, duplicates: 0, unmatched: 0, rejected: 0, failed: 0, dropped: 0, unsent: 0 };
  private lastProblem: string | undefined;
  /** The latest answered batch got no answer at all (network failure, timeout, 5xx). */
  private lastBatchLost = false;
  /** A refusal that ends the simulation (a 401), for the run to rethrow. */
  stopError: Error | undefined;

  constructor(
    private readonly queue: DelayedQueue<T>,
    private readonly sender: EventSender<T>,
    private readonly feedOptions: DelayedFeedOptions,
  ) {}

  /** Queues an event; counted as dropped when the queue is full. */
  protected enqueue(event: T): void {
    if (!this.queue.push(event)) this.totals.dropped++;
  }

  /** Sees every batch as it goes out: the simulator judges what it sends, whatever becomes of it. */
  protected onSend?(batch: readonly T[]): void;

  /** Sends the batches that are due now, as far as free request slots allow. */
  pump(): void {
    const now = this.feedOptions.now();
    while (this.inFlight.size < this.feedOptions.maxInFlight && this.stopError === undefined) {
      const due = this.queue.dueCount(now, this.feedOptions.batchSize);
      if (due === 0) return;
      const oldest = this.queue.oldestDueAtMs() ?? now;
      if (due < this.feedOptions.batchSize && now - oldest < this.feedOptions.maxWaitMs) return;
      this.dispatch(this.queue.take(due), now);
    }
  }

  /**
   * Sends every event still waiting, due or not (the run is over), and waits for the answers.
   * Once a whole batch gets no answer the exporter is taken to be gone: the rest are counted
   * as unsent rather than each waiting out its timeout.
   */
  async finish(): Promise<void> {
    while (this.queue.size > 0 && this.stopError === undefined && !this.exporterGone()) {
      while (this.inFlight.size >= this.feedOptions.maxInFlight) await Promise.race(this.inFlight);
      // The answers that freed a slot may have said the exporter is gone.
      if (this.exporterGone()) break;
      this.dispatch(this.queue.take(this.feedOptions.batchSize), this.feedOptions.now());
    }
    await this.settled();
    this.abandon();
  }

  /** Gives up on the events still waiting (the run was stopped); they are counted as unsent. */
  abandon(): void {
    this.totals.unsent += this.queue.take(this.queue.size).length;
  }

  /** Resolves once every request in flight has its answer. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** A refusal that ends the simulation is in `stopError`; these are the totals so far. */
  counts(): DelayedCounts {
    return { ...this.totals, pending: this.queue.size, lastProblem: this.lastProblem };
  }

  /** Whether the latest answered batch got no answer at all (checked again after every await). */
  private exporterGone(): boolean {
    return this.lastBatchLost;
  }

  private dispatch(batch: T[], nowMs: number): void {
    this.totals.sent += batch.length;
    this.onSend?.(batch);
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

  private record(batch: readonly T[], delivery: EventDelivery): void {
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
