/**
 * Drift figure 2: the memory the exact tier holds. A child process (bench/children/
 * hold-drift-state.ts) builds 5 models × 50 numeric features from 50,000-row references,
 * profiled with the default sample limit (the target configuration), and full 5,000-event
 * windows, and reports its RSS after a GC at each stage; the figure is the process's whole
 * RSS with everything held, Node itself included. The same state with the references kept
 * whole (`--sample-limit 50000`) is measured beside it for comparison.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_SAMPLE_LIMIT } from '../../drift/src/profile/build-profile';
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
/** The comparison: every reference row kept, as `mlwatch profile --sample-limit 50000` would. */
const WHOLE_SAMPLE_LIMIT = REFERENCE_ROWS;
const MIB = 1024 * 1024;
const CHILD_TIMEOUT_MS = 120_000;

/** The figure's medians and verdict, in MiB; the verdict is the target configuration's (default sample limit). */
export interface DriftMemoryResult {
  baselineMiB: number;
  heldMiB: number;
  deltaMiB: number;
  /** The same state with the references kept whole (50,000 values per feature), for comparison. */
  wholeReferenceHeldMiB: number;
  /** Values kept per reference sample in the target configuration. */
  sampleLimit: number;
  pass: boolean;
}

/** Runs drift figure 2 `runs` times per configuration in fresh children and prints the readings of the target's median run; throws when a child fails. */
export async function runDriftMemory(childrenDir: string, runs: number): Promise<DriftMemoryResult> {
  const sampleLimit = DEFAULT_SAMPLE_LIMIT;
  console.log(
    `\nFigure 2 — memory: ${MODELS} models × ${FEATURES} numeric features, window ${num(WINDOW_SIZE)} events, ` +
      `references of ${num(REFERENCE_ROWS)} rows; RSS of a child process after a full GC, ${runs} runs per configuration`,
  );
  console.log(
    `  target configuration: profiles with the default sample limit, ${num(sampleLimit)} values kept per feature ` +
      `(an even quantile subsample; KS takes its p-value at the full ${num(REFERENCE_ROWS)}, docs/drift.md)`,
  );
  const script = path.join(childrenDir, 'hold-drift-state.js');
  const all: MemoryReading[][] = [];
  for (let run = 0; run < runs; run++) all.push(await readChild(script, sampleLimit));
  const middle = medianRun(all);

  console.log(`  median run's readings (MiB):`);
  console.log(
    `  ${row([
      ['stage', -46],
      ['RSS', 7],
      ['JS heap', 8],
      ['typed arrays', 13],
      ['peak RSS', 9],
    ])}`,
  );
  for (const r of middle) {
    console.log(
      `  ${row([
        [r.stage, -46],
        [mib(r.rss), 7],
        [mib(r.heapUsed), 8],
        [mib(r.arrayBuffers), 13],
        [mib(r.peakRss), 9],
      ])}`,
    );
  }
  printExpected(Math.min(sampleLimit, REFERENCE_ROWS));
  printBreakdown(middle);

  const baselineMiB = median(all.map((r) => (r[0] as MemoryReading).rss)) / MIB;
  const heldMiB = median(all.map(held)) / MIB;
  const deltaMiB = median(all.map((r) => held(r) - (r[0] as MemoryReading).rss)) / MIB;
  const pass = heldMiB <= MEMORY_MIB_TARGET;
  console.log(
    `  target configuration (${num(sampleLimit)}-value samples): RSS before ${num(baselineMiB, 1)} MiB, holding everything ${num(heldMiB, 1)} MiB, ` +
      `delta ${num(deltaMiB, 1)} MiB (medians; runs ${all.map((r) => num(held(r) / MIB, 1)).join(', ')} MiB)   ` +
      verdictAtMost(`${num(heldMiB, 1)} MiB`, `${MEMORY_MIB_TARGET} MiB`, pass),
  );
  console.log(
    '  counted: the whole process — Node and the exporter modules (the baseline), plans, windows, fleet bins, drift gauges and the ' +
      "evaluation's snapshot and work arrays; not counted: the HTTP app, the other metrics and the prediction log of a running exporter",
  );
  const whole: MemoryReading[][] = [];
  for (let run = 0; run < runs; run++) whole.push(await readChild(script, WHOLE_SAMPLE_LIMIT));
  const wholeReferenceHeldMiB = median(whole.map(held)) / MIB;
  console.log(
    `  for comparison, not the target configuration: references kept whole (--sample-limit ${WHOLE_SAMPLE_LIMIT}, ${num(REFERENCE_ROWS)} values per feature): ` +
      `holding everything ${num(wholeReferenceHeldMiB, 1)} MiB (median of ${runs}; runs ${whole.map((r) => num(held(r) / MIB, 1)).join(', ')} MiB)`,
  );
  return { baselineMiB, heldMiB, deltaMiB, wholeReferenceHeldMiB, sampleLimit, pass };
}

