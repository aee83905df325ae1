import pino, { type DestinationStream, type Logger } from 'pino';
import { BufferedSink, type SinkLimits } from './buffered-sink';
import { FileTarget } from './file-target';
import type { LogReport } from './log-target';
import { StreamTarget } from './stream-target';
import { truncateStrings } from './truncate-strings';

/** Where a logged prediction came from: served by the exporter, or reported by a model server. */
export type PredictionSource = 'predict' | 'ingest';

/** One line of the prediction log. */
export interface PredictionLogEntry {
  prediction_id: string;
  model: string;
  version: string;
  source: PredictionSource;
  status: 'success' | 'error';
  input: unknown;
  output?: unknown;
  latency_ms?: number;
  /** When the event happened, as reported by an ingest client; log time is `time`. */
  event_time?: string;
  error?: string;
}

export interface PredictionLogOptions {
  /** Absolute path of the JSONL file, or null for none. */
  file: string | null;
  stdout: boolean;
  sampleRate: Record<PredictionSource, number>;
  redact: string[];
  /** Bytes each destination may buffer (default 1 MiB); lines that do not fit are dropped and counted. */
  bufferBytes?: number;
  /** Buffered lines are written at least this often, in milliseconds (default 200). */
  flushIntervalMs?: number;
  /** String values longer than this many characters are cut (default 1024). */
  maxStringLength?: number;
  /** How long close() waits for a destination to take its buffered lines, in milliseconds (default 5000). */
  closeTimeoutMs?: number;
  /** Called once per failed write, open or reopen; the prediction itself carries on. */
  onWriteError?: LogReport['error'];
  /** Called with the lines that did not reach a destination, and why. */
  onDropped?: LogReport['dropped'];
  /** Called with the number of string values cut in one line. */
  onTruncated?: LogReport['truncated'];
  /** Uniform [0, 1) source for sampling; injectable for tests. */
  random?: () => number;
  /** Extra destination that gets every line as it is made, unbuffered; for tests. */
  stream?: DestinationStream;
  /** What "stdout" is (default process.stdout); for tests. */
  stdoutStream?: NodeJS.WritableStream;
}

/** The structured prediction log: sampled, redacted, numbered JSON lines to stdout and a file. */
export interface PredictionLog {
  /** True when the next prediction from `source` should be logged; lets callers skip building the entry. */
  sampled(source: PredictionSource): boolean;
  /** Queues one line; never blocks and never throws: what cannot be written is dropped and counted. */
  write(entry: PredictionLogEntry): void;
  /** Makes the file be opened again at its path before the next write (log rotation); nothing else changes. */
  reopen(): void;
  /** Resolves once every line written so far has reached its destinations or been counted as dropped. */
  flush(): Promise<void>;
  /** Flushes buffered lines and closes the file. */
  close(): Promise<void>;
}

/**
 * Lines wait in a bounded buffer per destination and are written asynchronously in blocks:
 * as soon as 8 KiB wait, and at least every flush interval. Block writes keep the thread-pool
 * hand-offs few (one per block, not per line), and the request path never waits on a write.
 */
export const BLOCK_BYTES = 8 * 1024;
export const DEFAULT_LOG_LIMITS = {
  bufferBytes: 1024 * 1024,
  flushIntervalMs: 200,
  maxStringLength: 1024,
  closeTimeoutMs: 5000,
} as const;

/** Opens the prediction log; failures are reported through the callbacks, never thrown into a request. */
export function openPredictionLog(options: PredictionLogOptions): PredictionLog {
  const report: LogReport = {
    ...(options.onDropped === undefined ? {} : { dropped: options.onDropped }),
    ...(options.onTruncated === undefined ? {} : { truncated: options.onTruncated }),
    ...(options.onWriteError === undefined ? {} : { error: options.onWriteError }),
  };
  const limits: SinkLimits = {
    bufferBytes: options.bufferBytes ?? DEFAULT_LOG_LIMITS.bufferBytes,
    blockBytes: BLOCK_BYTES,
    flushIntervalMs: options.flushIntervalMs ?? DEFAULT_LOG_LIMITS.flushIntervalMs,
  };
  const file = options.file === null ? null : new FileTarget(options.file, report);
  const sinks: BufferedSink[] = [];
  if (options.stdout)
    sinks.push(new BufferedSink(new StreamTarget(options.stdoutStream ?? process.stdout, report), limits, report));
  if (file !== null) sinks.push(new BufferedSink(file, limits, report));
  const tap = options.stream;
  const fanOut: DestinationStream = {
    write: (line: string) => {
      for (const sink of sinks) sink.push(line);
      tap?.write(line);
    },
  };

  /** Number of the line being written: one per write(), so lines that fail leave a gap a reader can see. */
  let seq = -1;
  const logger: Logger = pino(
    {
      base: null,
      // A prediction log line is data, not a message: no level field. With the level gone the
      // time is the first field, so it must not carry pino's usual leading comma (the tests pin
      // the line); the sequence number rides along with it, without copying the entry.
      formatters: { level: () => ({}) },
      timestamp: () => `${isoTimestamp()},"seq":${seq}`,
      redact: { paths: options.redact, censor: '[REDACTED]' },
    },
    fanOut,
  );
  const random = options.random ?? Math.random;
  const maxStringLength = options.maxStringLength ?? DEFAULT_LOG_LIMITS.maxStringLength;
  const cut = { count: 0 };

  return {
    sampled: (source) => {
      const rate = options.sampleRate[source];
      return rate >= 1 || (rate > 0 && random() < rate);
    },
    write: (entry) => {
      seq++;
      try {
        cut.count = 0;
        const line = truncateStrings(entry, maxStringLength, cut) as PredictionLogEntry;
        if (cut.count > 0) report.truncated?.(cut.count);
        logger.info(line);
      } catch (error) {
        for (const sink of sinks) report.dropped?.(sink.destination, 'unserializable', 1);
        report.error?.(error as Error);
      }
    },
    reopen: () => {
      file?.requestReopen();
      for (const sink of sinks) sink.flush();
    },
    flush: async () => {
      await Promise.all(sinks.map((sink) => sink.drain()));
    },
    close: async () => {
      await Promise.all(sinks.map((sink) => sink.close(options.closeTimeoutMs ?? DEFAULT_LOG_LIMITS.closeTimeoutMs)));
    },
  };
}

let lastMillis = -1;
let lastTimestamp = '';

/** `"time":"<ISO 8601>"`, formatted once per millisecond: busy servers log many lines per millisecond. */
function isoTimestamp(): string {
  const now = Date.now();
  if (now !== lastMillis) {
    lastMillis = now;
    lastTimestamp = `"time":"${new Date(now).toISOString()}"`;
  }
  return lastTimestamp;
}
