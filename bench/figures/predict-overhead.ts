/**
 * Figure 1: what monitoring costs a served prediction. The same demo model behind a bare
 * express app (a), behind the full exporter with the spec's log sampling (b), and behind
 * the full exporter logging every prediction (c), loaded in turn over loopback with the
 * same connections; the ratio of median throughputs b/a is the figure, c/a is shown beside it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext } from '../support/bench-context';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { demoPredictBodies, writeDemoSpecCopy } from '../support/demo-spec';
import type { LoadResult } from '../support/load-generator';
import { median } from '../support/median';
import { checkRun, num, row, verdict } from '../support/report';

/** The exporter must keep at least this share of the bare app's throughput. */
export const PREDICT_RATIO_TARGET = 0.9;
/** Keep-alive connections per run: enough to keep one core busy, as a model server's clients would. */
const CONNECTIONS = 32;
const THREADS = 1;
/** Fields a predict response carries, in both servers. */
const RESPONSE_FIELDS = 'class,confidence,latency_ms,model,prediction_id,probabilities,version';

/** Per-run results of both sides, their medians, and the ratio against the target. */
export interface PredictOverheadResult {
  bare: LoadResult[];
  exporter: LoadResult[];
  fullLog: LoadResult[];
  medianBareRps: number;
  medianExporterRps: number;
  ratio: number;
  fullLogRatio: number;
  pass: boolean;
}

/** Runs figure 1 and prints its table; throws when a server fails to start or answers with errors. */
export async function runPredictOverhead(ctx: BenchContext): Promise<PredictOverheadResult> {
  const demo = writeDemoSpecCopy(ctx.repoRoot, ctx.tmpDir);
  const everyPrediction = writeDemoSpecCopy(ctx.repoRoot, path.join(ctx.tmpDir, 'full-log'), { predictSampleRate: 1 });
  const bodies = demoPredictBodies(demo.specFile);
  const bodiesFile = path.join(ctx.tmpDir, 'predict-bodies.txt');
  writeFileSync(bodiesFile, `${bodies.join('\n')}\n`);
  const route = `/v1/models/${demo.model}/predict`;

  console.log(
    `\nFigure 1 — predict overhead: POST ${route}, ${CONNECTIONS} connections, ${THREADS} thread, ` +
      `${ctx.runs} × ${ctx.durationSeconds} s per side alternating, after ${ctx.warmupSeconds} s warm-up each`,
  );
  console.log('  (a) bare express 5 + the same model, no monitoring');
  console.log(
    `  (b) full exporter, the spec's sampling (predict ${demo.predictSampleRate}), stdout prediction log on, sent to /dev/null`,
  );
  console.log('  (c) full exporter logging every prediction (predict 1.0), otherwise as (b)');
  console.log(`  ${bodies.length} distinct request bodies from the reference sample, cycled`);

  const servers: ChildServer[] = [];
  try {
    const barePort = await freePort();
    const bare = await startChildServer({
      name: '(a) bare express',
      script: path.join(ctx.serversDir, 'bare-express.js'),
      args: [String(barePort), demo.artifacts.v1, demo.artifacts.v2],
      port: barePort,
      cpu: ctx.serverCpu,
      nodeArgs: ctx.serverNodeArgs,
    });
    servers.push(bare);
    const exporterPort = await freePort();
    const exporter = await startChildServer({
      name: '(b) full exporter',
      script: path.join(ctx.serversDir, 'full-exporter.js'),
      args: [demo.specFile, String(exporterPort)],
      port: exporterPort,
      cpu: ctx.serverCpu,
      nodeArgs: ctx.serverNodeArgs,
    });
    servers.push(exporter);
    const fullLogPort = await freePort();
    servers.push(
      await startChildServer({
        name: '(c) every prediction',
        script: path.join(ctx.serversDir, 'full-exporter.js'),
        args: [everyPrediction.specFile, String(fullLogPort)],
        port: fullLogPort,
        cpu: ctx.serverCpu,
        nodeArgs: ctx.serverNodeArgs,
      }),
    );

    for (const server of servers) await checkResponse(server, route, bodies[0] as string);
    for (const server of servers) await loadOnce(ctx, server, route, bodiesFile, ctx.warmupSeconds);

    const results: LoadResult[][] = servers.map(() => []);
    console.log(
      `  ${row([
        ['run', -4],
        ['side', -18],
        ['req/s', 10],
        ['p50 ms', 8],
        ['p99 ms', 8],
      ])}`,
    );
    for (let run = 1; run <= ctx.runs; run++) {
      for (const [side, server] of servers.entries()) {
        const result = await loadOnce(ctx, server, route, bodiesFile, ctx.durationSeconds);
        checkRun(`${server.name} run ${run}`, result);
        results[side]?.push(result);
        console.log(
          `  ${row([
            [String(run), -4],
            [server.name, -18],
            [num(result.requestsPerSecond, 0), 10],
            [num(result.p50Ms, 2), 8],
            [num(result.p99Ms, 2), 8],
          ])}`,
        );
      }
    }
    return summarise(results[0] ?? [], results[1] ?? [], results[2] ?? []);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

function loadOnce(
  ctx: BenchContext,
  server: ChildServer,
  route: string,
  bodiesFile: string,
  seconds: number,
): Promise<LoadResult> {
  return ctx.load.run({
    url: `${server.url}${route}`,
    bodiesFile,
    connections: CONNECTIONS,
    threads: THREADS,
    durationSeconds: seconds,
    cpu: ctx.loadCpu,
  });
}

/** One request before timing: both servers must answer 200 with the same response fields. */
async function checkResponse(server: ChildServer, route: string, body: string): Promise<void> {
  const response = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  const fields =
    response.status === 200
      ? Object.keys(JSON.parse(text) as object)
          .sort()
          .join(',')
      : '';
  if (fields !== RESPONSE_FIELDS) {
    throw new Error(
      `${server.name}: POST ${route} answered ${response.status} with ${text.slice(0, 300)}; expected 200 with fields ${RESPONSE_FIELDS}`,
    );
  }
}

function summarise(bare: LoadResult[], exporter: LoadResult[], fullLog: LoadResult[]): PredictOverheadResult {
  const medianBareRps = median(bare.map((r) => r.requestsPerSecond));
  const medianExporterRps = median(exporter.map((r) => r.requestsPerSecond));
  const medianFullLogRps = median(fullLog.map((r) => r.requestsPerSecond));
  const ratio = medianExporterRps / medianBareRps;
  const fullLogRatio = medianFullLogRps / medianBareRps;
  const pass = ratio >= PREDICT_RATIO_TARGET;
  const p99 = (results: LoadResult[]): string => num(median(results.map((r) => r.p99Ms)), 2);
  console.log(`  median (a) bare express:   ${num(medianBareRps, 0)} req/s, p99 ${p99(bare)} ms`);
  console.log(`  median (b) full exporter:  ${num(medianExporterRps, 0)} req/s, p99 ${p99(exporter)} ms`);
  console.log(`  median (c) every prediction: ${num(medianFullLogRps, 0)} req/s, p99 ${p99(fullLog)} ms`);
  console.log(
    `  throughput ratio b/a = ${ratio.toFixed(3)}   ${verdict(ratio.toFixed(3), PREDICT_RATIO_TARGET.toFixed(2), pass)}`,
  );
  console.log(
    `  throughput ratio c/a = ${fullLogRatio.toFixed(3)}   (for reference: the cost of logging every served prediction)`,
  );
  return { bare, exporter, fullLog, medianBareRps, medianExporterRps, ratio, fullLogRatio, pass };
}
