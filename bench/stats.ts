/**
 * Benchmarks the drift statistics against SciPy/NumPy on the same data in the same run.
 *
 * Run with `npm run bench:stats`. Samples come from a seeded generator and reach
 * python3 as little-endian float64 files (counts as JSON); each side reports the
 * median of REPS timed runs after a warm-up, and the results are compared.
 * Without python3 or SciPy the reference column is skipped with the reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chi2Contingency } from '../drift/src/stats/chi2-contingency';
import { ks2samp } from '../drift/src/stats/ks2samp';
import { binCounts, psiFromCounts, sampleQuantiles } from '../drift/src/stats/psi';

/** KS sample sizes per side (n = m). */
const KS_SIZES = [10_000, 100_000, 1_000_000];
/** Shift of the second KS sample's mean, in standard deviations. */
const KS_SHIFT = 0.01;
/** Timed repetitions per measurement; the median is reported. */
const REPS = 7;
/** Untimed calls before timing starts. */
const WARMUP_CALLS = 5;
/** Calls per timed repetition for the microsecond-scale chi-square test. */
const CHI2_CALLS = 2000;
const CHI2_CATEGORIES = 50;
const PSI_VALUES = 1_000_000;
const LABEL_WIDTH = 42;
/** p-values must agree to the golden tests' relative tolerance. */
const P_REL_TOL = 1e-9;

/** Python side: each mode loads its inputs, warms up, times REPS runs and prints one JSON line. */
const PYTHON = `
import json, sys, time
import numpy as np, scipy
from scipy import stats
mode, reps = sys.argv[1], int(sys.argv[2])
def timed(fn, calls=1):
    out = fn(); times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(calls): out = fn()
        times.append((time.perf_counter() - t0) / calls)
    return float(np.median(times) * 1e3), out
if mode == 'ks':
    a = np.fromfile(sys.argv[3], dtype='<f8'); b = np.fromfile(sys.argv[4], dtype='<f8')
    ms, r = timed(lambda: stats.ks_2samp(a, b, method='auto'))
    value = float(r.pvalue)
elif mode == 'chi2':
    table = np.array(json.loads(sys.argv[3]), dtype=float)
    ms, r = timed(lambda: stats.chi2_contingency(table, correction=True), int(sys.argv[4]))
    value = float(r[1])
else:
    ref = np.fromfile(sys.argv[3], dtype='<f8'); cur = np.fromfile(sys.argv[4], dtype='<f8')
    probs = np.arange(1, 10) / 10
    def psi():
        edges = np.quantile(ref, probs)
        rc = np.bincount(np.searchsorted(edges, ref, side='right'), minlength=10) / ref.size
        cc = np.bincount(np.searchsorted(edges, cur, side='right'), minlength=10) / cur.size
        rc[rc == 0] = 1e-4; cc[cc == 0] = 1e-4
        return float(np.sum((cc - rc) * np.log(cc / rc)))
    ms, value = timed(psi)
print(json.dumps({"ms": ms, "value": value, "scipy": scipy.__version__}))
`;

interface PyTiming {
  ms: number;
  value: number;
  scipy: string;
}

/** Mulberry32: a small seeded 32-bit generator, enough for benchmark data. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n normal draws with the given mean and standard deviation (Box–Muller). */
function normals(n: number, mean: number, sd: number, rand: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = sd * Math.sqrt(-2 * Math.log(1 - rand()));
    const theta = 2 * Math.PI * rand();
    out[i] = mean + r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = mean + r * Math.sin(theta);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Median wall time of one call of `fn` in ms over REPS repetitions of `calls` calls, after a warm-up. */
function timeMs(fn: () => void, calls = 1): number {
  // V8 needs a few calls to tier up to optimised code; time the steady state.
  for (let w = 0; w < WARMUP_CALLS * calls; w++) fn();
  const times: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = process.hrtime.bigint();
    for (let c = 0; c < calls; c++) fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6 / calls);
  }
  return median(times);
}

