/**
 * How long a wide model's evaluation takes: 100 numeric features, windows of 5,000 events,
 * reference samples of 50,000 values. As the project measures speed, the test prints the time
 * and asserts only a ratio against a baseline run in the same process (ks2samp per feature,
 * which copies and sorts both samples every time), never an absolute duration.
 */
import { Random } from '../../../cli/src/demo/random';
import { type DriftFeatureSpec, prepareDriftPlan } from '../../../drift/src/engine/drift-plan';
import { evaluateDriftPlan } from '../../../drift/src/engine/evaluate-drift';
import { ks2samp } from '../../../drift/src/stats';
import { Stream, driftConfig, numericProfileSorted, referenceProfile, snapshot } from './fixtures';

const FEATURES = 100;
const WINDOW = 5000;
const REFERENCE = 50_000;

/** Median wall time of `runs` calls, in milliseconds, after two warm-up calls. */
function medianMs(runs: number, f: () => void): number {
  f();
  f();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    f();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)] as number;
}

test('100 KS features on 5,000-event windows against 50,000-value references take a fraction of a per-feature ks2samp', () => {
  const stream = new Stream(new Random(100));
  const names = Array.from({ length: FEATURES }, (_, i) => `f${i}`);
  const profiles = names.map((name) => numericProfileSorted(name, stream.normals(REFERENCE).sort()));
  const columns = Object.fromEntries(names.map((name) => [name, stream.normals(WINDOW, 0.01)]));
  const window = snapshot('m', { numeric: columns });
  const config = driftConfig({ window_size: WINDOW, min_samples: 100 });
  const ksFeatures: DriftFeatureSpec[] = names.map((name) => ({ name, type: 'numeric', drift_test: 'ks' }));
  const plan = prepareDriftPlan(referenceProfile('m', profiles), config, ksFeatures);

  const engineMs = medianMs(9, () => evaluateDriftPlan(window, plan));
  const baselineMs = medianMs(3, () =>
    profiles.forEach((p, i) => ks2samp(columns[names[i] as string] as Float64Array, p.sample)),
  );
  const wassersteinPlan = prepareDriftPlan(
    referenceProfile('m', profiles),
    config,
    names.map((name) => ({ name, type: 'numeric', drift_test: 'wasserstein' })),
  );
  const wassersteinMs = medianMs(5, () => evaluateDriftPlan(window, wassersteinPlan));
  console.log(
    `${FEATURES} features, window ${WINDOW}, reference sample ${REFERENCE}:\n` +
      `  evaluateDrift, KS:          ${engineMs.toFixed(1)} ms (target <= 50 ms)\n` +
      `  ks2samp per feature:        ${baselineMs.toFixed(1)} ms (baseline; ratio ${(engineMs / baselineMs).toFixed(2)})\n` +
      `  evaluateDrift, Wasserstein: ${wassersteinMs.toFixed(1)} ms`,
  );
  expect(engineMs).toBeLessThan(baselineMs);
});
