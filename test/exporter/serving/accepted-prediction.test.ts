import { defined } from '../../support/defined';
import { parseSpec } from '../../../spec/src/load-spec';
import type { Spec } from '../../../spec/src/schema';
import { PROFILE_FORMAT, type ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { DriftRecorder } from '../../../exporter/src/drift/drift-recorder';
import type { PredictionLog, PredictionLogEntry } from '../../../exporter/src/logging/prediction-log';
import { createExporterMetrics, type ExporterMetrics } from '../../../exporter/src/metrics/exporter-metrics';
import { AcceptedPredictionRecorder, type AcceptedPrediction } from '../../../exporter/src/serving/accepted-prediction';
import { IdStore } from '../../../exporter/src/joins/id-store';
import { ModelCatalog, type CatalogModel } from '../../../exporter/src/serving/model-catalog';

const SPEC: Spec = parseSpec(
  `
service: { name: s }
models:
  - name: m
    task: binary_classification
    classes: [no, yes]
    versions: [{ name: v1, weight: 0.5 }, { name: v2, weight: 0.5 }]
    features:
      - { name: x, type: numeric }
      - { name: score, type: numeric, nullable: true }
      - { name: colour, type: categorical, categories: [red, blue] }
slo: { latency_target_seconds: 0.1, latency_objective_percent: 99, availability_objective_percent: 99.9 }
alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 }
`,
  'spec.yaml',
).spec;

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
      edges: [3, 6],
      proportions: [0.2, 0.3, 0.5],
      mean: 5.5,
      std: 2.87,
      unique: 10,
    },
    { name: 'colour', type: 'categorical', count: 10, missing: 0, categories: { red: 6, blue: 4 } },
  ],
};

