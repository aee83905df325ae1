/**
 * Drift figure 2: the memory the exact tier holds. A child process (bench/children/
 * hold-drift-state.ts) builds 5 models × 50 numeric features with 50,000-value reference
 * samples and full 5,000-event windows, and reports its RSS after a GC at each stage; the
 * figure is the process's whole RSS with everything held, Node itself included.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { MemoryReading } from '../children/hold-drift-state';
import { median } from '../support/median';
import { track } from '../support/reaper';
import { num, row } from '../support/report';
import { verdictAtMost } from '../support/verdict-at-most';

/** Largest RSS, in MiB, of a process holding the whole drift state. */
export const MEMORY_MIB_TARGET = 150;
const MODELS = 5;
const FEATURES = 50;
const WINDOW_SIZE = 5000;
const REFERENCE_ROWS = 50_000;
/** The demo's reference size, printed beside the figure: the reference samples dominate the memory. */
const SMALL_REFERENCE_ROWS = 5_000;
const MIB = 1024 * 1024;
const CHILD_TIMEOUT_MS = 120_000;

/** The figure's medians and verdict, in MiB. */
export interface DriftMemoryResult {
  baselineMiB: number;
  heldMiB: number;
  deltaMiB: number;
  pass: boolean;
}

/** Runs drift figure 2 `runs` times in fresh children and prints the readings of the median run; throws when a child fails. */
export async function runDriftMemory(childrenDir: string, runs: number): Promise<DriftMemoryResult> {
  console.log(
    `\nFigure 2 — memory: ${MODELS} models × ${FEATURES} numeric features, window ${num(WINDOW_SIZE)} events, ` +
      `reference sample ${num(REFERENCE_ROWS)} values per feature; RSS of a child process after a full GC, ${runs} runs`,
  );
  const script = path.join(childrenDir, 'hold-drift-state.js');
  const all: MemoryReading[][] = [];
  for (let run = 0; run < runs; run++) all.push(await readChild(script));
  const held = (readings: MemoryReading[]): number => Math.max(...readings.slice(-2).map((r) => r.rss));
  const byHeld = [...all].sort((a, b) => held(a) - held(b));
  const middle = byHeld[Math.floor(byHeld.length / 2)] as MemoryReading[];

  console.log(`  median run's readings (MiB):`);
  console.log(`  ${row([['stage', -46], ['RSS', 7], ['JS heap', 8], ['typed arrays', 13], ['peak RSS', 9]])}`);
  for (const r of middle) {
    console.log(`  ${row([[r.stage, -46], [mib(r.rss), 7], [mib(r.heapUsed), 8], [mib(r.arrayBuffers), 13], [mib(r.peakRss), 9]])}`);
  }
  printExpected();
  printBreakdown(middle);

  const baselineMiB = median(all.map((r) => (r[0] as MemoryReading).rss)) / MIB;
  const heldMiB = median(all.map(held)) / MIB;
  const deltaMiB = median(all.map((r) => held(r) - (r[0] as MemoryReading).rss)) / MIB;
  const pass = heldMiB <= MEMORY_MIB_TARGET;
  console.log(
    `  RSS before ${num(baselineMiB, 1)} MiB, holding everything ${num(heldMiB, 1)} MiB, delta ${num(deltaMiB, 1)} MiB (medians)   ` +
      verdictAtMost(`${num(heldMiB, 1)} MiB`, `${MEMORY_MIB_TARGET} MiB`, pass),
  );
  console.log(
    '  counted: the whole process — Node and the exporter modules (the baseline), profiles, plans, windows, fleet bins and drift gauges; ' +
      'not counted: the HTTP app, the other metrics and the prediction log of a running exporter',
  );
  // For context: the same state with references the size of the demo's (5,000 rows), where the samples are small.
  const small = await readChild(script, SMALL_REFERENCE_ROWS);
  console.log(`  for context, with ${num(SMALL_REFERENCE_ROWS)}-value reference samples: holding everything ${num(held(small) / MIB, 1)} MiB`);
  return { baselineMiB, heldMiB, deltaMiB, pass };
}

/** What the arrays alone should take, from their sizes: the yardstick for the measured delta. */
function printExpected(): void {
  const features = MODELS * FEATURES;
  const sampleBytes = features * REFERENCE_ROWS * 8;
  // Each window holds its numeric columns plus class, output, confidence and arrival columns (int32 class counted as 8 for simplicity).
  const windowBytes = MODELS * (FEATURES + 4) * WINDOW_SIZE * 8;
  console.log(
    `  expected from sizes: profile samples ${mib(sampleBytes)} MiB (number[], 8 B per value) + prepared Float64Array copies ${mib(sampleBytes)} MiB ` +
      `+ windows ${mib(windowBytes)} MiB = ${mib(2 * sampleBytes + windowBytes)} MiB over the baseline`,
  );
}

/** Splits the median run's RSS growth into JS heap, typed arrays and the rest, and shows what the first evaluation added. */
function printBreakdown(readings: readonly MemoryReading[]): void {
  const first = readings[0] as MemoryReading;
  const last = readings[readings.length - 1] as MemoryReading;
  const beforeEvaluation = readings[readings.length - 2] as MemoryReading;
  const heap = last.heapUsed - first.heapUsed;
  const arrays = last.arrayBuffers - first.arrayBuffers;
  const rest = last.rss - first.rss - heap - arrays;
  console.log(
    `  where the delta goes: JS heap +${mib(heap)} MiB (mostly the profiles' number[] samples), typed arrays +${mib(arrays)} MiB ` +
      `(prepared reference copies and windows), other +${mib(rest)} MiB (V8 heap reserve, freed memory the allocator keeps), ` +
      `of which +${mib(last.rss - beforeEvaluation.rss)} MiB came with the first evaluation`,
  );
}

function mib(bytes: number): string {
  return num(bytes / MIB, 1);
}

/** Runs the child once and returns its readings in stage order. */
function readChild(script: string, referenceRows = REFERENCE_ROWS): Promise<MemoryReading[]> {
  const args = ['--expose-gc', script, String(MODELS), String(FEATURES), String(WINDOW_SIZE), String(referenceRows)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
      resolve(out.trim().split('\n').map((line) => JSON.parse(line) as MemoryReading));
    });
  });
}
