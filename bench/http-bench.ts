/**
 * HTTP benchmark of the exporter: `npm run bench:http`.
 *
 * Figure 1 compares predict throughput of the full exporter with a bare express app
 * serving the same model (ratio of medians, target >= 0.90); figure 2 measures batch
 * ingest in events/s (target >= 200,000) and as a share of JSON.parse's ceiling. Servers run in child processes pinned to one
 * core, wrk on the other. See bench/README.md for how to read the output.
 *
 * Options: --runs N (5; three-run medians of figure 1 moved by ±0.03 on this noisy machine), --duration S (10), --warmup S (5), --only predict|ingest,
 * --server-cpu-prof DIR (write a V8 CPU profile of each server process into DIR).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { runBatchIngest } from './figures/batch-ingest';
import { runPredictOverhead } from './figures/predict-overhead';
import { autocannonGenerator } from './support/autocannon';
import type { BenchContext } from './support/bench-context';
import type { LoadGenerator } from './support/load-generator';
import { killAllChildren, runBenchMain } from './support/reaper';
import { packageRoot } from '../cli/src/package-root';
import { SetupError } from './support/setup-error';
import { hasCommand, localBinary } from './support/tools';
import { wrkGenerator } from './support/wrk';

interface Options {
  runs: number;
  durationSeconds: number;
  warmupSeconds: number;
  only: 'predict' | 'ingest' | undefined;
  cpuProfDir: string | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { runs: 5, durationSeconds: 10, warmupSeconds: 5, only: undefined, cpuProfDir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new SetupError(`${String(flag)}: missing value`);
    i++;
    if (flag === '--runs') options.runs = positiveInt(flag, value);
    else if (flag === '--duration') options.durationSeconds = positiveInt(flag, value);
    else if (flag === '--warmup') options.warmupSeconds = positiveInt(flag, value);
    else if (flag === '--only' && (value === 'predict' || value === 'ingest')) options.only = value;
    else if (flag === '--server-cpu-prof') options.cpuProfDir = path.resolve(value);
    else throw new SetupError(`unknown option ${String(flag)} ${value} (see the header of bench/http-bench.ts)`);
  }
  return options;
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new SetupError(`${flag}: expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function chooseLoadGenerator(repoRoot: string): LoadGenerator {
  if (hasCommand('wrk')) return wrkGenerator();
  console.log('wrk is not installed; install it with: apt-get install -y wrk   (Debian/Ubuntu, as root)');
  const autocannon = hasCommand('autocannon') ? 'autocannon' : localBinary(repoRoot, 'autocannon');
  if (autocannon === undefined)
    throw new SetupError('no load generator: install wrk (apt-get install -y wrk) and run again');
  console.log('falling back to autocannon: it runs on Node and needs more CPU than wrk, so absolute numbers are lower');
  return autocannonGenerator(autocannon);
}

function checkMachine(): void {
  if (!hasCommand('taskset'))
    throw new SetupError(
      'taskset is missing; it pins server and load generator to separate cores: apt-get install -y util-linux',
    );
  // One core for the server, one for the load generator; with fewer they would fight and the figures mean nothing.
  if (availableParallelism() < 2) throw new SetupError(`need at least 2 CPUs, found ${availableParallelism()}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const repoRoot = packageRoot(__dirname);
  checkMachine();
  const load = chooseLoadGenerator(repoRoot);
  const tmpDir = mkdtempSync(path.join(tmpdir(), 'mlwatch-http-bench-'));
  // Also on Ctrl-C, which leaves through process.exit and skips the finally below.
  process.once('exit', () => rmSync(tmpDir, { recursive: true, force: true }));
  const ctx: BenchContext = {
    repoRoot,
    tmpDir,
    serversDir: path.join(__dirname, 'servers'),
    load,
    serverCpu: 0,
    loadCpu: 1,
    runs: options.runs,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    serverNodeArgs: options.cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir],
  };
  console.log(
    `mlwatch HTTP benchmark — node ${process.version}, ${load.describe}; server on CPU ${ctx.serverCpu}, load generator on CPU ${ctx.loadCpu} (taskset)`,
  );
  console.log('Ratios and medians come from this run only; compare them, not absolute numbers, across machines.');
  try {
    if (options.only !== 'ingest') await runPredictOverhead(ctx);
    if (options.only !== 'predict') await runBatchIngest(ctx);
  } finally {
    killAllChildren();
    rmSync(tmpDir, { recursive: true, force: true });
  }
  if (options.cpuProfDir !== undefined) console.log(`\nserver CPU profiles: ${options.cpuProfDir}`);
}

runBenchMain('http-bench', main, (error) => error instanceof SetupError);
