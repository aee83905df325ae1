/**
 * Soak benchmark of the exporter: `npm run bench:soak -- --minutes N`.
 *
 * The full exporter on the worked example, in a child process pinned to CPU 0, under steady
 * paced load from this process (pinned to CPU 1): predicts, ingest batches, a /metrics scrape
 * every second and a drift report every 10 s, with drift evaluated every 5 s. One row per
 * minute (throughput, client-side p50/p99, server RSS, heap and event-loop delay p99) and the
 * verdicts: RSS growth after warm-up <= 10%, last minute's p99 within 20% of the first's.
 * Exit 0 whatever the verdicts; 1 when the benchmark itself broke. See bench/README.md.
 *
 * Options: --minutes N (10), --predict-rate R (predicts/s, 200), --ingest-rate R (batches/s, 2),
 * --batch N (events per batch, 500).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { runSoak } from './figures/soak';
import { killAllChildren, runBenchMain } from './support/reaper';
import { num } from './support/report';
import { packageRoot } from '../cli/src/package-root';
import { SetupError } from './support/setup-error';
import { hasCommand } from './support/tools';

interface Options {
  minutes: number;
  predictRate: number;
  ingestRate: number;
  batch: number;
}

const SERVER_CPU = 0;
const CLIENT_CPU = 1;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { minutes: 10, predictRate: 200, ingestRate: 2, batch: 500 };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new SetupError(`${String(flag)}: missing value`);
    if (flag === '--minutes') options.minutes = positive(flag, value, true);
    else if (flag === '--predict-rate') options.predictRate = positive(flag, value, false);
    else if (flag === '--ingest-rate') options.ingestRate = positive(flag, value, false);
    else if (flag === '--batch') options.batch = positive(flag, value, true);
    else throw new SetupError(`unknown option ${String(flag)} ${value} (see the header of bench/soak-bench.ts)`);
  }
  return options;
}

function positive(flag: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new SetupError(
      `${flag}: expected a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`,
    );
  return n;
}

function checkMachine(): void {
  if (!hasCommand('taskset'))
    throw new SetupError(
      'taskset is missing; it pins server and load to separate cores: apt-get install -y util-linux',
    );
  // One core for the server, one for the load; with fewer they would fight and the figures mean nothing.
  if (availableParallelism() < 2) throw new SetupError(`need at least 2 CPUs, found ${availableParallelism()}`);
}

/** Pins this process, every thread of it, to the load's core, away from the server's. */
function pinSelf(cpu: number): void {
  const run = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
  if (run.status !== 0) throw new SetupError(`taskset could not pin the load to CPU ${cpu}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const repoRoot = packageRoot(__dirname);
  checkMachine();
  pinSelf(CLIENT_CPU);
  const tmpDir = mkdtempSync(path.join(tmpdir(), 'mlwatch-soak-bench-'));
  // Also on Ctrl-C, which leaves through process.exit and skips the finally below.
  process.once('exit', () => rmSync(tmpDir, { recursive: true, force: true }));
  console.log(
    `mlwatch soak benchmark — node ${process.version}; server on CPU ${SERVER_CPU}, load (this process, fetch) on CPU ${CLIENT_CPU} (taskset)`,
  );
  console.log(
    `load average (1, 5, 15 min) at the start: ${loadavg()
      .map((v) => num(v, 2))
      .join(', ')}`,
  );
  try {
    await runSoak({
      repoRoot,
      tmpDir,
      serversDir: path.join(__dirname, 'servers'),
      serverCpu: SERVER_CPU,
      ...options,
    });
  } finally {
    killAllChildren();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

runBenchMain('soak-bench', main, (error) => error instanceof SetupError);
