/**
 * Tests one plan entry against a snapshot: reads its column, drops missing values, checks
 * min_samples, and runs the test. Problems with one feature's data become that feature's
 * `error` status, so one bad column never hides the verdicts on the others.
 */
import type { WindowSnapshot } from '../window-snapshot';
import type { PlanEntry } from './drift-plan';
import type { EvaluationScratch } from './evaluation-scratch';
import { type FeatureWindow, runFeatureTest } from './feature-test';
import type { TestResult } from './test-result';
import { codeCounts, presentValues } from './window-columns';

/** Why an entry was or was not tested; windowSize counts the non-missing values that were (or would be) used. */
export type EntryOutcome =
  | { readonly status: 'ok'; readonly windowSize: number; readonly result: TestResult }
  | { readonly status: 'insufficient_samples' | 'error'; readonly windowSize: number; readonly message: string };

/** The outcome of one entry's test on the snapshot, in the evaluation's work arrays; never throws for bad data, only reports it. */
export function evaluateEntry(
  entry: PlanEntry,
  snapshot: WindowSnapshot,
  minSamples: number,
  scratch: EvaluationScratch,
): EntryOutcome {
  let window: FeatureWindow;
  try {
    window = windowOf(entry, snapshot, scratch);
  } catch (error) {
    return { status: 'error', windowSize: 0, message: (error as Error).message };
  }
  const windowSize = window.kind === 'numeric' ? window.values.length : total(window.counts);
  if (windowSize < minSamples) {
    return {
      status: 'insufficient_samples',
      windowSize,
      message: `${windowSize} non-missing values in the window, min_samples is ${minSamples}`,
    };
  }
  try {
    return {
      status: 'ok',
      windowSize,
      result: checkedResult(runFeatureTest(entry.test, entry.reference, window, scratch)),
    };
  } catch (error) {
    return { status: 'error', windowSize, message: `${entry.name}: ${(error as Error).message}` };
  }
}

function windowOf(entry: PlanEntry, snapshot: WindowSnapshot, scratch: EvaluationScratch): FeatureWindow {
  const where = entry.name;
  if (entry.column.kind === 'numeric') {
    const column = entry.column.read(snapshot);
    if (column === undefined) throw new RangeError(`${where}: the window has no values for it`);
    return { kind: 'numeric', values: presentValues(column, scratch.present) };
  }
  const codes = entry.column.read(snapshot);
  if (codes === undefined) throw new RangeError(`${where}: the window has no values for it`);
  if (entry.reference.kind !== 'categorical')
    throw new RangeError(`${where}: categorical codes need a categorical reference`);
  return { kind: 'categorical', counts: codeCounts(codes, entry.reference.labels.length, where) };
}

/** Infinite window values or a broken p-value must not turn into a verdict. */
function checkedResult(result: TestResult): TestResult {
  if (!Number.isFinite(result.statistic))
    throw new RangeError(`${result.test} statistic is ${result.statistic}; does the window hold infinite values?`);
  const p = result.pvalue;
  if (p !== null && !(p >= 0 && p <= 1)) throw new RangeError(`${result.test} p-value is ${p}, outside [0, 1]`);
  return result;
}

function total(counts: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < counts.length; i++) sum += counts[i] as number;
  return sum;
}
