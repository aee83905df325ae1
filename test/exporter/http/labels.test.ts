import request from 'supertest';
import { defined } from '../../support/defined';
import { demoFeatures } from '../../support/demo-spec';
import {
  fraudEvent,
  ingestPredictions,
  priceEvent,
  sampleOf,
  withLabels,
  type LabelsBody,
} from '../../support/labels-spec';
import type { IngestBody } from '../../support/response-body';
import { buildTestExporter } from '../../support/test-exporter';

type Built = ReturnType<typeof buildTestExporter>;

async function postLabels(built: Built, events: unknown[], status = 200): Promise<LabelsBody> {
  const res = await request(built.app).post('/v1/events/labels').send({ events }).expect(status);
  return res.body as LabelsBody;
}

async function metricsText(built: Built): Promise<string> {
  const res = await request(built.app).get('/metrics').expect(200);
  return res.text;
}

function confusion(text: string, metric: string, version: string, predicted: string, actual: string): number {
  const series = `${metric}{model="fraud",version="${version}",predicted="${predicted}",actual="${actual}"}`;
  return defined(sampleOf(text, series), series);
}

describe('POST /v1/events/labels: the confusion matrix and the expected one', () => {
  test('regression: no ground truth (issue 14) — labels join their predictions, and hand-computed confusion and expected counts equal the /metrics output', async () => {
    const built = buildTestExporter({ edit: withLabels(), uncalibrated: true });
    // Confidences exact in float32, so the stored confidence is the sent one.
    await ingestPredictions(built, [
      fraudEvent('p1', { prediction: 'fraud', confidence: 0.75 }),
      fraudEvent('p2', { prediction: 'fraud', confidence: 0.625 }),
      fraudEvent('p3', { prediction: 'legit', confidence: 0.875 }),
      fraudEvent('p4', { prediction: 'legit', confidence: 0.75 }),
      fraudEvent('p5', { prediction: 'legit', confidence: 0.9375 }),
      fraudEvent('p6', { prediction: 'fraud', confidence: 0.875 }),
    ]);
    const body = await postLabels(built, [
      { prediction_id: 'p1', label: 'fraud' },
      { prediction_id: 'p2', label: 'legit' },
      { prediction_id: 'p3', label: 'legit' },
      { prediction_id: 'p4', label: 'fraud' },
      { prediction_id: 'p5', label: 'legit' },
    ]);
    expect(body).toEqual({ accepted: 5, duplicates: 0, unmatched: 0, rejected: [] });
    const text = await metricsText(built);
    const labels = 'mlwatch_labels_total';
    expect(confusion(text, labels, 'v1', 'fraud', 'fraud')).toBe(1);
    expect(confusion(text, labels, 'v1', 'fraud', 'legit')).toBe(1);
    expect(confusion(text, labels, 'v1', 'legit', 'legit')).toBe(2);
    expect(confusion(text, labels, 'v1', 'legit', 'fraud')).toBe(1);
    expect(confusion(text, labels, 'v2', 'legit', 'legit')).toBe(0);
    // Every prediction: p1 + p2 + p6 in the fraud row, p3 + p4 + p5 in the legit row.
    const expected = 'mlwatch_expected_labels_total';
    expect(confusion(text, expected, 'v1', 'fraud', 'fraud')).toBe(0.75 + 0.625 + 0.875);
    expect(confusion(text, expected, 'v1', 'fraud', 'legit')).toBe(0.25 + 0.375 + 0.125);
    expect(confusion(text, expected, 'v1', 'legit', 'legit')).toBe(0.875 + 0.75 + 0.9375);
    expect(confusion(text, expected, 'v1', 'legit', 'fraud')).toBe(0.125 + 0.25 + 0.0625);
    // Only the labelled ones (p6 has no label): the estimate over the same predictions as the realised.
    const labelled = 'mlwatch_labelled_expected_labels_total';
    expect(confusion(text, labelled, 'v1', 'fraud', 'fraud')).toBe(0.75 + 0.625);
    expect(confusion(text, labelled, 'v1', 'fraud', 'legit')).toBe(0.25 + 0.375);
    expect(confusion(text, labelled, 'v1', 'legit', 'legit')).toBe(0.875 + 0.75 + 0.9375);
    expect(confusion(text, labelled, 'v1', 'legit', 'fraud')).toBe(0.125 + 0.25 + 0.0625);
    expect(sampleOf(text, 'mlwatch_label_events_total{result="joined"}')).toBe(5);
  });

  test('a joined confidence reads as the decimal sent (0.9), not its float32 (0.8999999761581421)', async () => {
    const built = buildTestExporter({ edit: withLabels(), uncalibrated: true });
    await ingestPredictions(built, [fraudEvent('p1', { prediction: 'fraud', confidence: 0.9 })]);
    await postLabels(built, [{ prediction_id: 'p1', label: 'fraud' }]);
    const text = await metricsText(built);
    expect(confusion(text, 'mlwatch_labelled_expected_labels_total', 'v1', 'fraud', 'fraud')).toBe(0.9);
  });

  test('an ingested event with class probabilities adds them as its expected row', async () => {
    const built = buildTestExporter({ edit: withLabels(), uncalibrated: true });
    await ingestPredictions(built, [
      fraudEvent('p1', { prediction: 'fraud', confidence: undefined, probabilities: { fraud: 0.625, legit: 0.375 } }),
    ]);
    const text = await metricsText(built);
    expect(confusion(text, 'mlwatch_expected_labels_total', 'v1', 'fraud', 'fraud')).toBe(0.625);
    expect(confusion(text, 'mlwatch_expected_labels_total', 'v1', 'fraud', 'legit')).toBe(0.375);
  });

  test('a served prediction adds its probabilities as its expected row and can be labelled by its id', async () => {
    const built = buildTestExporter({ edit: withLabels(), random: () => 0, uncalibrated: true });
    const res = await request(built.app)
      .post('/v1/models/fraud/predict')
      .send({ features: demoFeatures() })
      .expect(200);
    const {
      prediction_id: id,
      class: predicted,
      probabilities,
    } = res.body as {
      prediction_id: string;
      class: string;
      probabilities: Record<string, number>;
    };
    const text = await metricsText(built);
    for (const actual of ['legit', 'fraud'])
      expect(confusion(text, 'mlwatch_expected_labels_total', 'v1', predicted, actual)).toBeCloseTo(
        defined(probabilities[actual], actual),
        12,
      );
    expect(await postLabels(built, [{ prediction_id: id, label: 'fraud' }])).toEqual({
      accepted: 1,
      duplicates: 0,
      unmatched: 0,
      rejected: [],
    });
    expect(confusion(await metricsText(built), 'mlwatch_labels_total', 'v1', predicted, 'fraud')).toBe(1);
  });
});

