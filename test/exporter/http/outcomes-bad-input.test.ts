import request from 'supertest';
import { createApp } from '../../../exporter/src/http/app';
import { demoFeatures, removeAllJoins } from '../../support/demo-spec';
import { fraudEvent, ingestPredictions, priceEvent, sampleOf } from '../../support/labels-spec';
import { metricsText, postOutcomes, withOutcomes, type OutcomesBody } from '../../support/outcomes-spec';
import type { ErrorBody, IngestBody } from '../../support/response-body';
import { buildTestExporter } from '../../support/test-exporter';
import { UnavailableJoinStore } from '../../support/unavailable-join-store';

/** Posts a raw JSON text (bare NaN and Infinity are what a Python client sends by default). */
async function postRaw(
  built: ReturnType<typeof buildTestExporter>,
  text: string,
  status: number,
): Promise<OutcomesBody> {
  const res = await request(built.app)
    .post('/v1/events/outcomes')
    .set('content-type', 'application/json')
    .send(text)
    .expect(status);
  return res.body as OutcomesBody;
}

describe('POST /v1/events/outcomes: bad input', () => {
  test('regression: an undeclared event, a non-numeric value, a value on an event declared without one (issue 15) — each refused naming its field, counted by reason, and the valid outcomes in the batch are kept', async () => {
    const built = buildTestExporter({ edit: withOutcomes() });
    await ingestPredictions(built, [fraudEvent('p1'), fraudEvent('p2'), priceEvent('r1', 10)]);
    const events: unknown[] = [
      { prediction_id: 'p1', event: 'checkout', value: 25 },
      { prediction_id: 'p2', event: 'refund', value: 3 },
      { prediction_id: 'p2', event: 'checkout', value: 'twelve' },
      { prediction_id: 'p2', event: 'click', value: 1 },
      { prediction_id: 'p2', event: 'checkout' },
      { prediction_id: 'p2', event: 'checkout', value: 2e12 },
      { prediction_id: 'p2', event: 'checkout', value: 1, model: 'churn' },
      { prediction_id: 'p2', event: 'checkout', value: 1, model: 'fraud', version: 'v9' },
      { prediction_id: 'p2', event: 'checkout', value: 1, version: 'v1' },
      { prediction_id: 'r1', event: 'checkout', value: 1, model: 'price' },
      { prediction_id: 'p2', event: 7 },
      { event: 'click' },
      { prediction_id: 'p2', event: 'click', coupon: 'X' },
      { prediction_id: 'p2', event: 'click', timestamp: 'yesterday' },
      'not an outcome',
      { prediction_id: 'p2', event: 'click' },
    ];
    const body = await postOutcomes(built, events);
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => [r.index, r.reason, r.field])).toEqual([
      [1, 'unknown_event', 'events[1].event'],
      [2, 'invalid_field', 'events[2].value'],
      [3, 'invalid_field', 'events[3].value'],
      [4, 'invalid_field', 'events[4].value'],
      [5, 'value_out_of_range', 'events[5].value'],
      [6, 'unknown_model', 'events[6].model'],
      [7, 'unknown_version', 'events[7].version'],
      [8, 'invalid_field', 'events[8].model'],
      [9, 'invalid_field', 'events[9].model'],
      [10, 'invalid_field', 'events[10].event'],
      [11, 'invalid_field', 'events[11].prediction_id'],
      [12, 'invalid_field', 'events[12].coupon'],
      [13, 'invalid_field', 'events[13].timestamp'],
      [14, 'invalid_field', 'events[14].(event)'],
    ]);
    const messages = body.rejected.map((r) => r.message);
    expect(messages[0]).toBe(
      'events[1].event: "refund" (a string) is not an event of any model that takes outcomes (declared: checkout, chargeback, click)',
    );
    expect(messages[1]).toBe('events[2].value: expected a number, got "twelve" (a string)');
    expect(messages[2]).toBe(
      'events[3].value: event click of model fraud is declared without a value (outcomes.events.click.value is false), got 1',
    );
    expect(messages[3]).toBe('events[4].value: required: event checkout of model fraud is declared with a value (EUR)');
    expect(messages[8]).toBe('events[9].model: model price takes no outcomes: it has no outcomes section in the spec');
    const { metrics } = built.deps;
    expect(metrics.rejectedCount('unknown_event')).toBe(1);
    expect(metrics.rejectedCount('value_out_of_range')).toBe(1);
    expect(metrics.rejectedCount('unknown_model')).toBe(1);
    expect(metrics.rejectedCount('unknown_version')).toBe(1);
    expect(metrics.rejectedCount('invalid_field')).toBe(10);
    const text = await metricsText(built);
    expect(sampleOf(text, 'mlwatch_outcomes_total{model="fraud",version="v1",event="checkout"}')).toBe(1);
    expect(sampleOf(text, 'mlwatch_outcome_value_total{model="fraud",version="v1",event="checkout"}')).toBe(25);
    expect(sampleOf(text, 'mlwatch_outcomes_total{model="fraud",version="v1",event="click"}')).toBe(1);
  });

  test('regression: a non-finite value (issue 15) is refused as non_finite_value naming value, all-bad batch answered 400', async () => {
    const built = buildTestExporter({ edit: withOutcomes() });
    const body = await postRaw(
      built,
      '{"events": [{"prediction_id": "p1", "event": "checkout", "value": NaN}, {"prediction_id": "p2", "event": "checkout", "value": Infinity}]}',
      400,
    );
    expect(body.rejected).toEqual([
      {
        index: 0,
        reason: 'non_finite_value',
        field: 'events[0].value',
        message: 'events[0].value: expected a finite number, got NaN',
      },
      {
        index: 1,
        reason: 'non_finite_value',
        field: 'events[1].value',
        message: 'events[1].value: expected a finite number, got Infinity',
      },
    ]);
    expect((body as OutcomesBody & ErrorBody).error).toEqual({
      code: 'invalid_request',
      message: 'all 2 outcomes were rejected; see "rejected"',
    });
    expect(built.deps.metrics.rejectedCount('non_finite_value')).toBe(2);
  });

  test('an outcome that names no model, of an event two models declare differently, is checked against its prediction’s model after the join', async () => {
    const built = buildTestExporter({
      edit: withOutcomes((s) => {
        // A second model with outcomes: `click` there carries a value, so only the join can tell.
        const models = s['models'] as Record<string, unknown>[];
        const price = models.find((m) => m['name'] === 'price') as Record<string, unknown>;
        price['outcomes'] = { events: { click: { value: true } } };
      }),
    });
    await ingestPredictions(built, [fraudEvent('p1'), priceEvent('r1', 10), fraudEvent('p2')]);
    const body = await postOutcomes(
      built,
      [
        { prediction_id: 'p1', event: 'click', value: 5 },
        { prediction_id: 'r1', event: 'click' },
        { prediction_id: 'r1', event: 'checkout', value: 5 },
        { prediction_id: 'p2', event: 'click', value: 2, model: 'price' },
      ],
      400,
    );
    expect(body.accepted).toBe(0);
    expect(body.rejected.map((r) => [r.index, r.reason, r.message])).toEqual([
      [
        0,
        'invalid_field',
        'events[0].value: event click of model fraud is declared without a value (outcomes.events.click.value is false), got 5',
      ],
      [1, 'invalid_field', 'events[1].value: required: event click of model price is declared with a value'],
      [2, 'unknown_event', 'events[2].event: "checkout" (a string) is not an event of model price (declared: click)'],
      [3, 'invalid_field', 'events[3].model: prediction "p2" is of model fraud, not price'],
    ]);
  });

  test('a model without an outcomes section refuses outcomes naming model; without any, every outcome is refused', async () => {
    const built = buildTestExporter({ edit: removeAllJoins });
    const body = (await postOutcomes(built, [{ prediction_id: 'p1', event: 'click' }], 400)) as OutcomesBody &
      ErrorBody;
    expect(body.rejected[0]?.message).toBe(
      'events[0].model: no model in the spec takes outcomes (none has a outcomes section)',
    );
  });

  test('a body that is not {"events": [...]} and a batch over the limit are refused whole', async () => {
    const built = buildTestExporter({
      edit: withOutcomes((s) => {
        s['exporter'] = { ...(s['exporter'] as object), max_batch_events: 2 };
      }),
    });
    const notAList = await request(built.app).post('/v1/events/outcomes').send({ events: 3 }).expect(400);
    expect((notAList.body as ErrorBody).error.message).toBe(
      'events: expected a list of outcome events, got 3 (a number)',
    );
    const events = [1, 2, 3].map((i) => ({ prediction_id: `p${i}`, event: 'click' }));
    const tooMany = await request(built.app).post('/v1/events/outcomes').send({ events }).expect(413);
    expect((tooMany.body as ErrorBody).error.code).toBe('batch_too_large');
  });

  test('outcomes need the write token', async () => {
    const token = 'write-token-0123456789abcdef';
    const built = buildTestExporter({
      edit: withOutcomes(),
      env: { MLWATCH_WRITE_TOKEN: token, MLWATCH_READ_TOKEN: 'read-token-0123456789abcdef' },
    });
    const outcomes = { events: [{ prediction_id: 'p1', event: 'click' }] };
    await request(built.app).post('/v1/events/outcomes').send(outcomes).expect(401);
    await request(built.app)
      .post('/v1/events/outcomes')
      .set('authorization', `Bearer ${token}`)
      .send(outcomes)
      .expect(200);
  });
});

