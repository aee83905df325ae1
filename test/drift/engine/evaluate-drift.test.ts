import { Random } from '../../../cli/src/demo/random';
import { prepareDriftPlan, type DriftFeatureSpec } from '../../../drift/src/engine/drift-plan';
import { evaluateDrift, evaluateDriftInSteps, evaluateDriftPlan } from '../../../drift/src/engine/evaluate-drift';
import { evaluateDriftAsync } from '../../../exporter/src/drift/evaluate-drift-async';
import { benjaminiHochberg, ks2samp } from '../../../drift/src/stats';
import {
  Stream,
  categoricalProfile,
  countsByName,
  driftConfig,
  numericProfile,
  referenceProfile,
  snapshot,
} from './fixtures';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const stream = new Stream(new Random(99));
const categories = ['a', 'b', 'c'];
const shares = [0.5, 0.3, 0.2];

const refX = stream.normals(800);
const refY = stream.normals(800, 5, 3);
const refZ = stream.normals(800);
const profile = referenceProfile('m', [
  numericProfile('x', refX),
  numericProfile('y', refY),
  numericProfile('z', refZ),
  categoricalProfile('c', countsByName(stream.codes(800, shares), categories)),
]);
const features: DriftFeatureSpec[] = [
  { name: 'x', type: 'numeric', drift_test: 'ks' },
  { name: 'y', type: 'numeric', drift_test: 'ks' },
  { name: 'z', type: 'numeric', drift_test: 'wasserstein' },
  { name: 'c', type: 'categorical', categories, drift_test: 'chi2' },
];
// Windows of a few hundred: normalised Wasserstein's sampling noise is about 1.2 / sqrt(n), so its
// threshold is raised above the default 0.1 to keep the healthy feature z quiet (docs/drift.md).
const thresholds = { wasserstein: 0.3 };
const config = driftConfig({ min_samples: 100, thresholds });

/** A window of n events: x shifted by 1σ, y and z healthy, c healthy. */
function window(n: number, extra: Parameters<typeof snapshot>[1] = {}) {
  return snapshot('m', {
    numeric: { x: stream.normals(n, 1), y: stream.normals(n, 5, 3), z: stream.normals(n) },
    categorical: { c: stream.codes(n, shares) },
    ...extra,
  });
}

describe('the drift report', () => {
  test('lists every feature with its test, statistics, verdict and the values it used', () => {
    const snap = window(300);
    const report = evaluateDrift(snap, profile, config, features, { now: NOW });
    const x = report.features[0];
    const expectedKs = ks2samp(snap.numeric.get('x') as Float64Array, refX);
    expect(x).toEqual({
      feature: 'x',
      test: 'ks',
      status: 'ok',
      message: null,
      statistic: expectedKs.statistic,
      pvalue: expectedKs.pvalue,
      adjusted_pvalue: expect.any(Number) as unknown,
      effect_size: expectedKs.statistic,
      effect_size_floor: 0.05,
      threshold: 0.05,
      drifted: true,
      window_size: 300,
    });
    expect(report.features.map((f) => [f.feature, f.test, f.drifted])).toEqual([
      ['x', 'ks', true],
      ['y', 'ks', false],
      ['z', 'wasserstein', false],
      ['c', 'chi2', false],
    ]);
    expect(report).toMatchObject({
      model: 'm',
      evaluated_at: '2025-06-01T12:00:00.000Z',
      window_size: 300,
      min_samples: 100,
      correction: 'benjamini_hochberg',
      status: 'ok',
      features_tested: 4,
      features_drifted: 1,
      drift_share: 0.25,
      drifted: true,
      dataset_drift: false,
    });
    expect(report.output_drift).toBeUndefined();
  });

  test('p-values are corrected across the p-value features only; the distance feature has none', () => {
    const report = evaluateDrift(window(300), profile, config, features, { now: NOW });
    const pvalues = [0, 1, 3].map((i) => report.features[i]?.pvalue as number);
    expect([0, 1, 3].map((i) => report.features[i]?.adjusted_pvalue)).toEqual(Array.from(benjaminiHochberg(pvalues)));
    expect(report.features[2]).toMatchObject({
      pvalue: null,
      adjusted_pvalue: null,
      effect_size_floor: null,
      threshold: 0.3,
    });
  });

  test('dataset drift needs at least dataset_drift_share of the tested features to drift', () => {
    const snap = window(300);
    expect(
      evaluateDrift(snap, profile, driftConfig({ min_samples: 100, thresholds, dataset_drift_share: 0.25 }), features)
        .dataset_drift,
    ).toBe(true);
    expect(
      evaluateDrift(snap, profile, driftConfig({ min_samples: 100, thresholds, dataset_drift_share: 0.26 }), features)
        .dataset_drift,
    ).toBe(false);
  });

  test('the version of a per-version window is carried into the report', () => {
    const report = evaluateDrift({ ...window(150), version: 'v2' }, profile, config, features, { now: NOW });
    expect(report.version).toBe('v2');
  });
});

