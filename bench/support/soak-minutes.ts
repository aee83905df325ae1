/**
 * The soak bench's bookkeeping, pure: what the load and the server's reports recorded,
 * bucketed by minute since the load started, turned into one row per minute and the verdicts
 * against the soak targets (RSS growth after warm-up, p99 drift from the first minute).
 */
import type { ProcessReport } from './process-report';

/** The request kinds the soak sends. */
export type RequestKind = 'predict' | 'ingest' | 'scrape' | 'drift';
const KINDS: readonly RequestKind[] = ['predict', 'ingest', 'scrape', 'drift'];

/** What one minute collected. */
interface MinuteBucket {
  latenciesMs: Record<RequestKind, number[]>;
  failures: number;
  events: number;
  reports: ProcessReport[];
  /** Last cumulative drift evaluation count scraped in this minute. */
  evaluations: number | undefined;
  machine: MinuteMachine | undefined;
}

/** How busy the machine was in one minute, read by the parent at the minute's end. */
export interface MinuteMachine {
  /** The server's CPU time over the minute, as a percentage of one core. */
  serverCpuPercent: number;
  /** Milliseconds per second the server's event-loop thread waited for its core (other work on it). */
  serverRunQueueMsPerSecond: number;
  /** Event-loop delay p99 and max of the load-generating process: when high, its latencies include its own stalls. */
  clientLagP99Ms: number;
  clientLagMaxMs: number;
}

/** One minute of the soak, ready to print; latencies in milliseconds, memory in MiB. */
export interface MinuteRow {
  /** 1-based. */
  minute: number;
  predictPerSecond: number;
  eventsPerSecond: number;
  predictP50Ms: number;
  predictP99Ms: number;
  ingestP99Ms: number;
  scrapeP99Ms: number;
  /** Requests that failed (non-2xx or no response). */
  failures: number;
  /** Drift evaluations the server ran during the minute (from /metrics). */
  evaluations: number | undefined;
  /** Server RSS and heap used at its last report of the minute. */
  rssMiB: number | undefined;
  heapUsedMiB: number | undefined;
  /** Highest of the minute's event-loop delay p99s (each report covers its own interval). */
  lagP99Ms: number | undefined;
  /** The longest event-loop delay of the minute: one stall, which a p99 of 10 ms samples does not show. */
  lagMaxMs: number | undefined;
  machine: MinuteMachine | undefined;
}

const MINUTE_MS = 60_000;
const MIB = 1024 * 1024;

/** Collects the soak's observations by the minute they happened in (milliseconds since the load started). */
export class SoakRecorder {
  private readonly buckets: MinuteBucket[] = [];

  constructor(private readonly minutes: number) {}

  /** A finished request: its latency and whether it succeeded. */
  request(atMs: number, kind: RequestKind, latencyMs: number, ok: boolean): void {
    const bucket = this.bucket(atMs);
    if (bucket === undefined) return;
    bucket.latenciesMs[kind].push(latencyMs);
    if (!ok) bucket.failures++;
  }

  /** Events the exporter accepted in one ingest response. */
  events(atMs: number, accepted: number): void {
    const bucket = this.bucket(atMs);
    if (bucket !== undefined) bucket.events += accepted;
  }

  /** A server report line. */
  report(atMs: number, report: ProcessReport): void {
    this.bucket(atMs)?.reports.push(report);
  }

  /** The machine readings of minute `index` (0-based). */
  machine(index: number, machine: MinuteMachine): void {
    const bucket = this.bucket(index * MINUTE_MS);
    if (bucket !== undefined) bucket.machine = machine;
  }

  /** The cumulative drift evaluation count read off one scrape. */
  evaluations(atMs: number, cumulative: number): void {
    const bucket = this.bucket(atMs);
    if (bucket !== undefined) bucket.evaluations = cumulative;
  }

