/**
 * The soak: the full exporter on the worked example under steady, paced predict and ingest
 * load for N minutes, with drift evaluated every few seconds, a /metrics scrape every second
 * and a drift report now and then. Prints one row per minute (throughput, client-side
 * latency, server RSS, heap and event-loop delay) and the verdicts against the soak targets.
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DriftReport } from '../../drift/src/engine/drift-report';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { parseProcessReport, REPORT_ENV } from '../support/process-report';
import { startPacedStream, type PacedStream } from '../support/paced-stream';
import { mainThreadRunQueueSeconds, processCpuSeconds } from '../support/process-cpu';
import { num, row } from '../support/report';
import { sumMetric } from '../support/scrape-metric';
import { SoakRecorder, soakChecks, SOAK_TARGETS, type MinuteRow, type RequestKind } from '../support/soak-minutes';
import { prepareSoakWorkload, type SoakWorkload } from '../support/soak-workload';

/** What the soak is asked to do. */
export interface SoakOptions {
  repoRoot: string;
  tmpDir: string;
  serversDir: string;
  serverCpu: number;
  minutes: number;
  /** Predict requests per second. */
  predictRate: number;
  /** Ingest batches per second. */
  ingestRate: number;
  /** Events per ingest batch. */
  batch: number;
}

/** How often the drift monitor evaluates: many evaluations per minute, as a soak should see. */
const EVALUATION_INTERVAL_SECONDS = 5;
/** Server report interval: six readings a minute. */
const REPORT_INTERVAL_MS = 10_000;
/** Prometheus-like scrapes, and a drift report every ten seconds. */
const SCRAPE_RATE = 1;
const DRIFT_REPORT_RATE = 0.1;
/** A request that takes longer than this failed. */
const REQUEST_TIMEOUT_MS = 10_000;
const EVALUATIONS_METRIC = 'mlwatch_drift_evaluation_seconds_count';

const COLUMNS: ReadonlyArray<[string, number]> = [
  ['min', 3],
  ['predict/s', 9],
  ['events/s', 9],
  ['p50 pred', 8],
  ['p99 pred', 8],
  ['p99 ingest', 10],
  ['p99 scrape', 10],
  ['fail', 4],
  ['evals', 5],
  ['RSS MiB', 7],
  ['heap MiB', 8],
  ['lag p99', 7],
  ['lag max', 7],
  ['cpu %', 5],
  ['runq', 5],
  ['client p99/max', 14],
];