describe('POST /v1/events/labels: regression', () => {
  test('hand-computed error sums and histograms equal the /metrics output', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    await ingestPredictions(built, [
      priceEvent('r1', 10),
      priceEvent('r2', 20),
      priceEvent('r3', 30),
      priceEvent('r4', 5),
    ]);
    const body = await postLabels(built, [
      { prediction_id: 'r1', label: 12 },
      { prediction_id: 'r2', label: 19.5 },
      { prediction_id: 'r3', label: 35 },
      { prediction_id: 'r4', label: 5 },
    ]);
    expect(body).toEqual({ accepted: 4, duplicates: 0, unmatched: 0, rejected: [] });
    const text = await metricsText(built);
    const series = (name: string, extra = ''): number => {
      const key = `${name}{model="price",version="v1"${extra}}`;
      return defined(sampleOf(text, key), key);
    };
    // |errors| 2, 0.5, 5, 0; squared 4, 0.25, 25, 0.
    expect(series('mlwatch_regression_absolute_error_sum')).toBe(7.5);
    expect(series('mlwatch_regression_absolute_error_count')).toBe(4);
    expect(series('mlwatch_regression_squared_error_total')).toBe(29.25);
    expect(series('mlwatch_regression_absolute_error_bucket', ',le="0.5"')).toBe(2);
    expect(series('mlwatch_regression_absolute_error_bucket', ',le="1"')).toBe(2);
    expect(series('mlwatch_regression_absolute_error_bucket', ',le="2"')).toBe(3);
    expect(series('mlwatch_regression_absolute_error_bucket', ',le="5"')).toBe(4);
    expect(series('mlwatch_regression_absolute_error_bucket', ',le="+Inf"')).toBe(4);
    // The outputs 10, 20, 30, 5 in the spec's value buckets 10, 20, 50.
    expect(series('mlwatch_prediction_value_bucket', ',le="10"')).toBe(2);
    expect(series('mlwatch_prediction_value_bucket', ',le="20"')).toBe(3);
    expect(series('mlwatch_prediction_value_bucket', ',le="50"')).toBe(4);
    expect(series('mlwatch_prediction_value_sum')).toBe(65);
  });

  test('a stateless regression label counts its own prediction', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    const body = await postLabels(built, [
      { prediction_id: 's1', model: 'price', version: 'v1', prediction: 8, label: 11 },
    ]);
    expect(body).toEqual({ accepted: 1, duplicates: 0, unmatched: 0, rejected: [] });
    const text = await metricsText(built);
    expect(sampleOf(text, 'mlwatch_regression_squared_error_total{model="price",version="v1"}')).toBe(9);
    expect(sampleOf(text, 'mlwatch_label_events_total{result="stateless"}')).toBe(1);
  });
});