describe('POST /v1/events/outcomes: the join store unavailable', () => {
  test('outcomes are answered 503 with Retry-After and counted as store_unavailable; predictions still succeed', async () => {
    const built = buildTestExporter({ edit: withOutcomes() });
    const app = createApp({ ...built.deps, joins: new UnavailableJoinStore() });
    const ingested = await request(app)
      .post('/v1/events/predictions')
      .send({ events: [fraudEvent('p1')] })
      .expect(200);
    expect((ingested.body as IngestBody).accepted).toBe(1);
    await request(app).post('/v1/models/fraud/predict').send({ features: demoFeatures() }).expect(200);

    const res = await request(app)
      .post('/v1/events/outcomes')
      .send({
        events: [
          { prediction_id: 'p1', event: 'checkout', value: 3 },
          { prediction_id: 's1', model: 'fraud', version: 'v1', event: 'click' },
          { prediction_id: 'p1', event: 'refund' },
        ],
      })
      .expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect((res.body as ErrorBody).error).toEqual({
      code: 'store_unavailable',
      message: 'the join store did not answer; 2 outcomes were not counted, retry after 5 s',
    });
    const { metrics } = built.deps;
    expect(metrics.outcomes.resultCount('store_unavailable')).toBe(2);
    expect(metrics.outcomes.resultCount('joined')).toBe(0);
    expect(metrics.rejectedCount('unknown_event')).toBe(1);
  });
});
