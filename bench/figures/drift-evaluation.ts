/**
 * Drift figure 1: how long one exact-tier evaluation of a wide model takes. One model with
 * 100 numeric features (KS each), a full 5,000-event window and 50,000-row references kept
 * whole (sample limit 50,000, not the default), in this process: the sync evaluateDriftPlan
 * end to end, then the sliced evaluateDriftAsync the monitor uses, with the longest slice it
 * blocks the event loop for. Both reuse one snapshot buffer set and work arrays, as the monitor does.
 */
import { Random } from '../../cli/src/demo/random';
import type { ModelSpec } from '../../spec/src/schema';
import { prepareDriftPlan, type DriftPlan } from '../../drift/src/engine/drift-plan';
import type { DriftReport } from '../../drift/src/engine/drift-report';
import { evaluateDriftPlan } from '../../drift/src/engine/evaluate-drift';
import { DEFAULT_SLICE_MS, evaluateDriftAsync } from '../../exporter/src/drift/evaluate-drift-async';
import { EvaluationScratch } from '../../drift/src/engine/evaluation-scratch';
import type { ReferenceProfile } from '../../drift/src/profile/reference-profile';
import { ks2samp } from '../../drift/src/stats';
import { DEFAULT_SAMPLE_LIMIT } from '../../drift/src/profile/build-profile';
import { DriftWindow } from '../../exporter/src/drift/window/drift-window';
import { SnapshotBuffers } from '../../exporter/src/drift/window/snapshot-buffers';
import type { WindowSnapshot } from '../../drift/src/window-snapshot';
import { median } from '../support/median';
import { num, row } from '../support/report';
import { syntheticProfile } from '../support/synthetic-profile';
import { syntheticEvent, syntheticModel, syntheticSpec, type Shifts } from '../support/synthetic-model';
import { verdictAtMost } from '../support/verdict-at-most';

/** Milliseconds one evaluation of the wide model may take. */
export const EVALUATION_MS_TARGET = 50;
const FEATURES = 100;
const WINDOW_SIZE = 5000;
const REFERENCE_ROWS = 50_000;
/** Every reference row is kept (`mlwatch profile --sample-limit 50000`): the figure is timed on 50,000-value samples. */
const SAMPLE_LIMIT = 50_000;
/** Every SHIFT_EVERY-th feature's window is shifted by SHIFT standard deviations: enough for KS D to pass the 0.05 floor. */
const SHIFT_EVERY = 10;
const SHIFT = 0.2;
const WARMUP_EVALUATIONS = 3;
const ASYNC_RUNS = 5;
const SEED = 20250610;

/** The figure's medians and verdict. */
export interface DriftEvaluationResult {
  medianMs: number;
  medianSnapshotMs: number;
  asyncMedianTotalMs: number;
  asyncLongestSliceMs: number;
  /** For context: the same sync evaluation against profiles with the default sample limit. */
  defaultSampleMedianMs: number;
  /** The baseline of the same run: one ks2samp per feature, window against reference sample. */
  ks2sampBaselineMedianMs: number;
  pass: boolean;
}