describe('POST /v1/events/labels: each prediction labelled once', () => {
  test('a second label for a joined prediction is a duplicate, in the same batch and in a later one', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    await ingestPredictions(built, [fraudEvent('p1')]);
    expect(
      await postLabels(built, [
        { prediction_id: 'p1', label: 'fraud' },
        { prediction_id: 'p1', label: 'legit' },
      ]),
    ).toEqual({ accepted: 1, duplicates: 1, unmatched: 0, rejected: [] });
    expect(await postLabels(built, [{ prediction_id: 'p1', label: 'legit' }])).toEqual({
      accepted: 0,
      duplicates: 1,
      unmatched: 0,
      rejected: [],
    });
    const text = await metricsText(built);
    expect(confusion(text, 'mlwatch_labels_total', 'v1', 'fraud', 'fraud')).toBe(1);
    expect(confusion(text, 'mlwatch_labels_total', 'v1', 'fraud', 'legit')).toBe(0);
    expect(sampleOf(text, 'mlwatch_label_events_total{result="duplicate"}')).toBe(2);
  });

  test('stateless and joined labels of one id count once, whichever comes first', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    await ingestPredictions(built, [fraudEvent('p1'), fraudEvent('p2')]);
    const own = { model: 'fraud', version: 'v1', prediction: 'fraud', confidence: 0.75 };
    expect(await postLabels(built, [{ prediction_id: 'p1', label: 'fraud', ...own }])).toMatchObject({ accepted: 1 });
    expect(await postLabels(built, [{ prediction_id: 'p1', label: 'fraud' }])).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    expect(await postLabels(built, [{ prediction_id: 'p2', label: 'fraud' }])).toMatchObject({ accepted: 1 });
    expect(await postLabels(built, [{ prediction_id: 'p2', label: 'fraud', ...own }])).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    const text = await metricsText(built);
    expect(confusion(text, 'mlwatch_labels_total', 'v1', 'fraud', 'fraud')).toBe(2);
    expect(sampleOf(text, 'mlwatch_label_events_total{result="stateless"}')).toBe(1);
    expect(sampleOf(text, 'mlwatch_label_events_total{result="joined"}')).toBe(1);
    expect(sampleOf(text, 'mlwatch_label_events_total{result="duplicate"}')).toBe(2);
  });
});