/** Runs the soak and prints its table and verdicts; throws when the server does not start or does not answer correctly before the load. */
export async function runSoak(options: SoakOptions): Promise<void> {
  const workload = prepareSoakWorkload(
    options.repoRoot,
    path.join(options.tmpDir, 'soak'),
    EVALUATION_INTERVAL_SECONDS,
  );
  const recorder = new SoakRecorder(options.minutes);
  let loadStart: number | undefined;
  const port = await freePort();
  const server = await startChildServer({
    name: 'full exporter',
    script: path.join(options.serversDir, 'full-exporter.js'),
    args: [workload.specFile, String(port)],
    port,
    cpu: options.serverCpu,
    env: { ...workload.serverEnv, [REPORT_ENV]: String(REPORT_INTERVAL_MS) },
    onStderrLine: (line) => {
      const report = parseProcessReport(line);
      if (report !== undefined && loadStart !== undefined) recorder.report(performance.now() - loadStart, report);
    },
  });
  try {
    const client = soakClient(server, workload);
    await client.check(options.batch);
    console.log(
      `\nSoak — ${options.minutes} min: POST ${client.predictPath} at ${num(options.predictRate)}/s, ` +
        `POST /v1/events/predictions ${num(options.ingestRate, 1)} batches/s × ${num(options.batch)} events, ` +
        `GET /metrics every ${1 / SCRAPE_RATE} s, GET drift report every ${1 / DRIFT_REPORT_RATE} s; ` +
        `drift evaluated every ${EVALUATION_INTERVAL_SECONDS} s; tokens on; server pid ${server.pid} on CPU ${options.serverCpu}`,
    );
    console.log(
      "  latencies in ms, client side; RSS and heap at the minute's last server reading; lag p99 / max: the server's event-loop delay (ms; the worst 10 s p99, the longest stall);",
    );
    console.log(
      "  cpu %: the server's CPU time; runq: ms per second its event loop waited for CPU 0 (other work); client p99/max: this process's event-loop delay (ms)",
    );
    console.log(`  ${row(COLUMNS)}`);
    const start = performance.now();
    loadStart = start;
    const record =
      (kind: RequestKind) =>
      (latencyMs: number, ok: boolean): void =>
        recorder.request(performance.now() - start, kind, latencyMs, ok);
    const streams: Record<RequestKind, PacedStream> = {
      predict: startPacedStream(options.predictRate, 64, () => client.predict(record('predict'))),
      ingest: startPacedStream(options.ingestRate, 8, () =>
        client.ingest(options.batch, record('ingest'), (n) => recorder.events(performance.now() - start, n)),
      ),
      scrape: startPacedStream(SCRAPE_RATE, 2, () =>
        client.scrape(record('scrape'), (n) => recorder.evaluations(performance.now() - start, n)),
      ),
      drift: startPacedStream(DRIFT_REPORT_RATE, 2, () => client.driftReport(record('drift'))),
    };
    const clientLag = monitorEventLoopDelay({ resolution: 10 });
    clientLag.enable();
    let cpu = processCpuSeconds(server.pid);
    let runQueue = mainThreadRunQueueSeconds(server.pid);
    let readAt = performance.now();
    for (let minute = 1; minute <= options.minutes; minute++) {
      // Half a second past the minute, so the minute's last responses and server reading are in.
      await sleep(start + minute * 60_000 + 500 - performance.now());
      const [cpuNow, runQueueNow, now] = [
        processCpuSeconds(server.pid),
        mainThreadRunQueueSeconds(server.pid),
        performance.now(),
      ];
      const seconds = (now - readAt) / 1000;
      recorder.machine(minute - 1, {
        serverCpuPercent: ((cpuNow - cpu) / seconds) * 100,
        serverRunQueueMsPerSecond: ((runQueueNow - runQueue) / seconds) * 1000,
        clientLagP99Ms: clientLag.percentile(99) / 1e6,
        clientLagMaxMs: clientLag.max / 1e6,
      });
      [cpu, runQueue, readAt] = [cpuNow, runQueueNow, now];
      clientLag.reset();
      const r = recorder.rows()[minute - 1];
      if (r !== undefined) console.log(`  ${formatRow(r)}`);
    }
    clientLag.disable();
    await Promise.all(Object.values(streams).map((s) => s.stop()));
    const skipped = Object.entries(streams).filter(([, s]) => s.skipped > 0);
    if (skipped.length > 0)
      console.log(`  starts skipped at the in-flight cap: ${skipped.map(([k, s]) => `${k} ${s.skipped}`).join(', ')}`);
    console.log(`  last drift report: ${client.lastDriftStatus()}`);
    printVerdicts(recorder.rows());
  } finally {
    await server.stop();
  }
}

function formatRow(r: MinuteRow): string {
  const ms = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? '-' : num(v, 1));
  return row([
    [String(r.minute), 3],
    [num(r.predictPerSecond, 0), 9],
    [num(r.eventsPerSecond, 0), 9],
    [ms(r.predictP50Ms), 8],
    [ms(r.predictP99Ms), 8],
    [ms(r.ingestP99Ms), 10],
    [ms(r.scrapeP99Ms), 10],
    [String(r.failures), 4],
    [r.evaluations === undefined ? '-' : String(r.evaluations), 5],
    [ms(r.rssMiB), 7],
    [ms(r.heapUsedMiB), 8],
    [ms(r.lagP99Ms), 7],
    [ms(r.lagMaxMs), 7],
    [r.machine === undefined ? '-' : num(r.machine.serverCpuPercent, 0), 5],
    [r.machine === undefined ? '-' : num(r.machine.serverRunQueueMsPerSecond, 0), 5],
    [r.machine === undefined ? '-' : `${num(r.machine.clientLagP99Ms, 0)} / ${num(r.machine.clientLagMaxMs, 0)}`, 14],
  ]);
}

