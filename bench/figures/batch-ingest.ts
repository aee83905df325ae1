/**
 * Figure 2: how many ingested events one exporter core absorbs. The real exporter on a
 * 20-feature bench spec with a reference sample, so drift is on (fleet bins, windows, the
 * drift monitor), loaded with one pre-built 1000-event batch; events/s is requests/s ×
 * batch size. JSON.parse of the same body is timed alone for context. The drift benchmark
 * runs the same figure as its figure 3.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { exporterSchema } from '../../spec/src/schema';
import type { BenchContext } from '../support/bench-context';
import { BENCH_MODEL, benchEvents, writeBenchSpec } from '../support/bench-spec';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import type { LoadResult } from '../support/load-generator';
import { median } from '../support/median';
import { processCpuSeconds } from '../support/process-cpu';
import { checkRun, num, row, verdict } from '../support/report';
import { scrapeMetricSum } from '../support/scrape-metric';

/** Events per second one exporter core must ingest. */
export const INGEST_EVENTS_TARGET = 200_000;
/** Events per request body. */
export const BATCH_SIZE = 1000;
const ROUTE = '/v1/events/predictions';
/** A few connections keep a request queued at the server; more would only queue longer. */
const CONNECTIONS = 4;
const THREADS = 1;
const SEED = 20250602;
/**
 * Prediction ids the exporter remembers by default (`exporter.recent_ids.capacity`): a body sent again
 * within that many events would be all duplicates, so wrk cycles through enough distinct bodies.
 */
const RECENT_IDS = exporterSchema.parse({}).recent_ids.capacity;
/**
 * Distinct bodies (each the same events under new ids): every id is evicted before its body comes round
 * again. The server finishes bodies out of the order wrk sent them (a body waits while the others'
 * connections go on), so a body's repeat may follow fewer than a cycle of other bodies: the margin of 8
 * (two per connection) let a faster exporter see a body again before its ids were evicted, 1,000-3,000
 * duplicates in about half the runs; 8 per connection has left none.
 */
const DISTINCT_BODIES = Math.ceil(RECENT_IDS / BATCH_SIZE) + 8 * CONNECTIONS;
const PARSE_WARMUP = 30;
const PARSE_REPS = 300;

/** Per-run results, the median in events/s, and the parse-only context. */
export interface BatchIngestResult {
  runs: LoadResult[];
  medianEventsPerSecond: number;
  parseMsPerBody: number;
  /** The median as a share of the parse-only ceiling measured in the same run. */
  shareOfParseCeiling: number;
  /** Events per second of server CPU time (median over runs): the figure without other work on the core. */
  medianEventsPerCpuSecond: number;
  pass: boolean;
}

/**
 * Runs the figure (titled `figure`: it is figure 2 of the HTTP bench, figure 3 of the drift bench) and
 * prints its table; throws when the exporter does not accept the whole batch or drift was not evaluated.
 */
