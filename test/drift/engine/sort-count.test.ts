/**
 * How much sorting a wide model's evaluation does: 100 numeric features, windows of 5,000 events,
 * reference samples of 50,000 values. Sorting is what a sample test's cost is made of, so the
 * property is an operation count (values handed to a sort), not a duration; the time of the same
 * evaluation against a per-feature ks2samp baseline is figure 1 of `npm run bench:drift`.
 */
import { Random } from '../../../cli/src/demo/random';
import { type DriftFeatureSpec, prepareDriftPlan } from '../../../drift/src/engine/drift-plan';
import { evaluateDriftPlan } from '../../../drift/src/engine/evaluate-drift';
import type { DriftTestName } from '../../../spec/src/drift-tests';
import * as pooledSort from '../../../drift/src/stats/ks-pooled-sort';
import { Stream, driftConfig, numericProfileSorted, referenceProfile, snapshot } from './fixtures';

const FEATURES = 100;
const WINDOW = 5000;
const REFERENCE = 50_000;
/** ksStatisticIndexed sorts the whole window once the candidate buckets hold more than this share of it. */
const MAX_CANDIDATE_SHARE = 0.25;

/** Every sort that runs during `f`: the length handed to the built-in typed-array sort or to the pooled radix sort. */
interface SortCount {
  builtin: number[];
  radix: number[];
}

function countSorts(f: () => void): SortCount {
  const builtin = jest.spyOn(Float64Array.prototype, 'sort');
  const radix = jest.spyOn(pooledSort, 'sortPooled');
  try {
    f();
    return {
      builtin: builtin.mock.contexts.map((array) => (array as unknown as Float64Array).length),
      radix: radix.mock.calls.map(([a, b]) => a.length + b.length),
    };
  } finally {
    builtin.mockRestore();
    radix.mockRestore();
  }
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

const stream = new Stream(new Random(100));
const names = Array.from({ length: FEATURES }, (_, i) => `f${i}`);
const profiles = names.map((name) => numericProfileSorted(name, stream.normals(REFERENCE).sort()));
const window = snapshot('m', {
  numeric: Object.fromEntries(names.map((name) => [name, stream.normals(WINDOW, 0.01)])),
});
const config = driftConfig({ window_size: WINDOW, min_samples: 100 });

function planOf(test: DriftTestName) {
  const features: DriftFeatureSpec[] = names.map((name) => ({ name, type: 'numeric', drift_test: test }));
  return prepareDriftPlan(referenceProfile('m', profiles), config, features);
}

describe('sorting work of one evaluation (100 features, 5,000-event windows, 50,000-value references)', () => {
  test('KS never sorts a reference sample nor a whole window: only values in the candidate buckets are sorted', () => {
    const plan = planOf('ks');
    const sorts = countSorts(() => evaluateDriftPlan(window, plan));
    // The radix sort is the whole-window path (the fallback when bucketing cannot narrow the window down).
    expect(sorts.radix).toEqual([]);
    expect(Math.max(0, ...sorts.builtin)).toBeLessThan(WINDOW);
    // Were more than this share of a window in candidate buckets, it would be sorted whole instead.
    expect(sum(sorts.builtin)).toBeLessThanOrEqual(MAX_CANDIDATE_SHARE * FEATURES * WINDOW);
  });

  test('Wasserstein, which needs a sorted window, sorts each window exactly once and never the reference', () => {
    const plan = planOf('wasserstein');
    const sorts = countSorts(() => evaluateDriftPlan(window, plan));
    expect([...sorts.radix, ...sorts.builtin]).toEqual(new Array<number>(FEATURES).fill(WINDOW));
  });
});
