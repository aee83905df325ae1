import request from 'supertest';
import { createApp } from '../../../exporter/src/http/app';
import { demoFeatures, modelNamed, removeAllQuality } from '../../support/demo-spec';
import { fraudEvent, ingestPredictions, priceEvent, withLabels, type LabelsBody } from '../../support/labels-spec';
import type { ErrorBody, IngestBody } from '../../support/response-body';
import { buildTestExporter } from '../../support/test-exporter';
import { UnavailableJoinStore } from '../../support/unavailable-join-store';

describe('POST /v1/events/labels: bad input', () => {
  test('every bad label is refused naming its field and counted by reason, and the valid ones in the batch are kept', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    await ingestPredictions(built, [fraudEvent('p1'), fraudEvent('p2'), priceEvent('r1', 10), fraudEvent('p3')]);
    const events: unknown[] = [
      { prediction_id: 'p1', label: 'fraud' },
      { prediction_id: 'p2', label: 'fraud', model: 'churn' },
      { prediction_id: 'p2', label: 'fraud', model: 'fraud', version: 'v9' },
      { prediction_id: 'p2', label: 'maybe' },
      { prediction_id: 'r1', model: 'price', label: 'twelve' },
      { prediction_id: 'p2', label: 'fraud', extra: 1 },
      { label: 'fraud' },
      { prediction_id: 'p2', label: 'fraud', prediction: 'fraud' },
      { prediction_id: 'p2', label: 'fraud', confidence: 0.5 },
      { prediction_id: 'p2', label: 'fraud', model: 'fraud', version: 'v1', prediction: 'fraud', confidence: 2 },
      { prediction_id: 'p2', label: 'fraud', timestamp: 'yesterday' },
      'not a label',
      { prediction_id: 'r1', label: 'fraud' },
      { prediction_id: 'p3', label: 5, model: 'price' },
      { prediction_id: 'p2', label: 'legit' },
    ];
    const res = await request(built.app).post('/v1/events/labels').send({ events }).expect(200);
    const body = res.body as LabelsBody;
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => [r.index, r.reason, r.field])).toEqual([
      [1, 'unknown_model', 'events[1].model'],
      [2, 'unknown_version', 'events[2].version'],
      [3, 'unknown_class', 'events[3].label'],
      [4, 'invalid_field', 'events[4].label'],
      [5, 'invalid_field', 'events[5].extra'],
      [6, 'invalid_field', 'events[6].prediction_id'],
      [7, 'invalid_field', 'events[7].model'],
      [8, 'invalid_field', 'events[8].confidence'],
      [9, 'invalid_field', 'events[9].confidence'],
      [10, 'invalid_field', 'events[10].timestamp'],
      [11, 'invalid_field', 'events[11].(event)'],
      // Checked after the join: r1 is a regression prediction, so its label must be a number.
      [12, 'invalid_field', 'events[12].label'],
      // The label names a model its prediction is not of.
      [13, 'invalid_field', 'events[13].model'],
    ]);
    expect(body.rejected[2]?.message).toBe(
      'events[3].label: "maybe" (a string) is not a class of any model that takes labels (known: legit, fraud)',
    );
    expect(body.rejected[3]?.message).toBe(
      'events[4].label: expected a number (model price is a regression), got "twelve" (a string)',
    );
    expect(body.rejected[12]?.message).toBe('events[13].model: prediction "p3" is of model fraud, not price');
    const { metrics } = built.deps;
    expect(metrics.rejectedCount('unknown_model')).toBe(1);
    expect(metrics.rejectedCount('unknown_version')).toBe(1);
    expect(metrics.rejectedCount('unknown_class')).toBe(1);
    expect(metrics.rejectedCount('invalid_field')).toBe(10);
  });

  test('a non-finite regression label is refused as non_finite_value naming label', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    const res = await request(built.app)
      .post('/v1/events/labels')
      .set('content-type', 'application/json')
      .send('{"events": [{"prediction_id": "r1", "model": "price", "label": NaN}]}')
      .expect(400);
    expect((res.body as LabelsBody).rejected).toEqual([
      {
        index: 0,
        reason: 'non_finite_value',
        field: 'events[0].label',
        message: 'events[0].label: expected a finite number (model price is a regression), got NaN',
      },
    ]);
    expect(built.deps.metrics.rejectedCount('non_finite_value')).toBe(1);
  });

  test('a model without a quality section takes no labels: refused naming model', async () => {
    const built = buildTestExporter({
      edit: withLabels((s) => {
        delete modelNamed(s, 'price')['quality'];
      }),
    });
    const body = (
      await request(built.app)
        .post('/v1/events/labels')
        .send({ events: [{ prediction_id: 'r1', model: 'price', version: 'v1', prediction: 3, label: 4 }] })
        .expect(400)
    ).body as LabelsBody & ErrorBody;
    expect(body.rejected[0]?.message).toBe(
      'events[0].model: model price takes no labels: it has no quality section in the spec',
    );
    expect(body.error.code).toBe('invalid_request');
  });

  test('without any model taking labels every label is refused naming model', async () => {
    const built = buildTestExporter({ edit: removeAllQuality });
    const body = (
      await request(built.app)
        .post('/v1/events/labels')
        .send({ events: [{ prediction_id: 'p1', label: 'fraud' }] })
        .expect(400)
    ).body as LabelsBody;
    expect(body.rejected[0]?.message).toBe(
      'events[0].model: no model in the spec takes labels (none has a quality section)',
    );
  });

  test('a regression label beyond ±1e12 is refused as value_out_of_range', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    const body = (
      await request(built.app)
        .post('/v1/events/labels')
        .send({ events: [{ prediction_id: 'r1', model: 'price', label: 2e12 }] })
        .expect(400)
    ).body as LabelsBody;
    expect(body.rejected.map((r) => [r.reason, r.field])).toEqual([['value_out_of_range', 'events[0].label']]);
  });

  test('a body that is not {"events": [...]} and a batch over the limit are refused whole', async () => {
    const built = buildTestExporter({
      edit: withLabels((s) => {
        s['exporter'] = { ...(s['exporter'] as object), max_batch_events: 2 };
      }),
    });
    const notAList = await request(built.app).post('/v1/events/labels').send({ events: 3 }).expect(400);
    expect((notAList.body as ErrorBody).error.message).toBe(
      'events: expected a list of label events, got 3 (a number)',
    );
    const labels = [1, 2, 3].map((i) => ({ prediction_id: `p${i}`, label: 'fraud' }));
    const tooMany = await request(built.app).post('/v1/events/labels').send({ events: labels }).expect(413);
    expect((tooMany.body as ErrorBody).error.code).toBe('batch_too_large');
  });

  test('labels need the write token', async () => {
    const token = 'write-token-0123456789abcdef';
    const built = buildTestExporter({
      edit: withLabels(),
      env: { MLWATCH_WRITE_TOKEN: token, MLWATCH_READ_TOKEN: 'read-token-0123456789abcdef' },
    });
    const labels = { events: [{ prediction_id: 'p1', label: 'fraud' }] };
    await request(built.app).post('/v1/events/labels').send(labels).expect(401);
    await request(built.app).post('/v1/events/labels').set('authorization', `Bearer ${token}`).send(labels).expect(200);
  });
});