export async function runBatchIngest(ctx: BenchContext, figure = 'Figure 2'): Promise<BatchIngestResult> {
  const specFile = writeBenchSpec(ctx.tmpDir, Math.max(10_000, BATCH_SIZE));
  const events = benchEvents(BATCH_SIZE, SEED);
  // Ids 0 are the check's; each wrk run (a new process, which starts again at the first body) gets
  // bodies of its own, so no id is seen twice during the figure.
  const body = JSON.stringify({ events: withIds(events, 0) });
  const bodiesFile = path.join(ctx.tmpDir, 'ingest-body.txt');
  const writeBodies = (round: number): void => {
    const first = 1 + round * DISTINCT_BODIES;
    const bodies = Array.from({ length: DISTINCT_BODIES }, (_, k) =>
      JSON.stringify({ events: withIds(events, first + k) }),
    );
    writeFileSync(bodiesFile, `${bodies.join('\n')}\n`);
  };

  console.log(
    `\n${figure} — batch ingest: POST ${ROUTE}, ${BATCH_SIZE} events of 20 features per body (${num(body.length / 1024, 0)} KiB), ` +
      `${CONNECTIONS} connections, ${ctx.runs} × ${ctx.durationSeconds} s after ${ctx.warmupSeconds} s warm-up`,
  );
  console.log(
    '  full exporter on the bench spec: ingest-only, drift on (reference profile of 5,000 rows, fleet bins, 2,000-event window, evaluation every 5 s), ' +
      'log sampling ingest 0.01, stdout log off, file log on',
  );
  const parseMs = timeJsonParse(body);
  console.log(
    `  context: JSON.parse alone on this body: ${num(parseMs, 3)} ms (median of ${PARSE_REPS}) = ${num((parseMs * 1000) / BATCH_SIZE, 2)} µs/event ` +
      `→ parse-only ceiling ${num((BATCH_SIZE / parseMs) * 1000, 0)} events/s on one core`,
  );

  let server: ChildServer | undefined;
  try {
    const port = await freePort();
    server = await startChildServer({
      name: 'full exporter (ingest)',
      script: path.join(ctx.serversDir, 'full-exporter.js'),
      args: [specFile, String(port)],
      port,
      cpu: ctx.serverCpu,
      nodeArgs: ctx.serverNodeArgs,
    });
    await checkAccepted(server, body);
    writeBodies(0);
    await loadOnce(ctx, server, bodiesFile, ctx.warmupSeconds);

    const runs: LoadResult[] = [];
    console.log(
      `  ${row([
        ['run', -4],
        ['req/s', 8],
        ['events/s', 10],
        ['p50 ms', 8],
        ['p99 ms', 8],
        ['server CPU ms/batch', 20],
      ])}`,
    );
    const cpuMsPerBatch: number[] = [];
    for (let run = 1; run <= ctx.runs; run++) {
      writeBodies(run);
      const cpuBefore = processCpuSeconds(server.pid);
      const result = await loadOnce(ctx, server, bodiesFile, ctx.durationSeconds);
      const cpuMs = ((processCpuSeconds(server.pid) - cpuBefore) * 1000) / result.requests;
      checkRun(`ingest run ${run}`, result);
      runs.push(result);
      cpuMsPerBatch.push(cpuMs);
      console.log(
        `  ${row([
          [String(run), -4],
          [num(result.requestsPerSecond, 1), 8],
          [num(result.requestsPerSecond * BATCH_SIZE, 0), 10],
          [num(result.p50Ms, 2), 8],
          [num(result.p99Ms, 2), 8],
          [num(cpuMs, 2), 20],
        ])}`,
      );
    }
    const medianEventsPerSecond = median(runs.map((r) => r.requestsPerSecond)) * BATCH_SIZE;
    const pass = medianEventsPerSecond >= INGEST_EVENTS_TARGET;
    const msPerBatch = (BATCH_SIZE / medianEventsPerSecond) * 1000;
    // The same ratio as parse time over server time per batch: 1 would be an endpoint that costs only its JSON.parse.
    const shareOfParseCeiling = parseMs / msPerBatch;
    const medianCpuMs = median(cpuMsPerBatch);
    const medianEventsPerCpuSecond = (BATCH_SIZE / medianCpuMs) * 1000;
    console.log(
      `  median: ${num(medianEventsPerSecond, 0)} events/s = ${num(shareOfParseCeiling, 2)} of the parse-only ceiling, ` +
        `p99 ${num(median(runs.map((r) => r.p99Ms)), 2)} ms   ${verdict(num(medianEventsPerSecond, 0), num(INGEST_EVENTS_TARGET, 0), pass)}`,
    );
    console.log(
      `  server time per batch ≈ ${num(msPerBatch, 2)} ms, of which JSON.parse ≈ ${num(parseMs, 2)} ms (${num(shareOfParseCeiling * 100, 0)}%)`,
    );
    // Wall-clock throughput falls when other work shares the server's core; CPU time per batch does not.
    console.log(
      `  server CPU time per batch (median) ≈ ${num(medianCpuMs, 2)} ms → ${num(medianEventsPerCpuSecond, 0)} events per CPU-second, ` +
        `${num(parseMs / medianCpuMs, 2)} of the parse-only ceiling (drift evaluations and GC threads included)`,
    );
    await checkDriftOn(server);
    await checkNoDuplicates(server);
    return {
      runs,
      medianEventsPerSecond,
      parseMsPerBody: parseMs,
      shareOfParseCeiling,
      medianEventsPerCpuSecond,
      pass,
    };
  } finally {
    await server?.stop();
  }
}

