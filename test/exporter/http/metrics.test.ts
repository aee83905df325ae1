import request from 'supertest';
import { objectAt } from '../../support/document';
import { type PredictBody } from '../../support/response-body';
import { defined } from '../../support/defined';
import { demoFeatures } from '../../support/demo-spec';
import { buildTestExporter } from '../../support/test-exporter';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

function block(text: string, name: string): string {
  return text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith(`${name}{`) ||
        line.startsWith(`${name} `) ||
        line.startsWith(`# HELP ${name} `) ||
        line.startsWith(`# TYPE ${name} `),
    )
    .join('\n');
}

describe('GET /metrics', () => {
  test('every series known from the spec exists at zero before the first event', async () => {
    const { app } = buildTestExporter();
    const res = await request(app)
      .get('/metrics')
      .expect(200)
      .expect('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    expect(block(res.text, 'mlwatch_predictions_total')).toBe(
      [
        '# HELP mlwatch_predictions_total Predictions served or ingested, by outcome (a model failure is an error; rejected requests are not predictions).',
        '# TYPE mlwatch_predictions_total counter',
        'mlwatch_predictions_total{model="fraud",version="v1",status="success"} 0',
        'mlwatch_predictions_total{model="fraud",version="v1",status="error"} 0',
        'mlwatch_predictions_total{model="fraud",version="v2",status="success"} 0',
        'mlwatch_predictions_total{model="fraud",version="v2",status="error"} 0',
        'mlwatch_predictions_total{model="spend",version="v1",status="success"} 0',
        'mlwatch_predictions_total{model="spend",version="v1",status="error"} 0',
      ].join('\n'),
    );
    expect(block(res.text, 'mlwatch_predicted_class_total').split('\n').slice(2)).toEqual([
      'mlwatch_predicted_class_total{model="fraud",version="v1",class="legit"} 0',
      'mlwatch_predicted_class_total{model="fraud",version="v1",class="fraud"} 0',
      'mlwatch_predicted_class_total{model="fraud",version="v2",class="legit"} 0',
      'mlwatch_predicted_class_total{model="fraud",version="v2",class="fraud"} 0',
    ]);
    expect(block(res.text, 'mlwatch_feature_missing_total').split('\n').slice(2)).toEqual([
      'mlwatch_feature_missing_total{model="fraud",feature="credit_score"} 0',
      'mlwatch_feature_missing_total{model="spend",feature="credit_score"} 0',
    ]);
    expect(res.text).toContain('mlwatch_rejected_events_total{reason="malformed_json"} 0');
    expect(res.text).toContain('mlwatch_model_info{model="fraud",version="v1"} 1');
    expect(res.text).toContain('mlwatch_model_info{model="fraud",version="v2"} 1');
    expect(res.text).toContain('mlwatch_model_info{model="spend",version="v1"} 1');
    expect(res.text).toContain('mlwatch_active_requests 0');
  });

  test('the latency histogram runs from 1 ms to 10 s and holds the SLO target as an exact bucket', async () => {
    const { app } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'slo')['latency_target_seconds'] = 0.3;
      },
    });
    const text = (await request(app).get('/metrics')).text;
    const bounds = block(text, 'mlwatch_prediction_latency_seconds_bucket')
      .split('\n')
      .filter((l) => l.includes('model="fraud",version="v1"'))
      .map((l) => defined(/le="([^"]+)"/.exec(l), 'an le label')[1]);
    expect(bounds).toEqual([
      '0.001',
      '0.0025',
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.25',
      '0.3',
      '0.5',
      '1',
      '2.5',
      '5',
      '10',
      '+Inf',
    ]);
  });

  test('the confidence histogram has the documented buckets', async () => {
    const { app } = buildTestExporter();
    const text = (await request(app).get('/metrics')).text;
    const bounds = text
      .split('\n')
      .filter((l) => l.startsWith('mlwatch_prediction_confidence_bucket{model="fraud",version="v2"'))
      .map((l) => defined(/le="([^"]+)"/.exec(l), 'an le label')[1]);
    expect(bounds).toEqual([
      '0.1',
      '0.2',
      '0.3',
      '0.4',
      '0.5',
      '0.6',
      '0.7',
      '0.8',
      '0.9',
      '0.95',
      '0.99',
      '1',
      '+Inf',
    ]);
  });

  test('a served prediction shows in the exact exposition lines', async () => {
    const { app } = buildTestExporter();
    const res = await request(app).post('/predict').send({ features: demoFeatures(), version: 'v2' }).expect(200);
    const text = (await request(app).get('/metrics')).text;
    expect(text).toContain('mlwatch_predictions_total{model="fraud",version="v2",status="success"} 1');
    expect(text).toContain(
      `mlwatch_predicted_class_total{model="fraud",version="v2",class="${(res.body as PredictBody).class}"} 1`,
    );
    expect(text).toContain('mlwatch_prediction_latency_seconds_count{model="fraud",version="v2"} 1');
    expect(text).toContain('mlwatch_prediction_latency_seconds_bucket{model="fraud",version="v2",le="+Inf"} 1');
    expect(text).toContain(
      `mlwatch_prediction_confidence_sum{model="fraud",version="v2"} ${(res.body as PredictBody).confidence}`,
    );
  });

  test('default process and Node.js metrics are exposed', async () => {
    const { app } = buildTestExporter();
    const text = (await request(app).get('/metrics')).text;
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    }
    // GC series appear once a collection has happened; the family is declared from the start.
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });

  test("OpenMetrics is served when the scraper prefers it, as Prometheus's scraper does", async () => {
    const { app } = buildTestExporter();
    const res = await request(app).get('/metrics').set('accept', PROMETHEUS_ACCEPT).expect(200);
    expect(res.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(res.text).toContain('# TYPE mlwatch_predictions counter\n');
    expect(res.text).toContain('mlwatch_predictions_total{model="fraud",version="v1",status="success"} 0\n');
    expect(res.text.endsWith('# EOF\n')).toBe(true);
  });

  test('the text format keeps counter names after an OpenMetrics scrape (regression: prom-client renames in place)', async () => {
    const { app } = buildTestExporter();
    await request(app).get('/metrics').set('accept', PROMETHEUS_ACCEPT);
    const text = (await request(app).get('/metrics')).text;
    expect(text).toContain('# TYPE mlwatch_predictions_total counter\n');
    expect(text).toContain('# TYPE process_cpu_seconds_total counter\n');
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
  });
});

describe('mlwatch_active_requests', () => {
  test('counts a prediction while it is in flight and drops back to zero after', async () => {
    const { app } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'models', 0)['fault_injection'] = true;
      },
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    try {
      const slow = request(server)
        .post('/predict')
        .set('x-mlwatch-fault', 'delay_ms=300')
        .send({ features: demoFeatures() });
      const pending = slow.then((res) => res.status);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const during = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(during).toMatch(/^mlwatch_active_requests 1$/m);
      expect(await pending).toBe(200);
      const after = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(after).toMatch(/^mlwatch_active_requests 0$/m);
    } finally {
      server.close();
    }
  });
});

describe('health endpoints', () => {
  test('/healthz answers ok and /readyz follows readiness', async () => {
    const built = buildTestExporter();
    await request(built.app).get('/healthz').expect(200, { status: 'ok' });
    await request(built.app).get('/readyz').expect(200, { status: 'ready' });
    built.deps.readiness.ready = false;
    await request(built.app).get('/readyz').expect(503, { status: 'not ready' });
  });
});