/** Runs drift figure 1 with `runs` timed sync evaluations and prints its table; throws when the report is not a full verdict. */
export async function runDriftEvaluation(runs: number): Promise<DriftEvaluationResult> {
  console.log(
    `\nFigure 1 — evaluation time: 1 model, ${FEATURES} numeric features (drift_test: ks; normal, lognormal, gamma), ` +
      `window ${num(WINDOW_SIZE)} events, reference sample ${num(SAMPLE_LIMIT)} values per feature ` +
      `(${num(REFERENCE_ROWS)} rows profiled with --sample-limit ${SAMPLE_LIMIT}; the default keeps ${num(DEFAULT_SAMPLE_LIMIT)}), in this process`,
  );
  const model = syntheticModel('wide', { numeric: FEATURES, categorical: 0 });
  const spec = syntheticSpec([model], {
    numericTest: 'ks',
    drift: { window_size: WINDOW_SIZE, min_samples: 1000, max_age_seconds: null },
  });
  const modelSpec = spec.models[0] as ModelSpec;

  let started = performance.now();
  const profile = syntheticProfile(model, REFERENCE_ROWS, SEED, SAMPLE_LIMIT);
  const profileMs = performance.now() - started;
  started = performance.now();
  const plan = prepareDriftPlan(
    profile,
    spec.drift,
    modelSpec.features,
    modelSpec.classes === undefined ? {} : { classes: modelSpec.classes },
  );
  const planMs = performance.now() - started;

  const shifts: Shifts = new Map(model.numeric.filter((_, i) => i % SHIFT_EVERY === 0).map((f) => [f.name, SHIFT]));
  const window = new DriftWindow(modelSpec, { capacity: WINDOW_SIZE, maxAgeMs: null });
  const r = new Random(SEED + 1);
  for (let i = 0; i < WINDOW_SIZE; i++) window.record(syntheticEvent(r, model, shifts), i);
  console.log(
    `  set-up: profile built in ${num(profileMs / 1000, 1)} s, plan prepared in ${num(planMs, 0)} ms; ` +
      `window filled, ${shifts.size} features shifted by ${SHIFT} std`,
  );

  // What the monitor keeps between evaluations: one set of snapshot columns and work arrays.
  const buffers = new SnapshotBuffers();
  const scratch = new EvaluationScratch();
  for (let i = 0; i < WARMUP_EVALUATIONS; i++)
    checkedReport(evaluateDriftPlan(window.snapshot(0, buffers), plan, { scratch }), shifts.size);
  const evaluateMs: number[] = [];
  const snapshotMs: number[] = [];
  let report: DriftReport | undefined;
  const line = (cells: string[]): string =>
    `  ${row([
      [cells[0] as string, -4],
      [cells[1] as string, 12],
      [cells[2] as string, 12],
    ])}`;
  console.log(line(['run', 'evaluate ms', 'snapshot ms']));
  for (let run = 1; run <= runs; run++) {
    const t0 = performance.now();
    const snapshot = window.snapshot(0, buffers);
    const t1 = performance.now();
    report = evaluateDriftPlan(snapshot, plan, { scratch });
    const t2 = performance.now();
    snapshotMs.push(t1 - t0);
    evaluateMs.push(t2 - t1);
    console.log(line([String(run), num(t2 - t1, 1), num(t1 - t0, 2)]));
  }
  const drifted = checkedReport(report as DriftReport, shifts.size);
  console.log(
    `  report: status ok, ${FEATURES} features tested, ${drifted.length} drifted (${drifted.join(', ')}); ${shifts.size} were shifted`,
  );

  const asyncRuns: AsyncTiming[] = [];
  for (let run = 0; run < ASYNC_RUNS; run++)
    asyncRuns.push(await timeAsync(window.snapshot(0, buffers), plan, scratch));
  // For context, the default configuration: the same rows profiled with the default sample limit, the same window.
  const defaultPlan = prepareDriftPlan(syntheticProfile(model, REFERENCE_ROWS, SEED), spec.drift, modelSpec.features);
  const defaultMs: number[] = [];
  for (let run = -WARMUP_EVALUATIONS; run < runs; run++) {
    const snapshot = window.snapshot(0, buffers);
    const t0 = performance.now();
    checkedReport(evaluateDriftPlan(snapshot, defaultPlan, { scratch }), shifts.size);
    if (run >= 0) defaultMs.push(performance.now() - t0);
  }
  const baselineMs = timeKs2sampPerFeature(window.snapshot(0, buffers), profile, runs);
  const medianMs = median(evaluateMs);
  const pass = medianMs <= EVALUATION_MS_TARGET;
  const result: DriftEvaluationResult = {
    medianMs,
    medianSnapshotMs: median(snapshotMs),
    asyncMedianTotalMs: median(asyncRuns.map((a) => a.totalMs)),
    asyncLongestSliceMs: median(asyncRuns.map((a) => a.longestSliceMs)),
    defaultSampleMedianMs: median(defaultMs),
    ks2sampBaselineMedianMs: median(baselineMs),
    pass,
  };
  console.log(
    `  median: ${num(medianMs, 1)} ms per evaluateDriftPlan (${runs} runs; the window snapshot adds ${num(result.medianSnapshotMs, 2)} ms)   ` +
      verdictAtMost(num(medianMs, 1), num(EVALUATION_MS_TARGET), pass),
  );
  console.log(
    `  async (evaluateDriftAsync, ${DEFAULT_SLICE_MS} ms slices, median of ${ASYNC_RUNS}): total ${num(result.asyncMedianTotalMs, 1)} ms ` +
      `in ${num(median(asyncRuns.map((a) => a.slices)))} slices; longest slice ${num(result.asyncLongestSliceMs, 2)} ms ` +
      `(worst of all runs ${num(Math.max(...asyncRuns.map((a) => a.longestSliceMs)), 2)} ms) = the longest the event loop is blocked`,
  );
  console.log(
    `  for context, the same rows profiled with the default sample limit (${num(DEFAULT_SAMPLE_LIMIT)} values per feature): ` +
      `${num(result.defaultSampleMedianMs, 1)} ms per evaluateDriftPlan (median of ${runs})`,
  );
  console.log(
    `  baseline of this run, ks2samp per feature (checks and copies both samples every time): ` +
      `${num(result.ks2sampBaselineMedianMs, 1)} ms (median of ${runs}); ` +
      `evaluateDriftPlan / baseline = ${num(medianMs / result.ks2sampBaselineMedianMs, 2)}`,
  );
  return result;
}

