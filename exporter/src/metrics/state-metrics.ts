import {
  METRICS,
  SNAPSHOT_RESTORE_FAILURE_REASONS,
  SNAPSHOT_WRITE_STATUSES,
  type SnapshotRestoreFailureReason,
  type SnapshotWriteStatus,
} from '../../../spec/src/conventions';
import { FixedCounter } from './fixed-counter';
import { FixedGauge } from './fixed-gauge';
import type { PromMetric } from './prom-metric';

/**
 * How the state snapshots fare. One instance lives as long as the process and is registered
 * in every generation's registry, so a reload does not reset it.
 */
export class StateMetrics {
  private readonly writes = new FixedCounter(
    METRICS.stateSnapshotWritesTotal,
    'State snapshot writes (drift windows and verdicts), by outcome.',
    SNAPSHOT_WRITE_STATUSES.map((status) => ({ status })),
  );
  private readonly lastWrite = new FixedGauge(
    METRICS.stateSnapshotLastWriteTimestampSeconds,
    'Unix time of the last state snapshot written successfully; NaN before the first.',
    [{}],
    Number.NaN,
  );
  private readonly restoreFailures = new FixedCounter(
    METRICS.stateSnapshotRestoreFailuresTotal,
    'Snapshots, or parts of one, ignored at start-up, by reason (a missing file is not a failure).',
    SNAPSHOT_RESTORE_FAILURE_REASONS.map((reason) => ({ reason })),
  );

  /** Counts one write; a success also sets the last-write time (`nowMs`, epoch milliseconds). */
  wrote(status: SnapshotWriteStatus, nowMs: number): void {
    this.writes.inc(SNAPSHOT_WRITE_STATUSES.indexOf(status));
    if (status === 'success') this.lastWrite.set(0, nowMs / 1000);
  }

  /** Counts one part of a snapshot that was not restored. */
  restoreFailed(reason: SnapshotRestoreFailureReason): void {
    this.restoreFailures.inc(SNAPSHOT_RESTORE_FAILURE_REASONS.indexOf(reason));
  }

  /** Restore failures counted for a reason; for tests and reports. */
  restoreFailureCount(reason: SnapshotRestoreFailureReason): number {
    return this.restoreFailures.value(SNAPSHOT_RESTORE_FAILURE_REASONS.indexOf(reason));
  }

  /** Writes counted with a status; for tests and reports. */
  writeCount(status: SnapshotWriteStatus): number {
    return this.writes.value(SNAPSHOT_WRITE_STATUSES.indexOf(status));
  }

  /** The metrics to register, in exposition order. */
  metrics(): PromMetric[] {
    return [this.writes, this.lastWrite, this.restoreFailures];
  }
}