describe('POST /v1/events/labels: unknown and expired predictions', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('a label for an unknown id is unmatched, not an error', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    expect(await postLabels(built, [{ prediction_id: 'never-seen', label: 'fraud' }])).toEqual({
      accepted: 0,
      duplicates: 0,
      unmatched: 1,
      rejected: [],
    });
    expect(built.deps.metrics.quality.labelResultCount('unmatched')).toBe(1);
  });

  test('a label after joins.ttl_seconds is unmatched, and its prediction was counted as evicted by age', async () => {
    const built = buildTestExporter({
      edit: withLabels((s) => {
        s['joins'] = { ttl_seconds: 60 };
        s['exporter'] = { ...(s['exporter'] as object), recent_ids: { capacity: 100, max_age_seconds: 30 } };
      }),
    });
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
    await ingestPredictions(built, [fraudEvent('old'), fraudEvent('fresh')]);
    // Past the recent ids' own 30 s but within the TTL: the recent-id store keeps ids as long as they may be labelled.
    clock.mockReturnValue(start + 45_000);
    expect(await postLabels(built, [{ prediction_id: 'fresh', label: 'fraud' }])).toMatchObject({ accepted: 1 });
    clock.mockReturnValue(start + 61_000);
    expect(await postLabels(built, [{ prediction_id: 'old', label: 'fraud' }])).toMatchObject({
      accepted: 0,
      unmatched: 1,
    });
    // The next prediction evicts the expired ones from the head, counted by reason.
    await ingestPredictions(built, [fraudEvent('new')]);
    expect(built.deps.metrics.idStoreEvictions.value(1)).toBe(2);
  });

  test('a prediction pushed out by joins.capacity is unmatched, counted as a capacity eviction', async () => {
    const built = buildTestExporter({
      edit: withLabels((s) => {
        s['joins'] = { capacity: 2 };
        s['exporter'] = { ...(s['exporter'] as object), recent_ids: { capacity: 1, max_age_seconds: null } };
      }),
    });
    await ingestPredictions(built, [fraudEvent('a'), fraudEvent('b'), fraudEvent('c')]);
    expect(built.deps.metrics.idStoreEvictions.value(0)).toBe(1);
    expect(
      await postLabels(built, [
        { prediction_id: 'a', label: 'fraud' },
        { prediction_id: 'b', label: 'fraud' },
        { prediction_id: 'c', label: 'fraud' },
      ]),
    ).toEqual({ accepted: 2, duplicates: 0, unmatched: 1, rejected: [] });
  });

  test('a label for a failed prediction is unmatched: there is nothing to compare it with', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [fraudEvent('e1', { status: 'error', prediction: undefined, confidence: undefined })] })
      .expect(200);
    expect((res.body as IngestBody).accepted).toBe(1);
    expect(await postLabels(built, [{ prediction_id: 'e1', label: 'fraud' }])).toMatchObject({ unmatched: 1 });
  });
});

describe('POST /v1/events/labels: label delay', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('the delay is the label time (or arrival) minus the prediction time, never negative', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    const start = Date.UTC(2026, 0, 1, 12, 0, 0);
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
    await ingestPredictions(built, [fraudEvent('a'), fraudEvent('b'), fraudEvent('c')]);
    clock.mockReturnValue(start + 600_000);
    await postLabels(built, [
      { prediction_id: 'a', label: 'fraud' },
      { prediction_id: 'b', label: 'fraud', timestamp: (start + 120_000) / 1000 },
      { prediction_id: 'c', label: 'fraud', timestamp: new Date(start - 60_000).toISOString() },
    ]);
    const text = await metricsText(built);
    // 600 s, 120 s and 0 s (a label stamped before its prediction).
    expect(sampleOf(text, 'mlwatch_label_delay_seconds_sum{model="fraud",version="v1"}')).toBe(720);
    expect(sampleOf(text, 'mlwatch_label_delay_seconds_bucket{model="fraud",version="v1",le="60"}')).toBe(1);
    expect(sampleOf(text, 'mlwatch_label_delay_seconds_bucket{model="fraud",version="v1",le="300"}')).toBe(2);
    expect(sampleOf(text, 'mlwatch_label_delay_seconds_count{model="fraud",version="v1"}')).toBe(3);
  });
});
