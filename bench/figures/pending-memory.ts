/**
 * Labels figure 2: the RSS that 1,000,000 predictions waiting for their labels add to the memory
 * join store. A child process (bench/children/hold-pending-predictions.ts, `--expose-gc`) reads
 * its RSS after a full GC before and after filling the store with ids parsed from JSON bodies (as
 * the exporter gets them); the figure is the difference, the median over fresh children.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { MemoryReading } from '../children/hold-drift-state';
import { median } from '../support/median';
import { track } from '../support/reaper';
import { num } from '../support/report';
import { verdictAtMost } from '../support/verdict-at-most';

/** Most RSS, in MiB, that 1,000,000 pending predictions may add. */
export const PENDING_MIB_TARGET = 120;
const PREDICTIONS = 1_000_000;
const MIB = 1024 * 1024;
const CHILD_TIMEOUT_MS = 120_000;

export interface PendingMemoryResult {
  addedMiB: number;
  bytesPerPrediction: number;
  pass: boolean;
}

/** Runs the figure in `runs` fresh children; throws when a child fails. */
export async function runPendingMemory(childrenDir: string, runs: number): Promise<PendingMemoryResult> {
  console.log(
    `\nFigure 2 — memory of the memory store: RSS added by ${num(PREDICTIONS)} pending predictions (UUID ids) ` +
      `in the recent-id store, a child process after a full GC; ${runs} runs, median`,
  );
  const script = path.join(childrenDir, 'hold-pending-predictions.js');
  const added: number[] = [];
  for (let run = 0; run < runs; run++) {
    const [before, after] = await readChild(script);
    if (before === undefined || after === undefined) throw new Error(`${script}: expected two readings`);
    added.push(after.rss - before.rss);
    console.log(
      `  run ${run + 1}: RSS ${num(before.rss / MIB, 1)} → ${num(after.rss / MIB, 1)} MiB (+${num((after.rss - before.rss) / MIB, 1)}); ` +
        `JS heap +${num((after.heapUsed - before.heapUsed) / MIB, 1)} MiB, typed arrays +${num((after.arrayBuffers - before.arrayBuffers) / MIB, 1)} MiB, ` +
        `peak RSS ${num(after.peakRss / MIB, 1)} MiB`,
    );
  }
  const addedMiB = median(added) / MIB;
  const bytesPerPrediction = median(added) / PREDICTIONS;
  const pass = addedMiB <= PENDING_MIB_TARGET;
  console.log(
    `  median: +${num(addedMiB, 1)} MiB, ${num(bytesPerPrediction)} bytes per pending prediction   ` +
      verdictAtMost(`${num(addedMiB, 1)} MiB`, `${PENDING_MIB_TARGET} MiB`, pass),
  );
  return { addedMiB, bytesPerPrediction, pass };
}

function readChild(script: string): Promise<MemoryReading[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script, String(PREDICTIONS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('error', (error) => reject(new Error(`cannot start ${script}: ${error.message}`, { cause: error })));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${script} exited with ${code ?? signal}:\n${err.slice(-4000)}`));
        return;
      }
      resolve(
        out
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as MemoryReading),
      );
    });
  });
}