  /** One row per minute; a minute's evaluations are the growth of the cumulative count since the minute before. */
  rows(): MinuteRow[] {
    const rows: MinuteRow[] = [];
    let previousEvaluations = 0;
    for (let i = 0; i < this.minutes; i++) {
      const b = this.buckets[i] ?? emptyBucket();
      const last = b.reports[b.reports.length - 1];
      const cumulative = b.evaluations;
      rows.push({
        minute: i + 1,
        predictPerSecond: b.latenciesMs.predict.length / 60,
        eventsPerSecond: b.events / 60,
        predictP50Ms: percentile(b.latenciesMs.predict, 50),
        predictP99Ms: percentile(b.latenciesMs.predict, 99),
        ingestP99Ms: percentile(b.latenciesMs.ingest, 99),
        scrapeP99Ms: percentile(b.latenciesMs.scrape, 99),
        failures: b.failures,
        evaluations: cumulative === undefined ? undefined : cumulative - previousEvaluations,
        rssMiB: last === undefined ? undefined : last.rssBytes / MIB,
        heapUsedMiB: last === undefined ? undefined : last.heapUsedBytes / MIB,
        lagP99Ms: b.reports.length === 0 ? undefined : Math.max(...b.reports.map((r) => r.lagP99Ms)),
        lagMaxMs: b.reports.length === 0 ? undefined : Math.max(...b.reports.map((r) => r.lagMaxMs)),
        machine: b.machine,
      });
      if (cumulative !== undefined) previousEvaluations = cumulative;
    }
    return rows;
  }

  private bucket(atMs: number): MinuteBucket | undefined {
    const index = Math.floor(atMs / MINUTE_MS);
    // Before the load started or after its last minute (a straggling response): not part of any row.
    if (index < 0 || index >= this.minutes) return undefined;
    let bucket = this.buckets[index];
    if (bucket === undefined) {
      bucket = emptyBucket();
      this.buckets[index] = bucket;
    }
    return bucket;
  }
}

function emptyBucket(): MinuteBucket {
  const latenciesMs = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<RequestKind, number[]>;
  return { latenciesMs, failures: 0, events: 0, reports: [], evaluations: undefined, machine: undefined };
}

/** Nearest-rank percentile (0 < p <= 100) of a list; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** The soak targets: RSS may grow at most this share after warm-up, a p99 at most this share above minute 1's. */
export const SOAK_TARGETS = { rssGrowth: 0.1, p99Growth: 0.2 } as const;

/** One verdict against a soak target; `change` is a signed share, e.g. 0.04 for +4%. */
export interface SoakCheck {
  name: string;
  from: number;
  to: number;
  change: number;
  pass: boolean;
}

/**
 * The soak's verdicts. RSS: the last minute's against minute 2's (minute 1 is warm-up: the JIT,
 * the heap and the windows fill), needs 3 minutes or more. p99 (predict and ingest): the last
 * minute's against minute 1's; a p99 that fell is within target. Undefined where data is missing.
 */
export function soakChecks(rows: readonly MinuteRow[]): SoakCheck[] {
  const checks: SoakCheck[] = [];
  const first = rows[0];
  const second = rows[1];
  const last = rows[rows.length - 1];
  if (first === undefined || last === undefined) return checks;
  if (rows.length >= 3 && second?.rssMiB !== undefined && last.rssMiB !== undefined)
    checks.push(
      growthCheck('RSS growth after warm-up (minute 2 → last)', second.rssMiB, last.rssMiB, SOAK_TARGETS.rssGrowth),
    );
  checks.push(
    growthCheck('predict p99 (minute 1 → last)', first.predictP99Ms, last.predictP99Ms, SOAK_TARGETS.p99Growth),
  );
  checks.push(growthCheck('ingest p99 (minute 1 → last)', first.ingestP99Ms, last.ingestP99Ms, SOAK_TARGETS.p99Growth));
  return checks.filter((c) => Number.isFinite(c.change));
}

function growthCheck(name: string, from: number, to: number, limit: number): SoakCheck {
  const change = to / from - 1;
  return { name, from, to, change, pass: change <= limit };
}
