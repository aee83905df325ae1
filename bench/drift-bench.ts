/**
 * Drift benchmark of the exporter: `npm run bench:drift`.
 *
 * Five figures, each against its target: (1) one evaluation of a 100-feature model,
 * sync and sliced; (2) RSS holding 5 models × 50 features of drift state; (3) batch ingest
 * with windows, fleet bins and the drift monitor on; (4) predict p99 with evaluations
 * running every second against evaluations off; (5) the offline `mlwatch drift` CLI on
 * two 500,000-row files. Exit 0 whatever the verdicts; 1 when the benchmark itself broke.
 * See bench/README.md for how to read the output.
 *
 * Options: --only evaluation,memory,ingest,predict,offline (all), --runs N (3, timed runs of
 * the HTTP figures and memory children), --eval-runs N (9), --duration S (10), --warmup S (5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { INGEST_EVENTS_TARGET, runBatchIngest } from './figures/batch-ingest';
import { runDriftEvaluation } from './figures/drift-evaluation';
import { runDriftMemory } from './figures/drift-memory';
import { runDriftOffline } from './figures/drift-offline';
import { runDriftPredictLatency } from './figures/drift-predict-latency';
import type { BenchContext } from './support/bench-context';
import { killAllChildren, runBenchMain } from './support/reaper';
import { num } from './support/report';
import { packageRoot } from '../cli/src/package-root';
import { SetupError } from './support/setup-error';
import { hasCommand } from './support/tools';
import { wrkGenerator } from './support/wrk';

const FIGURES = ['evaluation', 'memory', 'ingest', 'predict', 'offline'] as const;
type Figure = (typeof FIGURES)[number];

interface Options {
  only: ReadonlySet<Figure>;
  runs: number;
  evalRuns: number;
  durationSeconds: number;
  warmupSeconds: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { only: new Set(FIGURES), runs: 3, evalRuns: 9, durationSeconds: 10, warmupSeconds: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new SetupError(`${String(flag)}: missing value`);
    if (flag === '--only') options.only = parseFigures(value);
    else if (flag === '--runs') options.runs = positiveInt(flag, value);
    else if (flag === '--eval-runs') options.evalRuns = positiveInt(flag, value);
    else if (flag === '--duration') options.durationSeconds = positiveInt(flag, value);
    else if (flag === '--warmup') options.warmupSeconds = positiveInt(flag, value);
    else throw new SetupError(`unknown option ${String(flag)} ${value} (see the header of bench/drift-bench.ts)`);
  }
  return options;
}

function parseFigures(value: string): Set<Figure> {
  const names = value.split(',');
  for (const name of names) {
    if (!(FIGURES as readonly string[]).includes(name))
      throw new SetupError(`--only: unknown figure ${JSON.stringify(name)} (known: ${FIGURES.join(', ')})`);
  }
  return new Set(names as Figure[]);
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new SetupError(`${flag}: expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function checkMachine(only: ReadonlySet<Figure>): void {
  const http = only.has('ingest') || only.has('predict');
  if (http && !hasCommand('wrk')) throw new SetupError('wrk is missing; install it with: apt-get install -y wrk');
  if (http && !hasCommand('taskset'))
    throw new SetupError(
      'taskset is missing; it pins server and load generator to separate cores: apt-get install -y util-linux',
    );
  // One core for the server, one for the load generator; with fewer they would fight and the figures mean nothing.
  if (http && availableParallelism() < 2) throw new SetupError(`need at least 2 CPUs, found ${availableParallelism()}`);
}

/** One line of the closing summary. */
interface Verdict {
  figure: string;
  value: string;
  pass: boolean | undefined;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const repoRoot = packageRoot(__dirname);
  checkMachine(options.only);
  const tmpDir = mkdtempSync(path.join(tmpdir(), 'mlwatch-drift-bench-'));
  // Also on Ctrl-C, which leaves through process.exit and skips the finally below.
  process.once('exit', () => rmSync(tmpDir, { recursive: true, force: true }));
  const started = performance.now();
  const http = options.only.has('ingest') || options.only.has('predict');
  const ctx: BenchContext = {
    repoRoot,
    tmpDir,
    serversDir: path.join(__dirname, 'servers'),
    load: wrkGenerator(),
    serverCpu: 0,
    loadCpu: 1,
    runs: options.runs,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    serverNodeArgs: [],
  };
  console.log(
    `mlwatch drift benchmark — node ${process.version}${http ? `, ${ctx.load.describe}; servers on CPU 0, wrk on CPU 1 (taskset)` : ''}`,
  );
  console.log(
    'Medians of several runs on this machine; compare ratios and targets, not absolute numbers, across machines.',
  );
  const verdicts: Verdict[] = [];
  try {
    if (options.only.has('evaluation')) {
      const r = await runDriftEvaluation(options.evalRuns);
      verdicts.push({
        figure: '1 evaluation (sync, 100 features)',
        value: `${num(r.medianMs, 1)} ms <= 50 ms`,
        pass: r.pass,
      });
    }
    if (options.only.has('memory')) {
      const r = await runDriftMemory(path.join(__dirname, 'children'), options.runs);
      verdicts.push({
        figure: `2 memory (${num(r.sampleLimit)}-value refs)`,
        value: `${num(r.heldMiB, 1)} MiB <= 150 MiB`,
        pass: r.pass,
      });
      verdicts.push({
        figure: '2 memory (50,000-value refs)',
        value: `${num(r.wholeReferenceHeldMiB, 1)} MiB (for comparison, not the target)`,
        pass: undefined,
      });
    }
    if (options.only.has('ingest')) {
      const r = await runBatchIngest(ctx, 'Figure 3');
      verdicts.push({
        figure: '3 ingest with drift on',
        value: `${num(r.medianEventsPerSecond, 0)} events/s >= ${num(INGEST_EVENTS_TARGET, 0)} (${num(r.shareOfParseCeiling, 2)} of the JSON.parse ceiling)`,
        pass: r.pass,
      });
    }
    if (options.only.has('predict')) {
      const r = await runDriftPredictLatency(ctx);
      verdicts.push({
        figure: '4 predict p99 evaluating / off',
        value: `${num(r.onP99Ms, 2)} / ${num(r.offP99Ms, 2)} ms = ${num(r.ratio, 2)}× (p99.9 ${num(r.onP999Ms / r.offP999Ms, 2)}×)`,
        pass: undefined,
      });
    }
    if (options.only.has('offline')) {
      const r = await runDriftOffline(repoRoot, tmpDir, options.runs);
      verdicts.push({
        figure: '5 offline CLI (2 × 500k rows)',
        value: `${num(r.wallSeconds, 1)} s <= 30 s, ${num(r.peakRssMiB, 0)} MiB <= 1,024 MiB`,
        pass: r.pass,
      });
    }
  } finally {
    killAllChildren();
    rmSync(tmpDir, { recursive: true, force: true });
  }
  console.log(`\nSummary (${num((performance.now() - started) / 1000, 0)} s):`);
  for (const v of verdicts)
    console.log(`  ${v.pass === undefined ? 'INFO' : v.pass ? 'PASS' : 'FAIL'}  ${v.figure.padEnd(36)} ${v.value}`);
}

runBenchMain('drift-bench', main, (error) => error instanceof SetupError);
