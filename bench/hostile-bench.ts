/**
 * Hostile-body benchmark of the exporter: `npm run bench:hostile`.
 *
 * While 40 hostile 16 MiB bodies of `{"events":[{},{},…]}` arrive at once, GET /healthz and
 * /metrics must answer within 1 s at p99, the server's RSS stay under 1 GiB and valid ingest
 * batches sent alongside still be accepted; the same probes and traffic without the hostile
 * senders are the baseline in the same run. The server runs in a child process pinned to one core.
 *
 * Options: --runs N (3), --duration S (10, per phase), --concurrency N (40), --mib N (16),
 * --kind elements|one-event (elements: `{"events":[{},{},…]}`; one-event: one event padded to the
 * size, which is read whole before its 413, so the in-flight cap is what bounds memory).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { runHostileBodies, type HostileOptions } from './figures/hostile-bodies';
import { killAllChildren, runBenchMain } from './support/reaper';
import { packageRoot } from '../cli/src/package-root';
import { SetupError } from './support/setup-error';
import { hasCommand } from './support/tools';

type Options = Pick<HostileOptions, 'runs' | 'durationSeconds' | 'concurrency' | 'bodyBytes' | 'kind'>;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { runs: 3, durationSeconds: 10, concurrency: 40, bodyBytes: 16 * 2 ** 20, kind: 'elements' };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new SetupError(`${String(flag)}: missing value`);
    if (flag === '--kind') {
      if (value !== 'elements' && value !== 'one-event')
        throw new SetupError(`--kind: expected elements or one-event, got ${value}`);
      options.kind = value;
      continue;
    }
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new SetupError(`${String(flag)}: expected a positive integer, got ${value}`);
    if (flag === '--runs') options.runs = n;
    else if (flag === '--duration') options.durationSeconds = n;
    else if (flag === '--concurrency') options.concurrency = n;
    else if (flag === '--mib') options.bodyBytes = n * 2 ** 20;
    else throw new SetupError(`unknown option ${String(flag)} (see the header of bench/hostile-bench.ts)`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!hasCommand('taskset')) throw new SetupError('taskset is missing: apt-get install -y util-linux');
  if (availableParallelism() < 2) throw new SetupError(`need at least 2 CPUs, found ${availableParallelism()}`);
  const tmpDir = mkdtempSync(path.join(tmpdir(), 'mlwatch-hostile-bench-'));
  process.once('exit', () => rmSync(tmpDir, { recursive: true, force: true }));
  console.log(
    `mlwatch hostile-body benchmark — node ${process.version}; server on CPU 0 (taskset), senders and probes in this process`,
  );
  try {
    await runHostileBodies({
      ...options,
      repoRoot: packageRoot(__dirname),
      tmpDir,
      serversDir: path.join(__dirname, 'servers'),
      serverCpu: 0,
    });
  } finally {
    killAllChildren();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

runBenchMain('hostile-bench', main, (error) => error instanceof SetupError);
