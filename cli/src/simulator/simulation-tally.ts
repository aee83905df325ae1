/** A prediction the exporter recorded: the id its label must name, and what the model said. */
export interface RecordedPrediction {
  /** Position of the event in its request. */
  readonly index: number;
  readonly predictionId: string;
  /** The predicted class (or value, for regression). */
  readonly predicted: string | number;
  /** The version that served it, when the exporter (or the ingested event) names it. */
  readonly version?: string;
}

/** What came of the events in one request. */
export interface DeliveryOutcome {
  /** Predictions the exporter recorded as successful. */
  readonly ok: number;
  /** Predictions the exporter recorded as failed, as the scenario asked. */
  readonly errors: number;
  /** Events the exporter refused as bad input. */
  readonly rejected: number;
  /** Events that got no usable answer: network failure, timeout, unexpected server error. */
  readonly failed: number;
  /** The reason for a rejection or failure, for the user. */
  readonly problem?: string;
  /** Round trip of the request that carried these events, in milliseconds, when it got an answer. */
  readonly latencyMs?: number;
  /** The successful predictions the exporter recorded, for their labels and outcomes. */
  readonly recorded?: readonly RecordedPrediction[];
}

/** Running totals of a simulation, in events. */
export interface SimulationCounts {
  readonly sent: number;
  readonly ok: number;
  readonly errors: number;
  readonly rejected: number;
  readonly failed: number;
}

/** Adds up delivery outcomes and remembers the latest problem. */
export class SimulationTally {
  sent = 0;
  ok = 0;
  errors = 0;
  rejected = 0;
  failed = 0;
  lastProblem: string | undefined;

  /** Counts events as sent when their request goes out. */
  addSent(events: number): void {
    this.sent += events;
  }

  add(outcome: DeliveryOutcome): void {
    this.ok += outcome.ok;
    this.errors += outcome.errors;
    this.rejected += outcome.rejected;
    this.failed += outcome.failed;
    if (outcome.problem !== undefined) this.lastProblem = outcome.problem;
  }

  snapshot(): SimulationCounts {
    return { sent: this.sent, ok: this.ok, errors: this.errors, rejected: this.rejected, failed: this.failed };
  }
}

/** "sent 500, ok 480, errors 20, rejected 0, failed 0". */
export function formatCounts(counts: SimulationCounts): string {
  return `sent ${counts.sent}, ok ${counts.ok}, errors ${counts.errors}, rejected ${counts.rejected}, failed ${counts.failed}`;
}

/**
 * True when the run did not do its job: nothing reached the exporter, or most events were
 * refused or lost. Errors the scenario asked for are a success.
 */
export function simulationFailed(counts: SimulationCounts): boolean {
  if (counts.sent === 0) return false;
  if (counts.ok + counts.errors === 0) return true;
  return counts.rejected + counts.failed > counts.sent / 2;
}