describe('min_samples', () => {
  test('a window shorter than min_samples gets no verdict: every feature is insufficient and the model fields are null', () => {
    const report = evaluateDrift(window(99), profile, config, features, { now: NOW });
    expect(report).toMatchObject({
      status: 'insufficient_samples',
      features_tested: 0,
      drift_share: null,
      drifted: null,
      dataset_drift: null,
    });
    expect(report.features[0]).toEqual({
      feature: 'x',
      test: 'ks',
      status: 'insufficient_samples',
      message: '99 non-missing values in the window, min_samples is 100',
      statistic: null,
      pvalue: null,
      adjusted_pvalue: null,
      effect_size: null,
      effect_size_floor: 0.05,
      threshold: 0.05,
      drifted: false,
      window_size: 99,
    });
  });

  test('a mostly missing feature is left out and the share is taken over the tested features', () => {
    const snap = window(300);
    const x = snap.numeric.get('x') as Float64Array;
    // Keep 50 of x's 300 values: below min_samples although the window is long enough.
    for (let i = 50; i < x.length; i++) x[i] = NaN;
    const report = evaluateDrift(snap, profile, config, features, { now: NOW });
    expect(report.features[0]).toMatchObject({ status: 'insufficient_samples', window_size: 50, drifted: false });
    expect(report).toMatchObject({ status: 'ok', features_tested: 3, features_drifted: 0, drift_share: 0 });
  });
});

describe('errors', () => {
  test('a feature the window lacks is an error on that feature only', () => {
    const snap = window(300);
    const numeric = new Map(snap.numeric);
    numeric.delete('y');
    const report = evaluateDrift({ ...snap, numeric }, profile, config, features, { now: NOW });
    expect(report.features[1]).toMatchObject({
      status: 'error',
      message: 'y: the window has no values for it',
      drifted: false,
      window_size: 0,
    });
    expect(report).toMatchObject({ status: 'ok', features_tested: 3 });
  });

  test('infinite window values make that feature an error, not a verdict', () => {
    const snap = window(300);
    (snap.numeric.get('z') as Float64Array)[7] = Infinity;
    const report = evaluateDrift(snap, profile, config, features, { now: NOW });
    expect(report.features[2]).toMatchObject({
      status: 'error',
      message: 'z: wasserstein statistic is Infinity; does the window hold infinite values?',
    });
  });

  test('when no feature can be tested because of errors, the model status is error', () => {
    const report = evaluateDrift(
      { ...window(300), numeric: new Map(), categorical: new Map() },
      profile,
      config,
      features,
      { now: NOW },
    );
    expect(report).toMatchObject({ status: 'error', features_tested: 0, drift_share: null, drifted: null });
  });

  test('a window of another model is refused', () => {
    const plan = prepareDriftPlan(profile, config, features);
    expect(() => evaluateDriftPlan({ ...window(150), model: 'other' }, plan)).toThrow(
      'evaluateDrift: the window is of model "other" but the plan of model "m"',
    );
  });
});