/** RSS with everything held: the larger of the last two readings (before and after the evaluation). */
function held(readings: readonly MemoryReading[]): number {
  return Math.max(...readings.slice(-2).map((r) => r.rss));
}

/** The run whose held RSS is the median. */
function medianRun(all: readonly MemoryReading[][]): MemoryReading[] {
  const byHeld = [...all].sort((a, b) => held(a) - held(b));
  return byHeld[Math.floor(byHeld.length / 2)] as MemoryReading[];
}

/** What the arrays alone should take, from their sizes: the yardstick for the measured delta. */
function printExpected(sampleValues: number): void {
  const sampleBytes = MODELS * FEATURES * sampleValues * 8;
  // KS bucket grid: about 8 sample values per bucket, a power of two in [256, 65,536], 4 bytes each (ks-indexed.ts).
  const buckets = Math.min(Math.max(2 ** Math.round(Math.log2(sampleValues / 8)), 256), 65_536);
  const indexBytes = MODELS * FEATURES * (buckets + 1) * 4;
  // Each window holds its numeric columns plus class, output, confidence and arrival columns (int32 class counted as 8 for simplicity).
  const windowBytes = MODELS * (FEATURES + 4) * WINDOW_SIZE * 8;
  // One snapshot's columns, reused by every evaluation (numeric features, class, confidence).
  const snapshotBytes = (FEATURES + 2) * WINDOW_SIZE * 8;
  console.log(
    `  expected from sizes: prepared Float64Array samples ${mib(sampleBytes)} MiB + KS indexes ${mib(indexBytes)} MiB + windows ${mib(windowBytes)} MiB ` +
      `+ snapshot buffers ${mib(snapshotBytes)} MiB = ${mib(sampleBytes + indexBytes + windowBytes + snapshotBytes)} MiB over the baseline ` +
      `(the profiles' number[] samples, another ${mib(sampleBytes)} MiB, ` +
      'are dropped once the plans are built)',
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
    `  where the delta goes: JS heap +${mib(heap)} MiB, typed arrays +${mib(arrays)} MiB ` +
      `(prepared samples and KS indexes, windows, snapshot buffers and work arrays), other +${mib(rest)} MiB ` +
      `(V8's young generation, grown while the profiles were built, and freed memory the allocator keeps), ` +
      `of which +${mib(last.rss - beforeEvaluation.rss)} MiB came with the first evaluation`,
  );
}

function mib(bytes: number): string {
  return num(bytes / MIB, 1);
}

/** Runs the child once with profiles keeping at most `sampleLimit` values per feature and returns its readings in stage order. */
function readChild(script: string, sampleLimit: number): Promise<MemoryReading[]> {
  const args = [
    '--expose-gc',
    script,
    String(MODELS),
    String(FEATURES),
    String(WINDOW_SIZE),
    String(REFERENCE_ROWS),
    String(sampleLimit),
  ];
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
      resolve(
        out
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as MemoryReading),
      );
    });
  });
}
