/**
 * A bench server's own readings, printed to stderr as one JSON line at a fixed interval:
 * memory (`process.memoryUsage()`) and event-loop delay (`monitorEventLoopDelay`) since the
 * previous line. Opt-in with MLWATCH_BENCH_REPORT=<interval ms> in a bench server's entry;
 * the product code knows nothing of it. The parent reads the lines with `parseProcessReport`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Environment variable that turns the report on; its value is the interval in milliseconds. */
export const REPORT_ENV = 'MLWATCH_BENCH_REPORT';
/** Prefix of every report line, so the parent can tell them from other stderr output. */
const PREFIX = 'mlwatch-bench-report ';
/** Sampling resolution of the event-loop delay histogram, in milliseconds (Node's default). */
const LAG_RESOLUTION_MS = 10;

/** One reading of a server process; memory in bytes, event-loop delay in milliseconds over the last interval. */
export interface ProcessReport {
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

/** Starts printing reports when REPORT_ENV holds a positive interval; does nothing otherwise. The timer never keeps the process alive. */
export function startProcessReportFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  const raw = env[REPORT_ENV];
  if (raw === undefined || raw === '') return;
  const intervalMs = Number(raw);
  if (!Number.isFinite(intervalMs) || intervalMs <= 0)
    throw new Error(`${REPORT_ENV}: expected an interval in milliseconds, got ${JSON.stringify(raw)}`);
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  setInterval(() => {
    const memory = process.memoryUsage();
    const report: ProcessReport = {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
      // The histogram is in nanoseconds; reset so each line covers its own interval only.
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6,
    };
    lag.reset();
    process.stderr.write(`${PREFIX}${JSON.stringify(report)}\n`);
  }, intervalMs).unref();
}

/** The report on one stderr line, or undefined when the line is not a report. */
export function parseProcessReport(line: string): ProcessReport | undefined {
  if (!line.startsWith(PREFIX)) return undefined;
  const data = JSON.parse(line.slice(PREFIX.length)) as Partial<ProcessReport>;
  const fields = ['rssBytes', 'heapUsedBytes', 'heapTotalBytes', 'externalBytes', 'lagP99Ms', 'lagMaxMs'] as const;
  for (const field of fields) {
    if (typeof data[field] !== 'number') throw new Error(`report line without a number in ${field}: ${line}`);
  }
  return data as ProcessReport;
}
