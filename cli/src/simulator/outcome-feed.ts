import type { PlannedOutcome } from './business-model';
import { DelayedFeed, type DelayedCounts, type DelayedFeedOptions } from './delayed-feed';
import type { DelayedQueue } from './delayed-queue';
import type { EventSender } from './event-batch-sender';
import type { PendingOutcome } from './outcome-queue';

/** How outcomes are timed and batched. */
export interface OutcomeFeedOptions extends DelayedFeedOptions {
  /** The longest time between a prediction being recorded and its outcomes being sent, in milliseconds. */
  readonly delayMs: number;
}

/** The outcomes the business produced after one version's tracked predictions. */
export interface RealisedOutcomes {
  readonly version: string;
  /** Tracked predictions of the version that the exporter recorded. */
  readonly predictions: number;
  /** Per declared event that happened at least once: how often, and the sum of its values. */
  readonly events: readonly { readonly event: string; readonly count: number; readonly value: number }[];
}

/** Running totals of the outcomes of a simulation, and what the business produced per version. */
export interface OutcomeCounts extends DelayedCounts {
  /** By version, in the order versions first appeared. */
  readonly realised: readonly RealisedOutcomes[];
}

/** Unknown version: the exporter did not say which version served a prediction. */
const UNKNOWN_VERSION = 'unknown';

/** Running figures of one version. */
interface VersionTally {
  predictions: number;
  readonly events: Map<string, { count: number; value: number }>;
}

/**
 * Sends the business outcomes of recorded predictions, each its own share of the outcome delay
 * after its prediction, in batches (see DelayedFeed), and adds up what the business produced
 * per version: the rates the exporter's counters should show.
 */
export class OutcomeFeed extends DelayedFeed<PendingOutcome> {
  private readonly byVersion = new Map<string, VersionTally>();

  constructor(
    queue: DelayedQueue<PendingOutcome>,
    sender: EventSender<PendingOutcome>,
    private readonly options: OutcomeFeedOptions,
  ) {
    super(queue, sender, options);
  }

  /** Queues the outcomes of one tracked prediction the exporter recorded for `version`, now. */
  offer(predictionId: string, version: string | undefined, outcomes: readonly PlannedOutcome[]): void {
    const now = this.options.now();
    const tally = this.tallyOf(version ?? UNKNOWN_VERSION);
    tally.predictions++;
    for (const outcome of outcomes) {
      const figures = tally.events.get(outcome.event) ?? { count: 0, value: 0 };
      figures.count++;
      figures.value += outcome.value ?? 0;
      tally.events.set(outcome.event, figures);
      this.enqueue({
        predictionId,
        event: outcome.event,
        ...(outcome.value === undefined ? {} : { value: outcome.value }),
        dueAtMs: now + Math.round(outcome.lag * this.options.delayMs),
      });
    }
  }

  override counts(): OutcomeCounts {
    const realised = [...this.byVersion].map(([version, tally]) => ({
      version,
      predictions: tally.predictions,
      events: [...tally.events]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([event, figures]) => ({ event, count: figures.count, value: Math.round(figures.value * 100) / 100 })),
    }));
    return { ...super.counts(), realised };
  }

  private tallyOf(version: string): VersionTally {
    let tally = this.byVersion.get(version);
    if (tally === undefined) this.byVersion.set(version, (tally = { predictions: 0, events: new Map() }));
    return tally;
  }
}
