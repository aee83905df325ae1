import request from 'supertest';
import { objectAt } from '../../support/document';
import { type ErrorBody, type PredictBody } from '../../support/response-body';
import { defined } from '../../support/defined';
import type { RejectionReason } from '../../../spec/src/conventions';
import { demoFeatures } from '../../support/demo-spec';
import { buildTestExporter } from '../../support/test-exporter';

type Case = {
  name: string;
  send: (r: ReturnType<typeof request>) => request.Test;
  status: number;
  reason: RejectionReason;
  field?: string;
  message: RegExp;
};

const predict = (r: ReturnType<typeof request>) => r.post('/v1/models/fraud/predict');
const json = (body: unknown) => (r: ReturnType<typeof request>) => predict(r).send(body as object);

const cases: Case[] = [
  {
    name: 'malformed JSON',
    send: (r) => predict(r).set('content-type', 'application/json').send('{"features": {'),
    status: 400,
    reason: 'malformed_json',
    field: 'body',
    message: /not valid JSON/,
  },
  {
    name: 'an empty body',
    send: (r) => predict(r).set('content-type', 'application/json').send(''),
    status: 400,
    reason: 'malformed_json',
    field: 'body',
    message: /empty/,
  },
  {
    name: 'a wrong content type',
    send: (r) => predict(r).set('content-type', 'text/plain').send('features=1'),
    status: 415,
    reason: 'unsupported_media_type',
    field: 'content-type',
    message: /application\/json, got "text\/plain"/,
  },
  {
    name: 'no content type',
    send: (r) => predict(r).unset('content-type'),
    status: 415,
    reason: 'unsupported_media_type',
    field: 'content-type',
    message: /got none/,
  },
  {
    name: 'an unknown model',
    send: (r) => r.post('/v1/models/churn/predict').send({ features: demoFeatures() }),
    status: 404,
    reason: 'unknown_model',
    field: 'model',
    message: /model "churn" is not in the spec \(known: fraud, spend\)/,
  },
  {
    name: 'an unknown version',
    send: json({ features: demoFeatures(), version: 'v9' }),
    status: 400,
    reason: 'unknown_version',
    field: 'version',
    message: /^version: "v9" \(a string\) is not a version of model fraud \(known: v1, v2\)$/,
  },
  {
    name: 'a missing non-nullable feature',
    send: json({ features: demoFeatures({ amount: undefined }) }),
    status: 400,
    reason: 'missing_feature',
    field: 'features.amount',
    message: /^features\.amount: required$/,
  },
  {
    name: 'null for a non-nullable feature',
    send: json({ features: demoFeatures({ amount: null }) }),
    status: 400,
    reason: 'missing_feature',
    field: 'features.amount',
    message: /not nullable/,
  },
  {
    name: 'an extra feature',
    send: json({ features: demoFeatures({ colour: 'red' }) }),
    status: 400,
    reason: 'unknown_feature',
    field: 'features.colour',
    message: /^features\.colour: not a feature of this model$/,
  },
  {
    name: 'a mistyped feature',
    send: json({ features: demoFeatures({ merchant_category: 7 }) }),
    status: 400,
    reason: 'invalid_feature_type',
    field: 'features.merchant_category',
    message: /expected a category \(string\), got 7 \(a number\)/,
  },
  {
    name: 'a number sent as a string',
    send: json({ features: demoFeatures({ amount: '12.5' }) }),
    status: 400,
    reason: 'invalid_feature_type',
    field: 'features.amount',
    message: /^features\.amount: expected a number, got "12\.5" \(a string\)$/,
  },
  {
    name: 'NaN',
    send: (r) =>
      predict(r)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ features: demoFeatures({ amount: 0 }) }).replace('"amount":0', '"amount":NaN')),
    status: 400,
    reason: 'non_finite_value',
    field: 'features.amount',
    message: /^features\.amount: expected a finite number, got NaN$/,
  },
  {
    name: 'Infinity',
    send: (r) =>
      predict(r)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ features: demoFeatures({ amount: 0 }) }).replace('"amount":0', '"amount": -Infinity')),
    status: 400,
    reason: 'non_finite_value',
    field: 'features.amount',
    message: /got -Infinity$/,
  },
  {
    name: 'features that are not an object',
    send: json({ features: [1, 2] }),
    status: 400,
    reason: 'invalid_field',
    field: 'features',
    message: /expected an object of feature values, got a list/,
  },
  {
    name: 'an unknown top-level field',
    send: json({ features: demoFeatures(), explain: true }),
    status: 400,
    reason: 'invalid_field',
    field: 'explain',
    message: /unknown field/,
  },
  {
    name: 'a body that is not an object',
    send: json([1]),
    status: 400,
    reason: 'invalid_request',
    field: 'body',
    message: /expected an object/,
  },
  {
    name: 'a fault header while fault injection is off',
    send: (r) => predict(r).set('x-mlwatch-fault', 'error').send({ features: demoFeatures() }),
    status: 400,
    reason: 'invalid_request',
    field: 'x-mlwatch-fault',
    message: /fault injection is off for model "fraud" \(set models\[0\]\.fault_injection: true/,
  },
];

