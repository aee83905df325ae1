import type { PredictionLogDestination, PredictionLogDropReason } from '../../../spec/src/conventions';

/** Where a buffered sink's blocks go: the file or stdout. */
export interface LogTarget {
  readonly destination: PredictionLogDestination;
  /** Writes one block of `lines` whole lines; rejects when they did not all arrive. */
  write(block: string, lines: number): Promise<void>;
  /** The drop reason for the lines of a block whose write rejected with `error`. */
  reasonFor(error: Error): PredictionLogDropReason;
  /** Releases what the target holds; stdout is left open. */
  close(): Promise<void>;
}

/** What the log tells its owner; every callback is optional, none may throw. */
export interface LogReport {
  /** `lines` lines did not reach `destination`, for `reason`. */
  dropped?: (destination: PredictionLogDestination, reason: PredictionLogDropReason, lines: number) => void;
  /** A write, open or reopen failed; called once per failed operation. */
  error?: (error: Error) => void;
  /** `count` string values were cut to the configured length in one line. */
  truncated?: (count: number) => void;
}
