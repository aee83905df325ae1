import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';

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
  /** Called once per failed write; the prediction itself carries on. */
  onWriteError?: (error: Error) => void;
  /** Uniform [0, 1) source for sampling; injectable for tests. */
  random?: () => number;
  /** Extra destination, for tests. */
  stream?: DestinationStream;
}

/** The structured prediction log: sampled, redacted JSON lines to stdout and a file. */
export interface PredictionLog {
  /** True when the next prediction from `source` should be logged; lets callers skip building the entry. */
  sampled(source: PredictionSource): boolean;
  write(entry: PredictionLogEntry): void;
  /** Flushes buffered lines and closes the file. */
  close(): Promise<void>;
}

/**
 * Lines are buffered and written in blocks of 8 KiB, and at least every 200 ms.
 * The writes are synchronous, as pino's default destination is: an asynchronous
 * write per block goes through libuv's thread pool, and on a busy core that hand-off
 * cost more than the rest of the monitoring together (bench/README.md).
 */
const BUFFERING = { sync: true, minLength: 8 * 1024, periodicFlush: 200 } as const;

/** Opens the prediction log; write failures are reported to `onWriteError`, never thrown into a request. */
export function openPredictionLog(options: PredictionLogOptions): PredictionLog {
  const destinations: { stream: DestinationStream }[] = [];
  const booms: ReturnType<typeof pino.destination>[] = [];
  const onError = (error: Error): void => options.onWriteError?.(error);

  if (options.stdout) booms.push(pino.destination({ dest: 1, ...BUFFERING }));
  if (options.file !== null) {
    // A log that cannot be opened is reported and left out: predictions must go on.
    try {
      mkdirSync(path.dirname(options.file), { recursive: true });
      booms.push(pino.destination({ dest: options.file, append: true, ...BUFFERING }));
    } catch (error) {
      onError(error as Error);
    }
  }
  for (const boom of booms) {
    boom.on('error', onError);
    destinations.push({ stream: boom });
  }
  if (options.stream !== undefined) destinations.push({ stream: options.stream });

  const logger: Logger = pino(
    {
      base: null,
      // A prediction log line is data, not a message: no level field. With the level gone the
      // time is the first field, so it must not carry pino's usual leading comma (the tests pin the line).
      formatters: { level: () => ({}) },
      timestamp: isoTimestamp,
      redact: { paths: options.redact, censor: '[REDACTED]' },
    },
    pino.multistream(destinations),
  );
  const random = options.random ?? Math.random;

  return {
    sampled: (source) => {
      const rate = options.sampleRate[source];
      return rate >= 1 || (rate > 0 && random() < rate);
    },
    write: (entry) => {
      try {
        logger.info(entry);
      } catch (error) {
        onError(error as Error);
      }
    },
    close: () => closeAll(booms),
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

async function closeAll(booms: ReturnType<typeof pino.destination>[]): Promise<void> {
  await Promise.all(
    booms.map(
      (boom) =>
        new Promise<void>((resolve) => {
          if ((boom as unknown as { destroyed?: boolean }).destroyed === true) {
            resolve();
            return;
          }
          // Stdout is not ours to close: flush it and leave it open.
          if ((boom as unknown as { fd: number }).fd === 1) {
            boom.flush(() => resolve());
            return;
          }
          boom.once('close', () => resolve());
          boom.once('error', () => resolve());
          boom.end();
        }),
    ),
  );
}