describe('output drift', () => {
  const classes = ['legit', 'fraud'];
  const withOutputs = referenceProfile('m', profile.features, {
    prediction: categoricalProfile('prediction', { legit: 720, fraud: 80 }),
    confidence: numericProfile(
      'confidence',
      stream.uniforms(800).map((u) => 0.5 + u / 2),
    ),
  });

  test('predicted classes and confidences are compared with the reference outputs, failed predictions left out', () => {
    const n = 300;
    const predicted = stream.codes(n, [0.5, 0.5]);
    predicted[0] = -1;
    const confidences = stream.uniforms(n).map((u) => 0.5 + u / 2);
    confidences[1] = NaN;
    const report = evaluateDrift(
      window(n, { predictedClasses: predicted, confidences }),
      withOutputs,
      config,
      features,
      { now: NOW, classes },
    );
    expect(report.output_drift?.prediction).toMatchObject({
      feature: 'prediction',
      test: 'chi2',
      status: 'ok',
      drifted: true,
      window_size: n - 1,
    });
    expect(report.output_drift?.confidence).toMatchObject({
      feature: 'confidence',
      test: 'ks',
      status: 'ok',
      drifted: false,
      window_size: n - 1,
    });
  });

  test('outputs are their own family: they change neither the features adjusted p-values nor the drift share', () => {
    const snap = window(300, { predictedClasses: stream.codes(300, [0.5, 0.5]), confidences: stream.uniforms(300) });
    const withOut = evaluateDrift(snap, withOutputs, config, features, { now: NOW, classes });
    const without = evaluateDrift(snap, profile, config, features, { now: NOW });
    expect(withOut.features).toEqual(without.features);
    expect(withOut.drift_share).toBe(without.drift_share);
  });
});

describe('evaluating in steps', () => {
  test('the generator yields after every feature and output and returns the same report', () => {
    const snap = window(200, { predictedClasses: stream.codes(200, [0.9, 0.1]), confidences: stream.uniforms(200) });
    const outputsProfile = referenceProfile('m', profile.features, {
      prediction: categoricalProfile('prediction', { legit: 720, fraud: 80 }),
      confidence: numericProfile('confidence', stream.uniforms(800)),
    });
    const plan = prepareDriftPlan(outputsProfile, config, features, { classes: ['legit', 'fraud'] });
    const steps = evaluateDriftInSteps(snap, plan, { now: NOW });
    const yielded: string[] = [];
    let next = steps.next();
    while (next.done !== true) {
      yielded.push(`${next.value.name} ${next.value.done}/${next.value.total}`);
      next = steps.next();
    }
    expect(yielded).toEqual(['x 1/6', 'y 2/6', 'z 3/6', 'c 4/6', 'prediction 5/6', 'confidence 6/6']);
    expect(next.value).toEqual(evaluateDriftPlan(snap, plan, { now: NOW }));
  });

  test('the async form gives the event loop a turn between slices and the same report', async () => {
    const snap = window(200);
    const plan = prepareDriftPlan(profile, config, features);
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const report = await evaluateDriftAsync(snap, plan, { now: NOW, sliceMs: 0 });
    ticking = false;
    expect(report).toEqual(evaluateDriftPlan(snap, plan, { now: NOW }));
    // sliceMs 0 yields after every feature: four features, at least three turns in between.
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  test('a negative slice is refused', async () => {
    const plan = prepareDriftPlan(profile, config, features);
    await expect(evaluateDriftAsync(window(200), plan, { sliceMs: -1 })).rejects.toThrow(
      'evaluateDriftAsync: sliceMs must be a number >= 0, got -1',
    );
  });
});