/** `events` with the last 8 hex digits of each prediction id replaced by `k`: the same events, new ids. */
function withIds(events: readonly Record<string, unknown>[], k: number): Record<string, unknown>[] {
  const suffix = k.toString(16).padStart(8, '0');
  return events.map((event) => ({
    ...event,
    prediction_id: `${String(event['prediction_id']).slice(0, 28)}${suffix}`,
  }));
}

function loadOnce(ctx: BenchContext, server: ChildServer, bodiesFile: string, seconds: number): Promise<LoadResult> {
  return ctx.load.run({
    url: `${server.url}${ROUTE}`,
    bodiesFile,
    connections: CONNECTIONS,
    threads: THREADS,
    durationSeconds: seconds,
    cpu: ctx.loadCpu,
  });
}

/** One POST before timing: every event must be accepted, or the figure would count refusals. */
async function checkAccepted(server: ChildServer, body: string): Promise<void> {
  const response = await fetch(`${server.url}${ROUTE}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  const parsed =
    response.status === 200
      ? (JSON.parse(text) as { accepted?: unknown; duplicates?: unknown; rejected?: unknown })
      : undefined;
  const ok =
    parsed !== undefined &&
    parsed.accepted === BATCH_SIZE &&
    parsed.duplicates === 0 &&
    Array.isArray(parsed.rejected) &&
    parsed.rejected.length === 0;
  if (!ok)
    throw new Error(
      `POST ${ROUTE} answered ${response.status} ${text.slice(0, 500)}; expected {"accepted":${BATCH_SIZE},"duplicates":0,"rejected":[]}`,
    );
  console.log(`  check: one POST → ${text}`);
}

/** After the runs: no event may have been a duplicate, or the figure measured retries, which cost less than events. */
async function checkNoDuplicates(server: ChildServer): Promise<void> {
  const duplicates = await scrapeMetricSum(server.url, 'mlwatch_duplicate_events_total');
  if (duplicates > 0)
    throw new Error(
      `${duplicates} events were duplicates: the bodies repeat within exporter.recent_ids.capacity (${RECENT_IDS})`,
    );
  console.log(`  duplicate check: 0 duplicate events (${DISTINCT_BODIES} distinct bodies cycled)`);
}

/** After the runs: the model must have a drift verdict on a full window, or the figure measured ingest without drift. */
async function checkDriftOn(server: ChildServer): Promise<void> {
  // Read before the report: GET …/drift evaluates on the spot when no scheduled evaluation has run yet.
  const evaluations = await scrapeMetricSum(server.url, 'mlwatch_drift_evaluation_seconds_count');
  const response = await fetch(`${server.url}/v1/models/${BENCH_MODEL}/drift`);
  const text = await response.text();
  const report =
    response.status === 200
      ? (JSON.parse(text) as {
          status?: unknown;
          window_size?: unknown;
          features_tested?: unknown;
          features_drifted?: unknown;
        })
      : undefined;
  if (report?.status !== 'ok') {
    throw new Error(
      `drift was not on during the figure: GET /v1/models/${BENCH_MODEL}/drift answered ${response.status} ${text.slice(0, 300)}`,
    );
  }
  console.log(
    `  drift check: ${evaluations} scheduled evaluations during the figure; latest report: status ok, window ${String(report.window_size)} events, ` +
      `${String(report.features_tested)} features tested, ${String(report.features_drifted)} drifted`,
  );
  if (evaluations === 0)
    console.log(
      '  warning: no scheduled evaluation ran during the timed runs (they were shorter than the evaluation interval)',
    );
}

/** Median wall time of JSON.parse on `body`, in milliseconds. */
function timeJsonParse(body: string): number {
  let sink = 0;
  for (let i = 0; i < PARSE_WARMUP; i++) sink += (JSON.parse(body) as { events: unknown[] }).events.length;
  const times: number[] = [];
  for (let i = 0; i < PARSE_REPS; i++) {
    const started = process.hrtime.bigint();
    sink += (JSON.parse(body) as { events: unknown[] }).events.length;
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  // Using the result keeps the parse from being optimised away.
  if (sink === 0) throw new Error('JSON.parse returned no events');
  return median(times);
}
