/**
 * Label join benchmark: `npm run bench:labels`.
 *
 * Figure 1: label claims/s of the join stores alone (the memory store and the Redis store on
 * loopback) against a plain Map in the same run. Figure 2: the RSS 1,000,000 pending predictions
 * add to the memory store (target <= 120 MiB). Figure 3: `POST /v1/events/labels` end to end on
 * the real exporter with `joins.store` memory and redis (targets >= 200,000 and >= 50,000
 * labels/s), and `POST /v1/events/outcomes` beside it on the same servers (outcomes/s, no target).
 * A Redis without persistence is started on a free port for figures 1 and 3.
 *
 * Options: --only claims,memory,http (all by default), --runs N (5 for figure 1, 3 for figures 2 and 3),
 * --timed-bodies N (figure 3: bodies of 1000 timed per route and run, 400 by default; fewer for a quick check).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { runLabelClaims } from './figures/label-claims';
import { runLabelIngest } from './figures/label-ingest';
import { runPendingMemory } from './figures/pending-memory';
import { RedisServer, REDIS_SERVER } from './support/redis-server';
import { killAllChildren, runBenchMain } from './support/reaper';
import { num } from './support/report';
import { SetupError } from './support/setup-error';
import { hasCommand, versionLine } from './support/tools';

const FIGURES = ['claims', 'memory', 'http'] as const;
type Figure = (typeof FIGURES)[number];

interface Options {
  only: ReadonlySet<Figure>;
  /** Undefined: each figure's own default. */
  runs: number | undefined;
  /** Figure 3's timed bodies per route and run; undefined: its default. */
  timedBodies: number | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { only: new Set(FIGURES), runs: undefined, timedBodies: undefined };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new SetupError(`${String(flag)}: missing value`);
    if (flag === '--only') {
      const names = value.split(',');
      const unknown = names.filter((name) => !(FIGURES as readonly string[]).includes(name));
      if (unknown.length > 0)
        throw new SetupError(`--only: unknown figure ${unknown.join(', ')} (expected ${FIGURES.join(', ')})`);
      options.only = new Set(names as Figure[]);
    } else if (flag === '--runs') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new SetupError(`--runs: expected a positive integer, got ${value}`);
      options.runs = n;
    } else if (flag === '--timed-bodies') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1)
        throw new SetupError(`--timed-bodies: expected a positive integer, got ${value}`);
      options.timedBodies = n;
    } else throw new SetupError(`unknown option ${String(flag)} (see the header of bench/labels-bench.ts)`);
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const needsRedis = options.only.has('claims') || options.only.has('http');
  if (needsRedis && !hasCommand(REDIS_SERVER))
    throw new SetupError('redis-server is missing: apt-get install -y redis-server');
  if (options.only.has('http')) {
    if (!hasCommand('taskset')) throw new SetupError('taskset is missing: apt-get install -y util-linux');
    if (availableParallelism() < 2) throw new SetupError(`need at least 2 CPUs, found ${availableParallelism()}`);
  }
  const tmpDir = mkdtempSync(path.join(tmpdir(), 'mlwatch-labels-bench-'));
  process.once('exit', () => rmSync(tmpDir, { recursive: true, force: true }));
  console.log(
    `mlwatch label join benchmark — node ${process.version}; ${needsRedis ? `${versionLine(REDIS_SERVER, ['--version'])} on CPU 1` : 'no Redis'}`,
  );
  // Redis gets the core the exporter under test does not use.
  const redis = needsRedis ? await RedisServer.start({ cpu: 1 }) : undefined;
  const verdicts: string[] = [];
  try {
    if (options.only.has('claims') && redis !== undefined) {
      const claims = await runLabelClaims(redis, options.runs ?? 5);
      verdicts.push(
        `figure 1, claims/s of the stores alone: memory ${claims.memoryPass ? 'PASS' : 'FAIL'}, Redis ${claims.redisPass ? 'PASS' : 'FAIL'}`,
      );
    }
    if (options.only.has('memory')) {
      const memory = await runPendingMemory(path.join(__dirname, 'children'), options.runs ?? 3);
      verdicts.push(`figure 2, RSS of 1,000,000 pending predictions: ${memory.pass ? 'PASS' : 'FAIL'}`);
    }
    if (options.only.has('http') && redis !== undefined) {
      const ingest = await runLabelIngest({
        tmpDir,
        serversDir: path.join(__dirname, 'servers'),
        serverCpu: 0,
        runs: options.runs ?? 3,
        redisUrl: redis.url,
        ...(options.timedBodies === undefined ? {} : { timedBodies: options.timedBodies }),
      });
      verdicts.push(
        ingest.available
          ? `figure 3, label ingest over HTTP: memory ${ingest.memoryPass ? 'PASS' : 'FAIL'}, Redis ${ingest.redisPass ? 'PASS' : 'FAIL'}`
          : 'figure 3, label ingest over HTTP: route not available (not measured)',
      );
      if (ingest.memoryOutcomesPerSecond > 0)
        verdicts.push(
          `figure 3, outcome ingest over HTTP (beside labels, no target): memory ${num(ingest.memoryOutcomesPerSecond)}/s, Redis ${num(ingest.redisOutcomesPerSecond)}/s`,
        );
    }
    console.log(`\nSummary\n${verdicts.map((line) => `  ${line}`).join('\n')}`);
  } finally {
    await redis?.stop();
    killAllChildren();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

runBenchMain('labels-bench', main, (error) => error instanceof SetupError);
