import type { LogReport, LogTarget } from './log-target';

/** How much a sink may hold and how often it writes. */
export interface SinkLimits {
  /** Bytes of lines buffered or being written at once; a line that does not fit is dropped. */
  readonly bufferBytes: number;
  /** A write starts as soon as this many bytes wait (and no write is in flight). */
  readonly blockBytes: number;
  /** Waiting lines are written at least this often, in milliseconds. */
  readonly flushIntervalMs: number;
}

/**
 * A bounded in-process buffer in front of one target. `push` never waits: it appends the
 * line, or drops and counts it when the buffer is full. Blocks are written asynchronously,
 * one at a time, so a slow or stalled target fills the buffer instead of stalling requests.
 */
export class BufferedSink {
  private pending: string[] = [];
  private pendingBytes = 0;
  private inFlightBytes = 0;
  private writing: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly target: LogTarget,
    private readonly limits: SinkLimits,
    private readonly report: LogReport,
  ) {
    this.timer = setInterval(() => this.flush(), limits.flushIntervalMs);
    // The log must not keep a stopping process alive; close() writes what is left.
    this.timer.unref();
  }

  get destination(): LogTarget['destination'] {
    return this.target.destination;
  }

  /** Bytes buffered or in flight now; for tests and reports. */
  get bufferedBytes(): number {
    return this.pendingBytes + this.inFlightBytes;
  }

  push(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.pendingBytes + this.inFlightBytes + bytes > this.limits.bufferBytes) {
      this.report.dropped?.(this.target.destination, 'buffer_full', 1);
      return;
    }
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= this.limits.blockBytes) this.flush();
  }

  /** Starts writing whatever waits, unless a write is already in flight (it continues when that ends). */
  flush(): void {
    if (this.writing !== null || this.pending.length === 0) return;
    const lines = this.pending;
    this.inFlightBytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.target
      .write(lines.join(''), lines.length)
      .catch((error: unknown) => {
        // fs errors are Errors, but not always of this realm's Error (jest's sandbox), so no instanceof.
        const cause = typeof error === 'object' && error !== null ? (error as Error) : new Error(String(error));
        this.report.dropped?.(this.target.destination, this.target.reasonFor(cause), lines.length);
        this.report.error?.(cause);
      })
      .finally(() => {
        this.writing = null;
        this.inFlightBytes = 0;
        if (this.pendingBytes >= this.limits.blockBytes) this.flush();
      });
  }

  /** Resolves once every line pushed so far has been written or counted. */
  async drain(): Promise<void> {
    while (this.writing !== null || this.pending.length > 0) {
      this.flush();
      await this.writing;
    }
  }

  /**
   * Writes what is buffered and closes the target. A target that does not take the lines
   * within `timeoutMs` (a stalled stdout reader) is left behind: the lines still buffered
   * are reported, and the close resolves anyway.
   */
  async close(timeoutMs: number): Promise<void> {
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
      timer.unref();
    });
    const gaveUp = await Promise.race([this.drain().then(() => false), timedOut]);
    clearTimeout(timer);
    if (gaveUp) {
      this.report.error?.(
        new Error(
          `${this.bufferedBytes} bytes of prediction log lines for ${this.target.destination} were not written within ${timeoutMs} ms of closing`,
        ),
      );
      return;
    }
    await this.target.close();
  }
}