/** Runs the python timer; returns the reason as a string when python3 or SciPy is unavailable. */
function runPython(args: string[]): PyTiming | string {
  const run = spawnSync('python3', ['-c', PYTHON, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.error) return `python3 not runnable (${run.error.message})`;
  if (run.status !== 0) return `python3/SciPy failed: ${run.stderr.trim().split('\n').pop() ?? ''}`;
  return JSON.parse(run.stdout) as PyTiming;
}

function writeF64(dir: string, name: string, xs: Float64Array): string {
  const file = join(dir, name);
  writeFileSync(file, new Uint8Array(xs.buffer, xs.byteOffset, xs.byteLength));
  return file;
}

/** One result line: ours, reference, ratio, and whether the values agree within `rel`. */
function report(label: string, oursMs: number, ours: number, ref: PyTiming | string, rel: number): void {
  const head = `${label.padEnd(LABEL_WIDTH)} ${oursMs.toFixed(3).padStart(10)}`;
  if (typeof ref === 'string') {
    console.log(`${head}  (reference skipped: ${ref})`);
    return;
  }
  const err = Math.abs(ours - ref.value) / Math.max(Math.abs(ref.value), Number.MIN_VALUE);
  const agree = ours === ref.value || err <= rel ? 'yes' : 'NO';
  console.log(
    `${head} ${ref.ms.toFixed(3).padStart(10)} ${(oursMs / ref.ms).toFixed(3).padStart(8)}   ` +
      `${ours.toPrecision(16).padEnd(22)} ${ref.value.toPrecision(16).padEnd(22)} ${agree} (rel ${err.toExponential(1)})`,
  );
}

function benchKs(dir: string, rand: () => number): void {
  for (const n of KS_SIZES) {
    const a = normals(n, 0, 1, rand);
    const b = normals(n, KS_SHIFT, 1, rand);
    let p = ks2samp(a, b).pvalue;
    const ms = timeMs(() => {
      p = ks2samp(a, b).pvalue;
    });
    const ref = runPython(['ks', String(REPS), writeF64(dir, 'a.f64', a), writeF64(dir, 'b.f64', b)]);
    report(`ks2samp auto, n = m = ${n}`, ms, p, ref, P_REL_TOL);
  }
}

function benchChi2(rand: () => number): void {
  const ref = new Float64Array(CHI2_CATEGORIES);
  const cur = new Float64Array(CHI2_CATEGORIES);
  for (let k = 0; k < CHI2_CATEGORIES; k++) {
    const weight = 1 + 9 * rand();
    ref[k] = Math.round(2000 * weight);
    cur[k] = Math.round(2000 * weight * (0.95 + 0.1 * rand()));
  }
  let p = chi2Contingency(ref, cur).pvalue;
  const ms = timeMs(() => {
    p = chi2Contingency(ref, cur).pvalue;
  }, CHI2_CALLS);
  const table = JSON.stringify([Array.from(ref), Array.from(cur)]);
  report(
    `chi2Contingency, ${CHI2_CATEGORIES} categories`,
    ms,
    p,
    runPython(['chi2', String(REPS), table, String(CHI2_CALLS)]),
    P_REL_TOL,
  );
}

function benchPsi(dir: string, rand: () => number): void {
  const ref = normals(PSI_VALUES, 0, 1, rand);
  const cur = normals(PSI_VALUES, 0.05, 1.1, rand);
  // Binning included: decile edges selected from the reference (no full sort, as NumPy partitions), count both samples.
  const run = (): number => {
    const edges = sampleQuantiles(ref);
    return psiFromCounts(binCounts(edges, ref), binCounts(edges, cur));
  };
  let value = run();
  const ms = timeMs(() => {
    value = run();
  });
  const py = runPython(['psi', String(REPS), writeF64(dir, 'ref.f64', ref), writeF64(dir, 'cur.f64', cur)]);
  report(`PSI, 10 bins, ${PSI_VALUES} + ${PSI_VALUES} values`, ms, value, py, 1e-12);
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'mlwatch-bench-'));
  const rand = mulberry32(20240611);
  try {
    console.log(`medians of ${REPS} runs; KS samples N(0,1) vs N(${KS_SHIFT},1); reference = SciPy/NumPy in python3`);
    console.log(
      `${'benchmark'.padEnd(LABEL_WIDTH)} ${'ours ms'.padStart(10)} ${'ref ms'.padStart(10)} ${'ratio'.padStart(8)}   ${'ours'.padEnd(22)} ${'reference'.padEnd(22)} agree`,
    );
    benchKs(dir, rand);
    benchChi2(rand);
    benchPsi(dir, rand);
    const version = runPython(['chi2', '1', '[[1,2],[3,4]]', '1']);
    console.log(typeof version === 'string' ? `reference: ${version}` : `reference: SciPy ${version.scipy}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
