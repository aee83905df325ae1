import { Random } from '../../../cli/src/demo/random';
import { prepareDriftPlan, type DriftFeatureSpec } from '../../../drift/src/engine/drift-plan';
import { evaluateDriftInSteps, evaluateDriftPlan } from '../../../drift/src/engine/evaluate-drift';
import { evaluateDriftAsync } from '../../../exporter/src/drift/evaluate-drift-async';
import { EvaluationScratch } from '../../../drift/src/engine/evaluation-scratch';
import { Stream, driftConfig, numericProfile, referenceProfile, snapshot } from './fixtures';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const stream = new Stream(new Random(2024));
/** Rounded to two decimals, so windows and references share values (the tie paths of every test). */
const rounded = (values: Float64Array): Float64Array => values.map((v) => Math.round(v * 100) / 100);

// One feature per sample test, plus a second KS feature on a skewed reference of another size.
const profile = referenceProfile('m', [
  numericProfile('ks', stream.normals(6000)),
  numericProfile('cvm', rounded(stream.normals(3000))),
  numericProfile('anderson', stream.normals(2500, 1, 2)),
  numericProfile('wasserstein', rounded(stream.normals(4000))),
  numericProfile(
    'skewed',
    stream.uniforms(5000).map((u) => Math.exp(4 * u)),
  ),
]);
const features: DriftFeatureSpec[] = ['ks', 'cvm', 'anderson', 'wasserstein', 'skewed'].map((name) => ({
  name,
  type: 'numeric',
  drift_test: name === 'skewed' ? 'ks' : (name as DriftFeatureSpec['drift_test']),
}));
const plan = prepareDriftPlan(profile, driftConfig({ min_samples: 50, thresholds: { wasserstein: 0.3 } }), features);

/** A window of n events, shifted by `shift`, with every seventh value missing (NaN). */
function window(n: number, shift: number) {
  const column = (values: Float64Array): Float64Array => values.map((v, i) => (i % 7 === 3 ? Number.NaN : v));
  return snapshot('m', {
    numeric: {
      ks: column(stream.normals(n, shift)),
      cvm: column(rounded(stream.normals(n, shift))),
      anderson: column(stream.normals(n, 1 + shift, 2)),
      wasserstein: column(rounded(stream.normals(n, shift))),
      skewed: column(stream.uniforms(n).map((u) => Math.exp(4 * u) + shift)),
    },
  });
}

describe('EvaluationScratch', () => {
  test('evaluations sharing one scratch give exactly the reports of fresh work arrays, larger windows before smaller ones', () => {
    const scratch = new EvaluationScratch();
    for (const [n, shift] of [
      [3000, 0],
      [400, 0.5],
      [2000, 0.1],
      [60, 1],
      [2500, 0],
    ] as const) {
      const snap = window(n, shift);
      expect(evaluateDriftPlan(snap, plan, { now: NOW, scratch })).toEqual(evaluateDriftPlan(snap, plan, { now: NOW }));
    }
  });

  test('the async form with a shared scratch gives the same reports', async () => {
    const scratch = new EvaluationScratch();
    for (const n of [2500, 300]) {
      const snap = window(n, 0.2);
      expect(await evaluateDriftAsync(snap, plan, { now: NOW, scratch, sliceMs: 0 })).toEqual(
        evaluateDriftPlan(snap, plan, { now: NOW }),
      );
    }
  });

  test('a scratch held by an unfinished evaluation is refused to a second one, and free again once the first ends', () => {
    const scratch = new EvaluationScratch();
    const snap = window(200, 0);
    const first = evaluateDriftInSteps(snap, plan, { now: NOW, scratch });
    first.next();
    expect(() => evaluateDriftPlan(snap, plan, { scratch })).toThrow(
      'EvaluationScratch: already in use by another evaluation',
    );
    while (first.next().done !== true);
    expect(evaluateDriftPlan(snap, plan, { now: NOW, scratch })).toEqual(evaluateDriftPlan(snap, plan, { now: NOW }));
  });

  test('an evaluation abandoned part-way through gives the scratch back when its generator is closed', () => {
    const scratch = new EvaluationScratch();
    const snap = window(200, 0);
    const steps = evaluateDriftInSteps(snap, plan, { now: NOW, scratch });
    steps.next();
    steps.return(undefined as never);
    expect(evaluateDriftPlan(snap, plan, { now: NOW, scratch }).status).toBe('ok');
  });
});