/** A prediction log that samples as told and keeps what it is given. */
class FakeLog implements PredictionLog {
  readonly lines: PredictionLogEntry[] = [];
  constructor(public sampleNext = false) {}
  sampled(): boolean {
    return this.sampleNext;
  }
  write(entry: PredictionLogEntry): void {
    this.lines.push(entry);
  }
  reopen(): void {}
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

function setUp(options: { drift?: boolean; log?: FakeLog } = {}) {
  const metrics = createExporterMetrics(SPEC, { defaultMetrics: false });
  const catalog = new ModelCatalog(SPEC, metrics.layout, new Map());
  const drift = options.drift === false ? undefined : new DriftRecorder(SPEC, new Map([['m', PROFILE]]));
  const log = options.log ?? new FakeLog();
  const ids = new IdStore(10, null, metrics.idStoreEvictions);
  const recorder = new AcceptedPredictionRecorder({ catalog, metrics, drift, predictionLog: log, ids });
  const model = catalog.models.get('m') as CatalogModel;
  return { metrics, drift, log, recorder, model, ids };
}

function accepted(model: CatalogModel, features: Record<string, unknown>, overrides: Partial<AcceptedPrediction> = {}) {
  return {
    model,
    slot: defined(model.slot.versions.get('v1'), 'v1'),
    status: 'success' as const,
    features,
    prediction: 'yes',
    classIndex: 1,
    confidence: 0.8,
    latencySeconds: 0.004,
    predictionId: undefined,
    ...overrides,
  };
}

const describeLine = (event: AcceptedPrediction): PredictionLogEntry => ({
  prediction_id: 'id-1',
  model: event.model.spec.name,
  version: event.slot.version,
  source: 'ingest',
  status: event.status,
  input: event.features,
});

function statusCount(metrics: ExporterMetrics, version: string, status: 'success' | 'error'): number {
  const slot = defined(defined(metrics.layout.models.get('m'), 'm').versions.get(version), version);
  return metrics.predictions.value(metrics.layout.statusSeries(slot, status));
}

describe('AcceptedPredictionRecorder', () => {
  test('a prediction whose id was recorded already is counted as a duplicate and recorded no further', () => {
    const log = new FakeLog(true);
    const { metrics, recorder, model, ids, drift } = setUp({ log });
    const features = { x: 1, score: 2, colour: 'red' };
    model.validator.check(features);
    expect(recorder.recordChecked(accepted(model, features, { predictionId: 'p1' }), 'ingest', describeLine, 5)).toBe(
      true,
    );
    model.validator.check(features);
    // A different payload under the same id is still a duplicate: the first write wins.
    const retry = accepted(model, features, { predictionId: 'p1', slot: defined(model.slot.versions.get('v2'), 'v2') });
    expect(recorder.recordChecked(retry, 'ingest', describeLine, 6)).toBe(false);
    expect(statusCount(metrics, 'v1', 'success')).toBe(1);
    expect(statusCount(metrics, 'v2', 'success')).toBe(0);
    expect(metrics.duplicateCount('m')).toBe(1);
    expect(log.lines).toHaveLength(1);
    expect(defined(drift, 'drift').targets.map((t) => t.window.size(6))).toEqual([1]);
    // The confidence is kept as a float32 (what a label join needs of it).
    expect(ids.get('p1', 6)).toEqual({
      id: 'p1',
      slot: 0,
      classIndex: 1,
      output: Number.NaN,
      confidence: Math.fround(0.8),
      timeMs: 5,
    });
  });

  test('predictions without an id cannot be deduplicated and are each recorded', () => {
    const { metrics, recorder, model, ids } = setUp();
    const features = { x: 1, score: 2, colour: 'red' };
    for (let i = 0; i < 3; i++) {
      model.validator.check(features);
      expect(recorder.recordChecked(accepted(model, features), 'ingest', describeLine, i)).toBe(true);
    }
    expect(statusCount(metrics, 'v1', 'success')).toBe(3);
    expect(metrics.duplicateCount('m')).toBe(0);
    expect(ids.size).toBe(0);
  });

  test('a successful prediction moves its status, latency, confidence and class series, and none of the other version', () => {
    const { metrics, recorder, model } = setUp();
    const features = { x: 1, score: 2, colour: 'red' };
    model.validator.check(features);
    recorder.recordChecked(accepted(model, features), 'ingest', describeLine, 0);
    const v1 = defined(model.slot.versions.get('v1'), 'v1');
    const v2 = defined(model.slot.versions.get('v2'), 'v2');
    expect(statusCount(metrics, 'v1', 'success')).toBe(1);
    expect(statusCount(metrics, 'v2', 'success')).toBe(0);
    expect(metrics.latency.count(v1.index)).toBe(1);
    expect(metrics.confidence.count(v1.index)).toBe(1);
    expect(metrics.predictedClass.value(v1.classBase + 1)).toBe(1);
    expect(metrics.predictedClass.value(v1.classBase + 0)).toBe(0);
    expect(metrics.latency.count(v2.index)).toBe(0);
  });

  test('a failed prediction counts as an error with its latency, but no confidence or class', () => {
    const { metrics, recorder, model } = setUp();
    const features = { x: 1, colour: 'red' };
    model.validator.check(features);
    const failed = accepted(model, features, { status: 'error', prediction: undefined, classIndex: -1 });
    recorder.recordChecked(failed, 'ingest', describeLine, 0);
    const v1 = defined(model.slot.versions.get('v1'), 'v1');
    expect(statusCount(metrics, 'v1', 'error')).toBe(1);
    expect(statusCount(metrics, 'v1', 'success')).toBe(0);
    expect(metrics.latency.count(v1.index)).toBe(1);
    expect(metrics.confidence.count(v1.index)).toBe(0);
    expect(metrics.predictedClass.value(v1.classBase + 1)).toBe(0);
  });

  test('the features count missing values and unseen categories and fill the fleet bins and the drift window', () => {
    const { metrics, drift, recorder, model } = setUp();
    const features = { x: 5, colour: 'green' };
    model.validator.check(features);
    recorder.recordChecked(accepted(model, features), 'ingest', describeLine, 1000);
    expect(metrics.featureMissing.value(defined(model.slot.missingSeries.get('score'), 'score'))).toBe(1);
    expect(metrics.featureOtherCategory.value(defined(model.slot.otherCategorySeries.get('colour'), 'colour'))).toBe(1);
    const bins = defined(defined(drift, 'drift').fleet.models.get('m'), 'm');
    // 5 lies between the edges 3 and 6: bin 01.
    expect(
      [0, 1, 2].map((i) =>
        defined(drift, 'drift').fleet.bins.value(defined(bins.numeric[0], 'bins.numeric[0]').base + i),
      ),
    ).toEqual([0, 1, 0]);
    const colour = defined(bins.categorical[0], 'bins.categorical[0]');
    expect(defined(drift, 'drift').fleet.categories.value(colour.base + colour.otherCode)).toBe(1);
    const snapshot = defined(
      defined(drift, 'drift').windowOf(defined(model.slot.versions.get('v1'), 'v1')),
      'the window of v1',
    ).snapshot(1000);
    expect(Array.from(defined(snapshot.numeric.get('x'), 'x'))).toEqual([5]);
    expect(Array.from(defined(snapshot.numeric.get('score'), 'score'))).toEqual([Number.NaN]);
    expect(Array.from(defined(snapshot.categorical.get('colour'), 'colour'))).toEqual([2]);
    expect(Array.from(defined(snapshot.predictedClasses, 'snapshot.predictedClasses'))).toEqual([1]);
    expect(Array.from(snapshot.confidences)).toEqual([0.8]);
  });

  test('without drift, the metrics are still recorded', () => {
    const { metrics, recorder, model } = setUp({ drift: false });
    const features = { x: 5, colour: 'green' };
    model.validator.check(features);
    recorder.recordChecked(accepted(model, features), 'ingest', describeLine, 0);
    expect(statusCount(metrics, 'v1', 'success')).toBe(1);
    expect(metrics.featureOtherCategory.value(defined(model.slot.otherCategorySeries.get('colour'), 'colour'))).toBe(1);
  });

  test('record reads the features again, so a row validated for another request in between does not leak in', () => {
    const { drift, recorder, model } = setUp();
    const mine = { x: 1, colour: 'red' };
    model.validator.check(mine);
    model.validator.check({ x: 9, colour: 'blue' });
    recorder.record(accepted(model, mine), 'predict', describeLine, 0);
    const snapshot = defined(
      defined(drift, 'drift').windowOf(defined(model.slot.versions.get('v1'), 'v1')),
      'the window of v1',
    ).snapshot(0);
    expect(Array.from(defined(snapshot.numeric.get('x'), 'x'))).toEqual([1]);
    expect(Array.from(defined(snapshot.categorical.get('colour'), 'colour'))).toEqual([0]);
  });

  test('record refuses features that no longer validate, and counts nothing', () => {
    const { metrics, recorder, model } = setUp();
    expect(() => recorder.record(accepted(model, { x: 'one', colour: 'red' }), 'predict', describeLine, 0)).toThrow(
      'features changed after validation: features.x: expected a number, got "one" (a string)',
    );
    expect(statusCount(metrics, 'v1', 'success')).toBe(0);
  });

  test('the log line is built and written only when the log samples the prediction', () => {
    const log = new FakeLog(false);
    const { recorder, model } = setUp({ log });
    const features = { x: 1, colour: 'red' };
    const describe = jest.fn(describeLine);
    model.validator.check(features);
    recorder.recordChecked(accepted(model, features), 'ingest', describe, 0);
    expect(describe).not.toHaveBeenCalled();
    log.sampleNext = true;
    recorder.recordChecked(accepted(model, features), 'ingest', describe, 0);
    expect(describe).toHaveBeenCalledTimes(1);
    expect(log.lines).toEqual([
      { prediction_id: 'id-1', model: 'm', version: 'v1', source: 'ingest', status: 'success', input: features },
    ]);
  });
});