describe('POST /v1/events/labels: the join store unavailable', () => {
  test('labels are answered 503 with Retry-After and counted; predictions still succeed', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    const store = new UnavailableJoinStore();
    const app = createApp({ ...built.deps, joins: store });
    const ingested = await request(app)
      .post('/v1/events/predictions')
      .send({ events: [fraudEvent('p1'), priceEvent('r1', 3)] })
      .expect(200);
    expect((ingested.body as IngestBody).accepted).toBe(2);
    await request(app).post('/v1/models/fraud/predict').send({ features: demoFeatures() }).expect(200);
    expect(store.remembered).toBe(3);

    const res = await request(app)
      .post('/v1/events/labels')
      .send({
        events: [
          { prediction_id: 'p1', label: 'fraud' },
          { prediction_id: 'r2', model: 'price', version: 'v1', prediction: 3, label: 4 },
          { prediction_id: 'p1', label: 'nope' },
        ],
      })
      .expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect((res.body as ErrorBody).error.code).toBe('store_unavailable');
    const { metrics } = built.deps;
    expect(metrics.quality.labelResultCount('store_unavailable')).toBe(2);
    expect(metrics.quality.labelResultCount('joined')).toBe(0);
    // The refused label is still a rejection; a store outage is not bad input.
    expect(metrics.rejectedCount('unknown_class')).toBe(1);
  });
});
