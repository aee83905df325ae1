import type { Logger } from 'pino';
import type { StateMetrics } from '../metrics/state-metrics';
import { readSnapshotFile, writeSnapshotFile } from '../state/snapshot-file';
import type { RestoreProblem } from '../state/state-section';
import type { StateStore } from '../state/state-store';

/** What the snapshotter needs; getters, because a reload replaces the store and may move the file. */
export interface SnapshotterOptions {
  /** The snapshot file of the running spec, or null when `state.dir` is null. */
  readonly file: () => string | null;
  /** The state of the running generation. */
  readonly store: () => StateStore;
  readonly intervalMs: () => number;
  readonly metrics: StateMetrics;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Writes the durable state to its snapshot file on an interval and on demand (at shutdown),
 * one write at a time, and restores it at start-up. Failures are logged and counted, never
 * thrown: losing a snapshot must not stop the exporter.
 */
export class Snapshotter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<boolean> = Promise.resolve(true);
  private lastErrorReport = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly options: SnapshotterOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts the interval; the timer does not keep the process alive. */
  start(): void {
    this.stop();
    this.timer = setInterval(() => void this.writeNow(), this.options.intervalMs());
    this.timer.unref();
  }

  /** Stops the interval; a write in progress finishes (await {@link writeNow} to wait for it). */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Captures and writes the state after any write in progress; resolves true when written (or nothing to write). */
  writeNow(): Promise<boolean> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /**
   * Restores the snapshot file into `store`; a missing file restores nothing. Every part not
   * restored is logged and counted by reason, and returned.
   */
  async restoreInto(store: StateStore): Promise<RestoreProblem[]> {
    const file = this.options.file();
    if (file === null) return [];
    const read = await readSnapshotFile(file);
    if (read.kind === 'missing') {
      this.options.logger.info({ file }, 'no state snapshot yet; drift windows and recent ids start empty');
      return [];
    }
    const problems = read.kind === 'failed' ? [read.problem] : store.restore(read.document, this.now());
    for (const problem of problems) {
      this.options.metrics.restoreFailed(problem.reason);
      this.options.logger.warn(
        { file, reason: problem.reason },
        `state snapshot not restored, ignoring it: ${problem.detail}`,
      );
    }
    if (read.kind === 'parsed' && problems.length === 0)
      this.options.logger.info(
        { file },
        'restored the drift windows, verdicts and recent prediction ids from the state snapshot',
      );
    return problems;
  }

  private async write(): Promise<boolean> {
    const file = this.options.file();
    if (file === null) return true;
    const nowMs = this.now();
    try {
      await writeSnapshotFile(file, this.options.store().capture(nowMs, 'disk'));
      this.options.metrics.wrote('success', this.now());
      return true;
    } catch (error) {
      this.options.metrics.wrote('error', nowMs);
      // One report a minute: a full disk must not flood the operational log.
      if (nowMs - this.lastErrorReport > 60_000) {
        this.lastErrorReport = nowMs;
        this.options.logger.error({ err: error, file }, 'state snapshot write failed; the exporter goes on');
      }
      return false;
    }
  }
}
