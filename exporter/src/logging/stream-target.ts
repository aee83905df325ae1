import type { PredictionLogDropReason } from '../../../spec/src/conventions';
import type { LogReport, LogTarget } from './log-target';

/**
 * Standard output, written through its Node stream. On a pipe that stream is non-blocking,
 * so a reader that stops reading holds our bytes in flight, and the buffered sink in front
 * drops what does not fit instead of freezing the process.
 */
export class StreamTarget implements LogTarget {
  readonly destination = 'stdout';
  private readonly onError: (error: Error) => void;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    report: LogReport,
  ) {
    // A reader that goes away (EPIPE) is an error event; unheard, it would crash the process.
    this.onError = (error) => report.error?.(error);
    stream.on('error', this.onError);
  }

  write(block: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.write(block, (error?: Error | null) =>
        error === undefined || error === null ? resolve() : reject(error),
      );
    });
  }

  reasonFor(): PredictionLogDropReason {
    return 'write_error';
  }

  /** Standard output is not ours to close. */
  close(): Promise<void> {
    this.stream.off('error', this.onError);
    return Promise.resolve();
  }
}
