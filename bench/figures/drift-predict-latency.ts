/**
 * Drift figure 4: what a drift evaluation running in the exporter does to served predictions.
 * The full exporter on the demo spec with heavy drift settings (5,000-event window, KS on
 * every numeric feature), evaluating every second, against the same spec with evaluation
 * effectively off; wrk at a moderate paced load on the predict route. The figure is the
 * ratio of the p99 latencies; there is no target, it shows what the slicing leaves over.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext } from '../support/bench-context';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { demoPredictBodies } from '../support/demo-spec';
import { writeDriftDemoSpec } from '../support/drift-demo-spec';
import { median } from '../support/median';
import { runPacedWrk, type PacedLoadResult } from '../support/paced-wrk';
import { checkRun, num, row } from '../support/report';
import { scrapeMetricSum } from '../support/scrape-metric';

const WINDOW_SIZE = 5000;
const EVALUATE_EVERY_SECONDS = 1;
/** "Off": one evaluation a day, i.e. none during the figure; everything else is the same. */
const OFF_INTERVAL_SECONDS = 86_400;
/** Few connections, each pausing between requests: a steady load well below one core's capacity. */
const CONNECTIONS = 4;
const PAUSE_MS = 2;
const THREADS = 1;
/** Untimed load after each start: fills the 5,000-event window and warms the JIT. */
const WARMUP_SECONDS = 4;

interface Side {
  label: string;
  specFile: string;
}

/** One timed run of one side, with the evaluations that ran during it. */
interface SideRun {
  load: PacedLoadResult;
  evaluations: number;
  evaluationMs: number;
}

/** Median p99 of each side and their ratio, and the same for p99.9. */
export interface DriftPredictLatencyResult {
  onP99Ms: number;
  offP99Ms: number;
  ratio: number;
  onP999Ms: number;
  offP999Ms: number;
}

