import { parseSpec } from '../../../spec/src/load-spec';
import type { Spec } from '../../../spec/src/schema';
import { PROFILE_FORMAT, type ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { DriftRecorder } from '../../../exporter/src/drift/drift-recorder';
import { binIndex, type ModelBins } from '../../../exporter/src/drift/fleet/fleet-bins';
import { FeatureValidator } from '../../../exporter/src/ingest/feature-validator';
import { createExporterMetrics } from '../../../exporter/src/metrics/exporter-metrics';
import type { ModelSlot } from '../../../exporter/src/metrics/series-layout';
import { FeatureRecordingPlan } from '../../../exporter/src/serving/feature-recording-plan';

const SPEC: Spec = parseSpec(
  `
service: { name: s }
models:
  - name: m
    task: binary_classification
    classes: [no, yes]
    versions: [{ name: v1, weight: 1 }]
    features:
      - { name: x, type: numeric }
      - { name: score, type: numeric, nullable: true }
      - { name: colour, type: categorical, nullable: true, categories: [red, blue] }
slo: { latency_target_seconds: 0.1, latency_objective_percent: 99, availability_objective_percent: 99.9 }
alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 }
`,
  'spec.yaml',
).spec;

/** Edges with a repeated value (a reference where a tenth of the rows hold the same number) and a negative one. */
const EDGES = [-2.5, 0, 0, 1e-7, 3, 6];

const PROFILE: ReferenceProfile = {
  format: PROFILE_FORMAT,
  model: 'm',
  source: { file: 'ref.csv', rows: 10 },
  sample_limit: 100,
  unique_limit: 100,
  features: [
    {
      name: 'x',
      type: 'numeric',
      count: 10,
      missing: 0,
      sample: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      edges: EDGES,
      proportions: [0.1, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2],
      mean: 5.5,
      std: 2.87,
      unique: 10,
    },
    { name: 'colour', type: 'categorical', count: 10, missing: 0, categories: { red: 6, blue: 4 } },
  ],
};

function setUp(withDrift = true, edges: number[] = EDGES) {
  const metrics = createExporterMetrics(SPEC, { defaultMetrics: false });
  const slot = metrics.layout.models.get('m') as ModelSlot;
  const version = slot.versions.get('v1');
  if (version === undefined) throw new Error('no slot for v1');
  const profile = { ...PROFILE, features: PROFILE.features.map((f) => (f.type === 'numeric' ? { ...f, edges } : f)) };
  const drift = withDrift ? new DriftRecorder(SPEC, new Map([['m', profile]])) : undefined;
  const model = SPEC.models[0];
  if (model === undefined) throw new Error('no model');
  const bins = drift?.fleet.models.get('m') as ModelBins;
  const plan = new FeatureRecordingPlan(model, slot, {
    featureMissing: metrics.featureMissing,
    featureOtherCategory: metrics.featureOtherCategory,
    window: drift?.windowOf(version),
    fleet: drift === undefined ? undefined : { counters: drift.fleet, bins },
  });
  const validator = new FeatureValidator(model);
  /** Validates `features` and records them as the recorder does. */
  const record = (features: Record<string, unknown>, nowMs = 0): void => {
    expect(validator.check(features)).toBeNull();
    plan.record(validator.row, 1, Number.NaN, 0.9, nowMs);
  };
  return { metrics, slot, version, drift, bins, record };
}

describe('FeatureRecordingPlan', () => {
  test.each([
    ['ascending edges, on edges, between repeated edges and beyond both ends', EDGES],
    ['edges out of order (no profile holds them) by the same scan', [3, -1, 6, 0, 0, 2]],
  ])('each value is counted in the bin binIndex gives it: %s', (_name, edges) => {
    const { drift, bins, record } = setUp(true, edges);
    const values = [-1e9, -2.5, -2.4999, -0, 0, 5e-8, 1e-7, 2, 2.999, 3, 5.5, 6, 1e12];
    for (const value of values) record({ x: value, colour: 'red' });
    const expected = new Array<number>(edges.length + 1).fill(0);
    for (const value of values) {
      const bin = binIndex(Float64Array.from(edges), value);
      expected[bin] = (expected[bin] ?? 0) + 1;
    }
    const base = bins.numeric[0]?.base ?? -1;
    expect(expected.map((_, i) => drift?.fleet.bins.value(base + i))).toEqual(expected);
  });

  test('missing values count as missing and are not binned; an unseen category counts as other and in its fleet series', () => {
    const { metrics, slot, drift, bins, record } = setUp();
    record({ x: 1, score: null, colour: 'green' });
    record({ x: 1 });
    expect(metrics.featureMissing.value(slot.missingSeries.get('score') ?? -1)).toBe(2);
    expect(metrics.featureMissing.value(slot.missingSeries.get('colour') ?? -1)).toBe(1);
    expect(metrics.featureOtherCategory.value(slot.otherCategorySeries.get('colour') ?? -1)).toBe(1);
    const colour = bins.categorical[0];
    expect([0, 1, 2].map((code) => drift?.fleet.categories.value((colour?.base ?? -1) + code))).toEqual([0, 0, 1]);
  });

  test('the window gets the features, the class, the output and the confidence at the slot it hands out', () => {
    const { drift, version, record } = setUp();
    record({ x: 4, score: 2, colour: 'blue' }, 1000);
    record({ x: 5, colour: null }, 1000);
    const window = drift?.windowOf(version);
    const snapshot = window?.snapshot(1000);
    expect(Array.from(snapshot?.numeric.get('x') ?? [])).toEqual([4, 5]);
    expect(Array.from(snapshot?.numeric.get('score') ?? [])).toEqual([2, Number.NaN]);
    expect(Array.from(snapshot?.categorical.get('colour') ?? [])).toEqual([1, -1]);
    expect(Array.from(snapshot?.predictedClasses ?? [])).toEqual([1, 1]);
    expect(Array.from(snapshot?.confidences ?? [])).toEqual([0.9, 0.9]);
  });

  test('without drift only the missing and other-category counters move', () => {
    const { metrics, slot, record } = setUp(false);
    record({ x: 1, colour: 'green' });
    expect(metrics.featureMissing.value(slot.missingSeries.get('score') ?? -1)).toBe(1);
    expect(metrics.featureOtherCategory.value(slot.otherCategorySeries.get('colour') ?? -1)).toBe(1);
  });
});