/**
 * Wall times of `runs` rounds (after one untimed round) of ks2samp of each feature's window values
 * against its reference sample: how the engine would cost without a plan prepared once.
 */
function timeKs2sampPerFeature(snapshot: WindowSnapshot, profile: ReferenceProfile, runs: number): number[] {
  const pairs = profile.features.flatMap((feature) => {
    const values = snapshot.numeric.get(feature.name);
    return feature.type === 'numeric' && values !== undefined ? [{ values, sample: feature.sample }] : [];
  });
  if (pairs.length !== FEATURES)
    throw new Error(`drift figure 1: the ks2samp baseline found ${pairs.length} of ${FEATURES} feature columns`);
  const times: number[] = [];
  for (let run = -1; run < runs; run++) {
    const t0 = performance.now();
    for (const { values, sample } of pairs) ks2samp(values, sample);
    if (run >= 0) times.push(performance.now() - t0);
  }
  return times;
}

/** Names of the drifted features; throws unless every feature got a verdict. */
function checkedReport(report: DriftReport, shifted: number): string[] {
  if (report.status !== 'ok' || report.features_tested !== FEATURES) {
    throw new Error(
      `drift figure 1: expected a full verdict on ${FEATURES} features, got status ${report.status} with ${report.features_tested} tested`,
    );
  }
  const drifted = report.features.filter((f) => f.drifted).map((f) => f.feature);
  if (drifted.length === 0 && shifted > 0)
    throw new Error(
      'drift figure 1: no feature drifted although some were shifted; the workload is not what it claims',
    );
  return drifted;
}

interface AsyncTiming {
  totalMs: number;
  longestSliceMs: number;
  slices: number;
}

/**
 * Times evaluateDriftAsync with a setImmediate ticker beside it: the ticker and the evaluator
 * take turns in the check phase, so the longest gap between ticks is the longest slice.
 */
async function timeAsync(snapshot: WindowSnapshot, plan: DriftPlan, scratch: EvaluationScratch): Promise<AsyncTiming> {
  let last = performance.now();
  let longest = 0;
  let slices = 0;
  let done = false;
  const tick = (): void => {
    if (done) return;
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    slices++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  await evaluateDriftAsync(snapshot, plan, { scratch });
  const ended = performance.now();
  done = true;
  // The last slice ended with the evaluation, before the ticker could see it.
  longest = Math.max(longest, ended - last);
  return { totalMs: ended - started, longestSliceMs: longest, slices: slices + 1 };
}