/** Runs drift figure 4 with `ctx.runs` alternating runs per side and prints its table; throws when a server fails or answers with errors. */
export async function runDriftPredictLatency(ctx: BenchContext): Promise<DriftPredictLatencyResult> {
  const settings = { windowSize: WINDOW_SIZE };
  const on = writeDriftDemoSpec(ctx.repoRoot, path.join(ctx.tmpDir, 'drift-on'), {
    ...settings,
    evaluationIntervalSeconds: EVALUATE_EVERY_SECONDS,
  });
  const off = writeDriftDemoSpec(ctx.repoRoot, path.join(ctx.tmpDir, 'drift-off'), {
    ...settings,
    evaluationIntervalSeconds: OFF_INTERVAL_SECONDS,
  });
  const bodiesFile = path.join(ctx.tmpDir, 'drift-predict-bodies.txt');
  writeFileSync(bodiesFile, `${demoPredictBodies(on.specFile).join('\n')}\n`);
  const route = `/v1/models/${on.model}/predict`;
  console.log(
    `\nFigure 4 — predict latency while drift evaluates: POST ${route}, ${CONNECTIONS} connections pausing ${PAUSE_MS} ms between requests, ` +
      `${ctx.runs} × ${ctx.durationSeconds} s per side alternating, each after a fresh start and ${WARMUP_SECONDS} s warm-up`,
  );
  console.log(
    `  both: demo spec, window ${num(WINDOW_SIZE)} events, drift_test ks (numeric) / chi2 (categorical); (on) evaluates every ${EVALUATE_EVERY_SECONDS} s, (off) every ${num(OFF_INTERVAL_SECONDS)} s`,
  );

  const sides: Side[] = [
    { label: 'off', specFile: off.specFile },
    { label: 'on', specFile: on.specFile },
  ];
  const results = new Map<string, SideRun[]>(sides.map((s) => [s.label, []]));
  console.log(
    `  ${row([
      ['run', -4],
      ['side', -5],
      ['req/s', 8],
      ['p50 ms', 8],
      ['p99 ms', 8],
      ['p99.9 ms', 9],
      ['max ms', 8],
      ['evaluations', 12],
      ['eval wall ms', 13],
    ])}`,
  );
  for (let run = 1; run <= ctx.runs; run++) {
    for (const side of sides) {
      const r = await runSide(ctx, side, route, bodiesFile);
      (results.get(side.label) as SideRun[]).push(r);
      console.log(
        `  ${row([
          [String(run), -4],
          [side.label, -5],
          [num(r.load.requestsPerSecond, 0), 8],
          [num(r.load.p50Ms, 2), 8],
          [num(r.load.p99Ms, 2), 8],
          [num(r.load.p999Ms, 2), 9],
          [num(r.load.maxMs, 1), 8],
          [String(r.evaluations), 12],
          [r.evaluations > 0 ? num(r.evaluationMs, 1) : '-', 13],
        ])}`,
      );
    }
  }
  const onRuns = results.get('on') as SideRun[];
  const offRuns = results.get('off') as SideRun[];
  if (onRuns.some((r) => r.evaluations < ctx.durationSeconds / 2))
    throw new Error(
      'drift figure 4: the "on" server evaluated less than every other second; the figure would not show evaluations',
    );
  const onP99Ms = median(onRuns.map((r) => r.load.p99Ms));
  const offP99Ms = median(offRuns.map((r) => r.load.p99Ms));
  const ratio = onP99Ms / offP99Ms;
  const onP999Ms = median(onRuns.map((r) => r.load.p999Ms));
  const offP999Ms = median(offRuns.map((r) => r.load.p999Ms));
  console.log(
    `  median p99: ${num(onP99Ms, 2)} ms evaluating vs ${num(offP99Ms, 2)} ms off = ${num(ratio, 2)}×   INFO (no target); ` +
      `p99.9 ${num(onP999Ms, 2)} vs ${num(offP999Ms, 2)} ms = ${num(onP999Ms / offP999Ms, 2)}×; p50 ${num(median(onRuns.map((r) => r.load.p50Ms)), 2)} vs ${num(median(offRuns.map((r) => r.load.p50Ms)), 2)} ms`,
  );
  const evaluationMs = median(onRuns.map((r) => r.evaluationMs));
  // A request waits only if it arrives during an evaluation slice: that share of the time is the share of requests it can touch.
  console.log(
    `  one evaluation ≈ ${num(evaluationMs, 1)} ms wall (mlwatch_drift_evaluation_seconds) per ${EVALUATE_EVERY_SECONDS} s, ` +
      `so about ${num((evaluationMs / (EVALUATE_EVERY_SECONDS * 1000)) * 100, 1)}% of requests can arrive while it runs`,
  );
  return { onP99Ms, offP99Ms, ratio, onP999Ms, offP999Ms };
}

/** Starts the side's exporter, warms it up, times one run and reads how many evaluations ran during it. */
async function runSide(ctx: BenchContext, side: Side, route: string, bodiesFile: string): Promise<SideRun> {
  let server: ChildServer | undefined;
  try {
    const port = await freePort();
    server = await startChildServer({
      name: `full exporter (drift ${side.label})`,
      script: path.join(ctx.serversDir, 'full-exporter.js'),
      args: [side.specFile, String(port)],
      port,
      cpu: ctx.serverCpu,
    });
    const load = (seconds: number): Promise<PacedLoadResult> =>
      runPacedWrk({
        url: `${(server as ChildServer).url}${route}`,
        bodiesFile,
        connections: CONNECTIONS,
        threads: THREADS,
        durationSeconds: seconds,
        cpu: ctx.loadCpu,
        pauseMs: PAUSE_MS,
      });
    await load(WARMUP_SECONDS);
    const before = await evaluationTotals(server);
    const result = await load(ctx.durationSeconds);
    const after = await evaluationTotals(server);
    checkRun(`drift ${side.label}`, result);
    const evaluations = after.count - before.count;
    return {
      load: result,
      evaluations,
      evaluationMs: evaluations > 0 ? ((after.seconds - before.seconds) / evaluations) * 1000 : 0,
    };
  } finally {
    await server?.stop();
  }
}

async function evaluationTotals(server: ChildServer): Promise<{ count: number; seconds: number }> {
  return {
    count: await scrapeMetricSum(server.url, 'mlwatch_drift_evaluation_seconds_count'),
    seconds: await scrapeMetricSum(server.url, 'mlwatch_drift_evaluation_seconds_sum'),
  };
}
