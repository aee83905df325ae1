import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { LoadGenerator, LoadResult, LoadRun } from './load-generator';
import { track } from './reaper';
import { versionLine } from './tools';

/** autocannon's `--json` summary, the fields read here. */
interface AutocannonSummary {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/**
 * autocannon as a fallback when wrk is missing: same pinning, but one body only
 * (its CLI takes a single `--input` file), and it runs on Node, so it needs more CPU than wrk.
 */
export function autocannonGenerator(binary: string): LoadGenerator {
  return {
    describe: `autocannon ${versionLine(binary, ['--version']).replace(/^autocannon\s*/i, '')}`,
    run: (load) => runAutocannon(binary, load),
  };
}

async function runAutocannon(binary: string, load: LoadRun): Promise<LoadResult> {
  const firstBody = readFileSync(load.bodiesFile, 'utf8').split('\n')[0] ?? '';
  const bodyFile = `${load.bodiesFile}.first.json`;
  writeFileSync(bodyFile, firstBody);
  const args = [
    '-c',
    String(load.cpu),
    binary,
    '--connections',
    String(load.connections),
    '--duration',
    String(load.durationSeconds),
    '--method',
    'POST',
    '--headers',
    'content-type=application/json',
    '--input',
    bodyFile,
    '--json',
    load.url,
  ];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    track(child);
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`autocannon exited with ${code}`))));
  });
  const summary = JSON.parse(out.trim().split('\n').pop() ?? '{}') as AutocannonSummary;
  return {
    requests: summary.requests.total,
    requestsPerSecond: summary.requests.average,
    p50Ms: summary.latency.p50,
    p99Ms: summary.latency.p99,
    non2xx: summary.non2xx,
    socketErrors: summary.errors + summary.timeouts,
  };
}
