/**
 * Figure 2: how many ingested events one exporter core absorbs. The real exporter on a
 * 20-feature bench spec, loaded with one pre-built 1000-event batch; events/s is
 * requests/s × batch size. JSON.parse of the same body is timed alone for context.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext } from '../support/bench-context';
import { benchEvents, writeBenchSpec } from '../support/bench-spec';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import type { LoadResult } from '../support/load-generator';
import { median } from '../support/median';
import { checkRun, num, row, verdict } from '../support/report';

/** Events per second one exporter core must ingest. */
export const INGEST_EVENTS_TARGET = 150_000;
/** Events per request body. */
export const BATCH_SIZE = 1000;
const ROUTE = '/v1/events/predictions';
/** A few connections keep a request queued at the server; more would only queue longer. */
const CONNECTIONS = 4;
const THREADS = 1;
const SEED = 20250602;
const PARSE_WARMUP = 30;
const PARSE_REPS = 300;

/** Per-run results, the median in events/s, and the parse-only context. */
export interface BatchIngestResult {
  runs: LoadResult[];
  medianEventsPerSecond: number;
  parseMsPerBody: number;
  pass: boolean;
}

/** Runs figure 2 and prints its table; throws when the exporter does not accept the whole batch. */
export async function runBatchIngest(ctx: BenchContext): Promise<BatchIngestResult> {
  const specFile = writeBenchSpec(ctx.tmpDir, Math.max(10_000, BATCH_SIZE));
  const body = JSON.stringify({ events: benchEvents(BATCH_SIZE, SEED) });
  const bodiesFile = path.join(ctx.tmpDir, 'ingest-body.txt');
  writeFileSync(bodiesFile, `${body}\n`);

  console.log(
    `\nFigure 2 — batch ingest: POST ${ROUTE}, ${BATCH_SIZE} events of 20 features per body (${num(body.length / 1024, 0)} KiB), ` +
      `${CONNECTIONS} connections, ${ctx.runs} × ${ctx.durationSeconds} s after ${ctx.warmupSeconds} s warm-up`,
  );
  console.log('  full exporter on the bench spec: ingest-only, log sampling ingest 0.01, stdout log off, file log on');
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
    await loadOnce(ctx, server, bodiesFile, ctx.warmupSeconds);

    const runs: LoadResult[] = [];
    console.log(`  ${row([['run', -4], ['req/s', 8], ['events/s', 10], ['p50 ms', 8], ['p99 ms', 8]])}`);
    for (let run = 1; run <= ctx.runs; run++) {
      const result = await loadOnce(ctx, server, bodiesFile, ctx.durationSeconds);
      checkRun(`ingest run ${run}`, result);
      runs.push(result);
      console.log(`  ${row([[String(run), -4], [num(result.requestsPerSecond, 1), 8], [num(result.requestsPerSecond * BATCH_SIZE, 0), 10], [num(result.p50Ms, 2), 8], [num(result.p99Ms, 2), 8]])}`);
    }
    const medianEventsPerSecond = median(runs.map((r) => r.requestsPerSecond)) * BATCH_SIZE;
    const pass = medianEventsPerSecond >= INGEST_EVENTS_TARGET;
    const msPerBatch = (BATCH_SIZE / medianEventsPerSecond) * 1000;
    console.log(`  median: ${num(medianEventsPerSecond, 0)} events/s, p99 ${num(median(runs.map((r) => r.p99Ms)), 2)} ms   ${verdict(num(medianEventsPerSecond, 0), num(INGEST_EVENTS_TARGET, 0), pass)}`);
    console.log(`  server time per batch ≈ ${num(msPerBatch, 2)} ms, of which JSON.parse ≈ ${num(parseMs, 2)} ms (${num((parseMs / msPerBatch) * 100, 0)}%)`);
    return { runs, medianEventsPerSecond, parseMsPerBody: parseMs, pass };
  } finally {
    await server?.stop();
  }
}

function loadOnce(ctx: BenchContext, server: ChildServer, bodiesFile: string, seconds: number): Promise<LoadResult> {
  return ctx.load.run({ url: `${server.url}${ROUTE}`, bodiesFile, connections: CONNECTIONS, threads: THREADS, durationSeconds: seconds, cpu: ctx.loadCpu });
}

/** One POST before timing: every event must be accepted, or the figure would count refusals. */
async function checkAccepted(server: ChildServer, body: string): Promise<void> {
  const response = await fetch(`${server.url}${ROUTE}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  const parsed = response.status === 200 ? (JSON.parse(text) as { accepted?: unknown; rejected?: unknown }) : undefined;
  const ok = parsed !== undefined && parsed.accepted === BATCH_SIZE && Array.isArray(parsed.rejected) && parsed.rejected.length === 0;
  if (!ok) throw new Error(`POST ${ROUTE} answered ${response.status} ${text.slice(0, 500)}; expected {"accepted":${BATCH_SIZE},"rejected":[]}`);
  console.log(`  check: one POST → ${text}`);
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