function printVerdicts(rows: readonly MinuteRow[]): void {
  const checks = soakChecks(rows);
  const targets = { rss: `<= +${SOAK_TARGETS.rssGrowth * 100}%`, p99: `<= +${SOAK_TARGETS.p99Growth * 100}%` };
  console.log('\nVerdicts (targets next to the figures; a benchmark reports, it does not fail the run):');
  if (rows.length < 3) console.log('  RSS growth after warm-up: n/a (minute 1 is warm-up; needs --minutes 3 or more)');
  for (const c of checks) {
    const unit = c.name.startsWith('RSS') ? 'MiB' : 'ms';
    const target = c.name.startsWith('RSS') ? targets.rss : targets.p99;
    const change = `${c.change >= 0 ? '+' : ''}${num(c.change * 100, 1)}%`;
    console.log(
      `  ${c.pass ? 'PASS' : 'MISS'}  ${c.name.padEnd(44)} ${num(c.from, 1)} → ${num(c.to, 1)} ${unit}: ${change} (target ${target})`,
    );
  }
  const rss = rows.map((r) => r.rssMiB).filter((v): v is number => v !== undefined);
  if (rss.length > 0) console.log(`  INFO  peak RSS at a minute's end: ${num(Math.max(...rss), 1)} MiB`);
  console.log(
    `  INFO  load average (1, 5, 15 min) at the end: ${loadavg()
      .map((v) => num(v, 2))
      .join(', ')}`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

type Done = (latencyMs: number, ok: boolean) => void;

/** The soak's requests against one server, each timed from send to the last byte of the response. */
function soakClient(server: ChildServer, workload: SoakWorkload) {
  const write = { authorization: `Bearer ${workload.tokens.write}`, 'content-type': 'application/json' };
  const read = { authorization: `Bearer ${workload.tokens.read}` };
  const predictPath = `/v1/models/${workload.model}/predict`;
  const driftPath = `/v1/models/${workload.model}/drift`;
  let predictIndex = 0;
  let driftStatus = 'none';

  async function timed(url: string, init: RequestInit, done: Done): Promise<string | undefined> {
    const sent = performance.now();
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const text = await response.text();
      done(performance.now() - sent, response.ok);
      return response.ok ? text : undefined;
    } catch {
      done(performance.now() - sent, false);
      return undefined;
    }
  }

  return {
    predictPath,
    predict: async (done: Done): Promise<void> => {
      const body = workload.predictBodies[predictIndex++ % workload.predictBodies.length];
      await timed(`${server.url}${predictPath}`, { method: 'POST', headers: write, body }, done);
    },
    ingest: async (size: number, done: Done, accepted: (n: number) => void): Promise<void> => {
      const text = await timed(
        `${server.url}/v1/events/predictions`,
        { method: 'POST', headers: write, body: workload.nextBatch(size) },
        done,
      );
      if (text !== undefined) accepted((JSON.parse(text) as { accepted?: number }).accepted ?? 0);
    },
    scrape: async (done: Done, evaluations: (n: number) => void): Promise<void> => {
      const text = await timed(`${server.url}/metrics`, { headers: read }, done);
      const count = text === undefined ? undefined : sumMetric(text, EVALUATIONS_METRIC);
      if (count !== undefined) evaluations(count);
    },
    driftReport: async (done: Done): Promise<void> => {
      const text = await timed(`${server.url}${driftPath}`, { headers: read }, done);
      if (text !== undefined) driftStatus = describeDrift(text);
    },
    lastDriftStatus: (): string => driftStatus,
    /** One of each request, answered as expected, before anything is timed. */
    check: async (batch: number): Promise<void> => {
      const expect = async (what: string, url: string, init: RequestInit): Promise<string> => {
        const response = await fetch(url, init);
        const text = await response.text();
        if (response.status !== 200) throw new Error(`${what}: ${response.status} ${text.slice(0, 300)}`);
        return text;
      };
      await expect('predict', `${server.url}${predictPath}`, {
        method: 'POST',
        headers: write,
        body: workload.predictBodies[0],
      });
      const ingest = await expect('ingest', `${server.url}/v1/events/predictions`, {
        method: 'POST',
        headers: write,
        body: workload.nextBatch(batch),
      });
      const accepted = (JSON.parse(ingest) as { accepted?: number }).accepted;
      if (accepted !== batch)
        throw new Error(`ingest: accepted ${String(accepted)} of ${batch} events: ${ingest.slice(0, 300)}`);
      const metrics = await expect('metrics', `${server.url}/metrics`, { headers: read });
      if (sumMetric(metrics, EVALUATIONS_METRIC) === undefined)
        throw new Error(`/metrics has no ${EVALUATIONS_METRIC}`);
      await expect('drift report', `${server.url}${driftPath}`, { headers: read });
    },
  };
}

/** The drift report in a few words: its status, window and drifted features. */
function describeDrift(text: string): string {
  const r = JSON.parse(text) as Partial<
    Pick<DriftReport, 'status' | 'window_size' | 'features_drifted' | 'features_tested' | 'evaluated_at'>
  >;
  return `status ${String(r.status)}, window ${String(r.window_size)} events, ${String(r.features_drifted)} of ${String(r.features_tested)} features drifted (evaluated ${String(r.evaluated_at)})`;
}