describe('bad input to the predict endpoint', () => {
  test.each(cases)(
    '$name gets $status naming the field, and is counted as $reason',
    async ({ send, status, reason, field, message }) => {
      const { app, deps } = buildTestExporter();
      const res = await send(request(app)).expect(status).expect('content-type', /json/);
      expect((res.body as ErrorBody).error.code).toBe(reason);
      expect((res.body as ErrorBody).error.field).toBe(field);
      expect((res.body as ErrorBody).error.message).toMatch(message);
      expect(deps.metrics.rejectedCount(reason)).toBe(1);
      // A rejected request is not a prediction.
      expect(deps.metrics.predictions.value(0) + deps.metrics.predictions.value(1)).toBe(0);
      // And the process goes on serving.
      await request(app).post('/predict').send({ features: demoFeatures() }).expect(200);
    },
  );

  test('a body over the limit gets 413 and is counted', async () => {
    const { app, deps } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'exporter')['max_body_bytes'] = 2048;
      },
    });
    const res = await request(app)
      .post('/predict')
      .send({ features: demoFeatures({ merchant_category: 'x'.repeat(4096) }) })
      .expect(413);
    expect((res.body as ErrorBody).error).toEqual({
      code: 'payload_too_large',
      field: 'body',
      message: 'the request body exceeds the limit of 2048 bytes (exporter.max_body_bytes)',
    });
    expect(deps.metrics.rejectedCount('payload_too_large')).toBe(1);
  });

  test('an unknown route gets a JSON 404 that is not counted as a rejected event', async () => {
    const { app, deps } = buildTestExporter();
    const res = await request(app).get('/v2/whatever').expect(404);
    expect((res.body as ErrorBody).error.code).toBe('not_found');
    expect(deps.metrics.rejectedCount('unknown_model')).toBe(0);
  });

  test('a model failure is a 500 and counts as an error prediction, not a rejection', async () => {
    const { app, deps } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'models', 0)['fault_injection'] = true;
      },
    });
    const res = await request(app)
      .post('/predict')
      .set('x-mlwatch-fault', 'error')
      .send({ features: demoFeatures(), version: 'v1' })
      .expect(500);
    expect((res.body as ErrorBody).error.code).toBe('model_error');
    const slot = defined(defined(deps.metrics.layout.models.get('fraud'), 'fraud').versions.get('v1'), 'v1');
    expect(deps.metrics.predictions.value(deps.metrics.layout.statusSeries(slot, 'error'))).toBe(1);
    expect(deps.metrics.latency.count(slot.index)).toBe(1);
  });

  test('a failure after an injected delay is still a 500 model_error (regression: the async path lost its errors)', async () => {
    const { app, deps } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'models', 0)['fault_injection'] = true;
      },
    });
    const res = await request(app)
      .post('/predict')
      .set('x-mlwatch-fault', 'delay_ms=20,error')
      .send({ features: demoFeatures(), version: 'v2' })
      .expect(500);
    expect((res.body as ErrorBody).error.code).toBe('model_error');
    const slot = defined(defined(deps.metrics.layout.models.get('fraud'), 'fraud').versions.get('v2'), 'v2');
    expect(deps.metrics.predictions.value(deps.metrics.layout.statusSeries(slot, 'error'))).toBe(1);
  });

  test('an injected delay is part of the measured latency', async () => {
    const { app } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'models', 0)['fault_injection'] = true;
      },
    });
    const res = await request(app)
      .post('/predict')
      .set('x-mlwatch-fault', 'delay_ms=120')
      .send({ features: demoFeatures() })
      .expect(200);
    expect((res.body as PredictBody).latency_ms).toBeGreaterThanOrEqual(119);
  });
});
