import { readFileSync } from 'node:fs';
import request from 'supertest';
import { objectAt } from '../../support/document';
import { type ErrorBody, type IngestBody } from '../../support/response-body';
import { defined } from '../../support/defined';
import { demoFeatures, removeAllJoins } from '../../support/demo-spec';
import { buildTestExporter } from '../../support/test-exporter';

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'fraud',
    version: 'v1',
    features: demoFeatures(),
    prediction: 'legit',
    confidence: 0.93,
    latency_ms: 4.2,
    ...overrides,
  };
}

function seriesOf(built: ReturnType<typeof buildTestExporter>, version: string) {
  const slot = defined(defined(built.deps.metrics.layout.models.get('fraud'), 'fraud').versions.get(version), version);
  return { slot, layout: built.deps.metrics.layout, metrics: built.deps.metrics };
}

describe('POST /v1/events/predictions', () => {
  test('records every valid event in the prediction metrics', async () => {
    const built = buildTestExporter();
    const events = [
      event(),
      event({ version: 'v2', prediction: 'fraud', confidence: 0.7 }),
      event({ status: 'error', prediction: undefined, confidence: undefined }),
    ];
    const res = await request(built.app).post('/v1/events/predictions').send({ events }).expect(200);
    // `duplicates` is always there: none of these events carries an id seen before.
    expect(res.body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const v1 = seriesOf(built, 'v1');
    const v2 = seriesOf(built, 'v2');
    expect(v1.metrics.predictions.value(v1.layout.statusSeries(v1.slot, 'success'))).toBe(1);
    expect(v1.metrics.predictions.value(v1.layout.statusSeries(v1.slot, 'error'))).toBe(1);
    expect(v2.metrics.predictions.value(v2.layout.statusSeries(v2.slot, 'success'))).toBe(1);
    expect(v1.metrics.predictedClass.value(v1.slot.classBase + 0)).toBe(1);
    expect(v2.metrics.predictedClass.value(v2.slot.classBase + 1)).toBe(1);
    expect(v1.metrics.confidence.count(v1.slot.index)).toBe(1);
    expect(v1.metrics.latency.count(v1.slot.index)).toBe(2);
  });

  test('a batch mixing good and bad events keeps the good ones and lists the bad ones by index', async () => {
    const built = buildTestExporter();
    const events = [
      event(),
      event({ model: 'churn' }),
      event({ features: demoFeatures({ amount: '3' }) }),
      event(),
      event({ prediction: 'maybe' }),
      event({ confidence: 1.5 }),
      event({ extra: 1 }),
      'not an event',
    ];
    const res = await request(built.app).post('/v1/events/predictions').send({ events }).expect(200);
    expect((res.body as IngestBody).accepted).toBe(2);
    expect((res.body as IngestBody).rejected).toEqual([
      {
        index: 1,
        reason: 'unknown_model',
        field: 'events[1].model',
        message: 'events[1].model: "churn" (a string) is not a model in the spec',
      },
      {
        index: 2,
        reason: 'invalid_feature_type',
        field: 'events[2].features.amount',
        message: 'events[2].features.amount: expected a number, got "3" (a string)',
      },
      {
        index: 4,
        reason: 'unknown_class',
        field: 'events[4].prediction',
        message: 'events[4].prediction: "maybe" (a string) is not a class of model fraud (known: legit, fraud)',
      },
      {
        index: 5,
        reason: 'invalid_field',
        field: 'events[5].confidence',
        message: 'events[5].confidence: expected a number in [0, 1], got 1.5',
      },
      {
        index: 6,
        reason: 'invalid_field',
        field: 'events[6].extra',
        message: expect.stringMatching(/^events\[6\]\.extra: unknown field/) as unknown,
      },
      {
        index: 7,
        reason: 'invalid_field',
        field: 'events[7].(event)',
        message: 'events[7].(event): expected an object, got "not an event" (a string)',
      },
    ]);
    const v1 = seriesOf(built, 'v1');
    expect(v1.metrics.predictions.value(v1.layout.statusSeries(v1.slot, 'success'))).toBe(2);
    expect(built.deps.metrics.rejectedCount('unknown_model')).toBe(1);
    expect(built.deps.metrics.rejectedCount('invalid_field')).toBe(3);
    expect(built.deps.metrics.rejectedCount('unknown_class')).toBe(1);
  });

  test("Python's NaN and Infinity literals reject only their own event", async () => {
    const built = buildTestExporter();
    const body = JSON.stringify({
      events: [
        event({ latency_ms: 0.5 }),
        event({ confidence: 0.25 }),
        event({ features: demoFeatures({ hour_of_day: 0.75 }) }),
        event({ features: demoFeatures({ merchant_category: 'NaN' }) }),
      ],
    })
      .replace('"latency_ms":0.5', '"latency_ms": NaN')
      .replace('"confidence":0.25', '"confidence":Infinity')
      .replace('"hour_of_day":0.75', '"hour_of_day":-Infinity');
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .set('content-type', 'application/json')
      .send(body)
      .expect(200);
    expect((res.body as IngestBody).accepted).toBe(1);
    expect((res.body as IngestBody).rejected.map((r) => `${r.field} ${r.reason}`)).toEqual([
      'events[0].latency_ms non_finite_value',
      'events[1].confidence non_finite_value',
      'events[2].features.hour_of_day non_finite_value',
    ]);
    expect(built.deps.metrics.rejectedCount('non_finite_value')).toBe(3);
  });

  test('the string "NaN" inside a value is left alone by the literal rewrite', async () => {
    const built = buildTestExporter();
    const body = JSON.stringify({ events: [event({ prediction_id: 'NaN, Infinity', latency_ms: 1 })] }).replace(
      '"latency_ms":1',
      '"latency_ms":NaN',
    );
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .set('content-type', 'application/json')
      .send(body)
      .expect(400);
    expect(defined((res.body as IngestBody).rejected[0], 'the first rejection').field).toBe('events[0].latency_ms');
  });

  test('a batch in which every event is bad is a 400 that still lists each one', async () => {
    const built = buildTestExporter();
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event({ version: 'v7' })] })
      .expect(400);
    expect((res.body as IngestBody).accepted).toBe(0);
    expect((res.body as IngestBody).rejected[0]).toMatchObject({
      index: 0,
      reason: 'unknown_version',
      field: 'events[0].version',
    });
    expect((res.body as ErrorBody).error.code).toBe('invalid_request');
  });

  test('a batch over max_batch_events is refused with 413 and each event counted', async () => {
    const built = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'exporter')['max_batch_events'] = 3;
      },
    });
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event(), event(), event(), event()] })
      .expect(413);
    expect((res.body as ErrorBody).error).toEqual({
      code: 'batch_too_large',
      field: 'events',
      message: 'events: 4 events exceed the limit of 3 per request (exporter.max_batch_events)',
    });
    expect(built.deps.metrics.rejectedCount('batch_too_large')).toBe(4);
  });

  test('events must be a list', async () => {
    const built = buildTestExporter();
    const res = await request(built.app).post('/v1/events/predictions').send({ events: {} }).expect(400);
    expect((res.body as ErrorBody).error.field).toBe('events');
  });

  test('a 5 MB batch is accepted with the default body limit', async () => {
    const built = buildTestExporter();
    // Distinct ids of the longest length allowed: the same id 10,000 times would be 9,999 duplicates.
    const events = Array.from({ length: 10_000 }, (_, i) => event({ prediction_id: String(i).padStart(200, 'x') }));
    const body = JSON.stringify({ events });
    expect(body.length).toBeGreaterThan(5 * 1024 * 1024);
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .set('content-type', 'application/json')
      .send(body)
      .expect(200);
    expect((res.body as IngestBody).accepted).toBe(10_000);
  });

  test('probabilities give the confidence when none is sent', async () => {
    const built = buildTestExporter();
    await request(built.app)
      .post('/v1/events/predictions')
      .send({
        events: [event({ confidence: undefined, prediction: 'fraud', probabilities: { legit: 0.2, fraud: 0.8 } })],
      })
      .expect(200);
    const text = (await request(built.app).get('/metrics')).text;
    expect(text).toContain('mlwatch_prediction_confidence_sum{model="fraud",version="v1"} 0.8');
  });

  test('ingested events are logged at the ingest sampling rate with their event time', async () => {
    const built = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'logging')['sample_rate'] = { predict: 0, ingest: 1 };
      },
    });
    await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event({ prediction_id: 'abc', timestamp: 1700000000 })] })
      .expect(200);
    await built.deps.predictionLog.close();
    const line: unknown = JSON.parse(readFileSync(defined(built.logFile, 'built.logFile'), 'utf8').trim());
    expect(line).toMatchObject({
      prediction_id: 'abc',
      source: 'ingest',
      status: 'success',
      event_time: '2023-11-14T22:13:20.000Z',
      latency_ms: 4.2,
      output: { prediction: 'legit', confidence: 0.93 },
    });
  });

  test('regression: a retried batch (same prediction_ids) is counted again — now it is counted once and reported as duplicates', async () => {
    const built = buildTestExporter();
    const events = [event({ prediction_id: 'r-1' }), event({ prediction_id: 'r-2', version: 'v2' })];
    const first = await request(built.app).post('/v1/events/predictions').send({ events }).expect(200);
    expect(first.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    // The retry of a batch made only of duplicates is a success: its events were counted, once.
    const retry = await request(built.app).post('/v1/events/predictions').send({ events }).expect(200);
    expect(retry.body).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
    const v1 = seriesOf(built, 'v1');
    const v2 = seriesOf(built, 'v2');
    expect(v1.metrics.predictions.value(v1.layout.statusSeries(v1.slot, 'success'))).toBe(1);
    expect(v2.metrics.predictions.value(v2.layout.statusSeries(v2.slot, 'success'))).toBe(1);
    expect(v1.metrics.latency.count(v1.slot.index)).toBe(1);
    expect(v1.metrics.predictedClass.value(v1.slot.classBase + 0)).toBe(1);
    expect(built.deps.metrics.duplicateCount('fraud')).toBe(2);
    const text = (await request(built.app).get('/metrics')).text;
    expect(text).toContain('mlwatch_duplicate_events_total{model="fraud"} 2');
    expect(text).toContain('mlwatch_id_store_size 2');
    expect(text).toContain('mlwatch_id_store_evictions_total{reason="capacity"} 0');
  });

  test('an id repeated within one batch is counted once, and the rest of the batch as usual', async () => {
    const built = buildTestExporter();
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .send({
        events: [
          event({ prediction_id: 'same' }),
          event({ prediction_id: 'same' }),
          event({ prediction_id: 'other' }),
          event({ prediction_id: 'same', version: 'v2', prediction: 'fraud' }),
        ],
      })
      .expect(200);
    expect(res.body).toEqual({ accepted: 2, duplicates: 2, rejected: [] });
    const v1 = seriesOf(built, 'v1');
    const v2 = seriesOf(built, 'v2');
    expect(v1.metrics.predictions.value(v1.layout.statusSeries(v1.slot, 'success'))).toBe(2);
    // A duplicate with another payload is still a duplicate: the first event under an id wins.
    expect(v2.metrics.predictions.value(v2.layout.statusSeries(v2.slot, 'success'))).toBe(0);
  });

  test('events without a prediction_id cannot be deduplicated: each is counted', async () => {
    const built = buildTestExporter();
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event(), event()] })
      .expect(200);
    expect(res.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event(), event()] })
      .expect(200);
    const v1 = seriesOf(built, 'v1');
    expect(v1.metrics.predictions.value(v1.layout.statusSeries(v1.slot, 'success'))).toBe(4);
    expect(built.deps.ids.size).toBe(0);
  });

  test('a rejected event does not enter the store, so its fixed retry is counted', async () => {
    const built = buildTestExporter();
    const bad = await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event({ prediction_id: 'fix-me', prediction: 'maybe' })] })
      .expect(400);
    expect((bad.body as IngestBody).duplicates).toBe(0);
    const fixed = await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event({ prediction_id: 'fix-me' })] })
      .expect(200);
    expect(fixed.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    // A retry that is now invalid is rejected as such, not reported as a duplicate.
    const broken = await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event({ prediction_id: 'fix-me', prediction: 'maybe' })] })
      .expect(400);
    expect((broken.body as IngestBody).duplicates).toBe(0);
    expect(built.deps.metrics.duplicateCount('fraud')).toBe(0);
  });

  test('a batch of duplicates and rejected events is a 200: nothing in it was lost', async () => {
    const built = buildTestExporter();
    await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event({ prediction_id: 'seen' })] })
      .expect(200);
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event({ prediction_id: 'seen' }), event({ model: 'churn' })] })
      .expect(200);
    expect((res.body as IngestBody).accepted).toBe(0);
    expect((res.body as IngestBody).duplicates).toBe(1);
    expect((res.body as IngestBody).rejected.map((r) => r.reason)).toEqual(['unknown_model']);
  });

  test('the recent-id window is bounded by exporter.recent_ids.capacity, oldest out first', async () => {
    const built = buildTestExporter({
      edit: (s) => {
        // Nothing joins: with labels or outcomes the store keeps at least joins.capacity ids.
        removeAllJoins(s);
        objectAt(s, 'exporter')['recent_ids'] = { capacity: 2 };
      },
    });
    const send = async (ids: string[]) =>
      (
        await request(built.app)
          .post('/v1/events/predictions')
          .send({ events: ids.map((id) => event({ prediction_id: id })) })
          .expect(200)
      ).body as IngestBody;
    expect(await send(['a', 'b', 'c'])).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    // `a` left when `c` came: a retry of it a window later is counted again, which the eviction counter shows.
    expect(await send(['a', 'c'])).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    const text = (await request(built.app).get('/metrics')).text;
    expect(text).toContain('mlwatch_id_store_evictions_total{reason="capacity"} 2');
    expect(text).toContain('mlwatch_id_store_size 2');
  });

  test('a bad timestamp names the field', async () => {
    const built = buildTestExporter();
    const res = await request(built.app)
      .post('/v1/events/predictions')
      .send({ events: [event({ timestamp: 'yesterday' })] })
      .expect(400);
    expect(defined((res.body as IngestBody).rejected[0], 'the first rejection').message).toBe(
      'events[0].timestamp: expected RFC 3339 text or Unix seconds, got "yesterday" (a string)',
    );
  });
});
