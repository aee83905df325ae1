import request from 'supertest';
import { METRICS } from '../../../spec/src/conventions';
import { demoFeatures } from '../../support/demo-spec';
import type { IngestBody } from '../../support/response-body';
import { buildTestExporter } from '../../support/test-exporter';

const WRITE = 'write-token-0123456789abcdef';
const NEXT_WRITE = 'next-write-token-0123456789';
const READ = 'read-token-0123456789abcdef';
const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'a valid bearer token is required' } };

/** The demo exporter with a write and a read scope, tokens from the environment as compose gives them. */
function withTokens(env: NodeJS.ProcessEnv = { MLWATCH_WRITE_TOKEN: WRITE, MLWATCH_READ_TOKEN: READ }) {
  return buildTestExporter({ env });
}

function errorEvent(): Record<string, unknown> {
  return { model: 'fraud', version: 'v1', features: demoFeatures(), status: 'error', latency_ms: 5 };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('authentication (issue 12)', () => {
  test('regression: no authentication on any endpoint — every write and read endpoint answers 401 without a token', async () => {
    const { app } = withTokens();
    const calls: [string, request.Test][] = [
      [
        'POST /v1/models/fraud/predict',
        request(app).post('/v1/models/fraud/predict').send({ features: demoFeatures() }),
      ],
      ['POST /predict', request(app).post('/predict').send({ features: demoFeatures() })],
      [
        'POST /v1/events/predictions',
        request(app)
          .post('/v1/events/predictions')
          .send({ events: [errorEvent()] }),
      ],
      ['GET /metrics', request(app).get('/metrics')],
      ['GET /v1/models/fraud/drift', request(app).get('/v1/models/fraud/drift')],
    ];
    for (const [route, call] of calls) {
      const res = await call;
      expect([route, res.status, res.body]).toEqual([route, 401, UNAUTHORIZED]);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="mlwatch", scope="(write|read)"$/);
    }
  });

  test('regression: 10,000 forged error events burn the SLO — without the write token none is counted', async () => {
    const { app, deps } = withTokens();
    const events = Array.from({ length: 10_000 }, errorEvent);
    await request(app).post('/v1/events/predictions').send({ events }).expect(401);
    const total = Array.from({ length: deps.metrics.layout.modelVersionStatusLabels.length }, (_, i) =>
      deps.metrics.predictions.value(i),
    ).reduce((a, b) => a + b, 0);
    expect(total).toBe(0);
  });

  test('a wrong token gets the very same answer as none, and both are counted by scope, not as rejected events', async () => {
    const { app, deps } = withTokens();
    const none = await request(app).post('/predict').send({ features: demoFeatures() });
    const wrong = await request(app)
      .post('/predict')
      .set(bearer('not-the-token-0123456789'))
      .send({ features: demoFeatures() });
    const readWithWrite = await request(app).get('/metrics').set(bearer(WRITE));
    const basic = await request(app)
      .get('/metrics')
      .set('authorization', `Basic ${Buffer.from(`x:${READ}`).toString('base64')}`);
    for (const res of [none, wrong, readWithWrite, basic]) expect([res.status, res.body]).toEqual([401, UNAUTHORIZED]);
    expect([deps.metrics.refusedCount('write'), deps.metrics.refusedCount('read')]).toEqual([2, 2]);
    for (const reason of ['invalid_request', 'malformed_json', 'payload_too_large'] as const)
      expect(deps.metrics.rejectedCount(reason)).toBe(0);
    const text = (await request(app).get('/metrics').set(bearer(READ)).expect(200)).text;
    expect(text).toContain(`${METRICS.unauthorizedRequestsTotal}{scope="write"} 2`);
    expect(text).toContain(`${METRICS.unauthorizedRequestsTotal}{scope="read"} 2`);
  });

  test('the right token is let through, on every write endpoint and every read endpoint', async () => {
    const { app } = withTokens();
    await request(app).post('/predict').set(bearer(WRITE)).send({ features: demoFeatures() }).expect(200);
    await request(app)
      .post('/v1/models/fraud/predict')
      .set(bearer(WRITE))
      .send({ features: demoFeatures() })
      .expect(200);
    const ingest = await request(app)
      .post('/v1/events/predictions')
      .set('authorization', `bearer   ${WRITE}`)
      .send({ events: [errorEvent()] })
      .expect(200);
    expect((ingest.body as IngestBody).accepted).toBe(1);
    await request(app).get('/metrics').set(bearer(READ)).expect(200);
    await request(app).get('/v1/models/fraud/drift').set(bearer(READ)).expect(200);
  });

  test('rotation: several write tokens are accepted at once', async () => {
    const { app } = withTokens({ MLWATCH_WRITE_TOKEN: `${WRITE},${NEXT_WRITE}` });
    for (const token of [WRITE, NEXT_WRITE])
      await request(app).post('/predict').set(bearer(token)).send({ features: demoFeatures() }).expect(200);
  });

  test('health endpoints stay open', async () => {
    const { app } = withTokens();
    await request(app).get('/healthz').expect(200);
    await request(app).get('/readyz').expect(200);
  });

  test('the token is checked before the body is read: a refused client costs no parsing, whatever it sends', async () => {
    const { app, deps } = withTokens();
    const huge = 'x'.repeat(17 * 1024 * 1024);
    const res = await request(app).post('/v1/events/predictions').set('content-type', 'application/json').send(huge);
    expect(res.status).toBe(401);
    expect(deps.metrics.rejectedCount('payload_too_large')).toBe(0);
  });

  test('a scope without a token is open: the read scope alone left open serves /metrics to anyone', async () => {
    const { app } = withTokens({ MLWATCH_WRITE_TOKEN: WRITE });
    await request(app).get('/metrics').expect(200);
    await request(app).post('/predict').send({ features: demoFeatures() }).expect(401);
  });

  test('with no token at all every endpoint is open, as on loopback the demo and the README examples expect', async () => {
    const { app } = withTokens({});
    await request(app).post('/predict').send({ features: demoFeatures() }).expect(200);
    await request(app).get('/metrics').expect(200);
  });
});
