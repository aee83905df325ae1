import { parseSpec } from '../../../spec/src/load-spec';
import { DEFAULT_REGRESSION_BUCKETS } from '../../../spec/src/conventions';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { createExporterMetrics } from '../../../exporter/src/metrics/exporter-metrics';
import { expectedRow, predictionValueBuckets } from '../../../exporter/src/metrics/quality-metrics';
import { defined } from '../../support/defined';

const TAIL = `
slo: { latency_target_seconds: 0.1, latency_objective_percent: 99, availability_objective_percent: 99.9 }
alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 }
`;

const SPEC = parseSpec(
  `
service: { name: s }
models:
  - name: tri
    task: multiclass_classification
    classes: [a, b, c]
    versions: [{ name: v1, weight: 1 }]
    features: [{ name: x, type: numeric }]
    quality: {}
  - name: bin
    task: binary_classification
    classes: [no, yes]
    versions: [{ name: v1, weight: 1 }]
    features: [{ name: x, type: numeric }]
    quality: {}
  - name: price
    task: regression
    versions: [{ name: v1, weight: 1 }]
    features: [{ name: x, type: numeric }]
${TAIL}`,
  'spec.yaml',
).spec;

/** A profile of model `name` holding only a calibration map (the parts the quality metrics read). */
function calibrated(name: string, maps: Record<string, { x: number[]; y: number[] }>): ReferenceProfile {
  return {
    calibration: { method: 'isotonic', maps: { '*': maps }, check: {} },
    model: name,
  } as unknown as ReferenceProfile;
}

function versionOf(metrics: ReturnType<typeof createExporterMetrics>, model: string) {
  const slot = defined(metrics.layout.models.get(model)?.versions.get('v1'), `${model} v1`);
  return defined(metrics.quality.versions[slot.index], `${model} quality`);
}

describe('the expected confusion row of a prediction', () => {
  test('two classes: exact from the predicted class probability', () => {
    const version = versionOf(createExporterMetrics(SPEC, { defaultMetrics: false }), 'bin');
    expect(expectedRow(version, 1, 0.75, undefined)).toBe(true);
    expect([...version.row]).toEqual([0.25, 0.75]);
  });

  test('more classes: 1 − p spread evenly over the classes not predicted', () => {
    const version = versionOf(createExporterMetrics(SPEC, { defaultMetrics: false }), 'tri');
    expect(expectedRow(version, 2, 0.5, undefined)).toBe(true);
    expect([...version.row]).toEqual([0.25, 0.25, 0.5]);
  });

  test('class probabilities, when given, are used as they are (missing classes as 0, normalised)', () => {
    const version = versionOf(createExporterMetrics(SPEC, { defaultMetrics: false }), 'tri');
    expect(expectedRow(version, 0, 0.9, { a: 0.5, c: 0.25 })).toBe(true);
    expect([...version.row]).toEqual([2 / 3, 0, 1 / 3]);
  });

  test('without a confidence or probabilities there is no row', () => {
    const version = versionOf(createExporterMetrics(SPEC, { defaultMetrics: false }), 'bin');
    expect(expectedRow(version, 1, Number.NaN, undefined)).toBe(false);
  });

  test("the profile's calibration map is applied per class, then the row renormalised", () => {
    // yes: raw 0.8 → 0.6 (halfway between knots 0.6 → 0.4 and 1 → 0.8); no: raw 0.2 → 0.2 (identity).
    const profiles = new Map([
      ['bin', calibrated('bin', { yes: { x: [0.6, 1], y: [0.4, 0.8] }, no: { x: [0, 1], y: [0, 1] } })],
    ]);
    const metrics = createExporterMetrics(SPEC, { defaultMetrics: false, profiles });
    const version = versionOf(metrics, 'bin');
    expect(expectedRow(version, 1, 0.8, undefined)).toBe(true);
    // 0.2 and 0.6 sum to 0.8: renormalised to 0.25 and 0.75.
    expect(version.row[0]).toBeCloseTo(0.25, 12);
    expect(version.row[1]).toBeCloseTo(0.75, 12);
    metrics.quality.recordExpected(version, 1, 0.8, undefined);
    expect(metrics.quality.expectedLabels.value(version.confusionBase + 2)).toBeCloseTo(0.25, 12);
    expect(metrics.quality.expectedLabels.value(version.confusionBase + 3)).toBeCloseTo(0.75, 12);
  });
});

describe('the quality metrics in /metrics', () => {
  test('every label combination of a labelled model exists at zero before the first label', async () => {
    const text = await createExporterMetrics(SPEC, { defaultMetrics: false }).registry.metrics();
    for (const predicted of ['a', 'b', 'c'])
      for (const actual of ['a', 'b', 'c']) {
        const labels = `{model="tri",version="v1",predicted="${predicted}",actual="${actual}"}`;
        expect(text).toContain(`mlwatch_labels_total${labels} 0\n`);
        expect(text).toContain(`mlwatch_expected_labels_total${labels} 0\n`);
        expect(text).toContain(`mlwatch_labelled_expected_labels_total${labels} 0\n`);
      }
    expect(text).toContain('mlwatch_label_events_total{result="store_unavailable"} 0\n');
    expect(text).toContain('mlwatch_join_store_errors_total{operation="claim"} 0\n');
    expect(text).toContain('mlwatch_label_delay_seconds_bucket{model="bin",version="v1",le="60"} 0\n');
    // price takes no labels: no error series, but its outputs are histogrammed.
    expect(text).not.toContain('mlwatch_regression_absolute_error_bucket{model="price"');
    expect(text).toContain('mlwatch_prediction_value_bucket{model="price",version="v1",le="0.01"} 0\n');
  });

  test('regression: a regression model had no view of its outputs — mlwatch_prediction_value records them', async () => {
    const metrics = createExporterMetrics(SPEC, { defaultMetrics: false });
    const version = versionOf(metrics, 'price');
    metrics.quality.predictionValue.observe(version.valueSeries, 3);
    const text = await metrics.registry.metrics();
    expect(text).toContain('mlwatch_prediction_value_bucket{model="price",version="v1",le="2.5"} 0\n');
    expect(text).toContain('mlwatch_prediction_value_bucket{model="price",version="v1",le="5"} 1\n');
    expect(text).toContain('mlwatch_prediction_value_sum{model="price",version="v1"} 3\n');
  });

  test('a spec without labels or regression models registers none of them', async () => {
    const spec = parseSpec(
      `
service: { name: s }
models:
  - name: bin
    task: binary_classification
    classes: [no, yes]
    versions: [{ name: v1, weight: 1 }]
    features: [{ name: x, type: numeric }]
${TAIL}`,
      'spec.yaml',
    ).spec;
    const text = await createExporterMetrics(spec, { defaultMetrics: false }).registry.metrics();
    expect(text).not.toContain('mlwatch_label');
    expect(text).not.toContain('mlwatch_prediction_value');
  });
});

describe('predictionValueBuckets', () => {
  const price = defined(SPEC.models[2], 'price');
  const profile = {
    outputs: { prediction: { type: 'numeric', edges: [1, 2, 2, 5] } },
  } as unknown as ReferenceProfile;

  test('the spec’s value_buckets first, then the reference’s output deciles (each once), else the default ladder', () => {
    expect(predictionValueBuckets({ ...price, value_buckets: [10, 20] }, profile)).toEqual([10, 20]);
    expect(predictionValueBuckets(price, profile)).toEqual([1, 2, 5]);
    expect(predictionValueBuckets(price, undefined)).toEqual(DEFAULT_REGRESSION_BUCKETS);
  });
});
