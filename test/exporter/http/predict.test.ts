import { tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { type LogLine, type PredictBody } from '../../support/response-body';
import { objectAt } from '../../support/document';
import { defined } from '../../support/defined';
import path from 'node:path';
import { loadLinearModel } from '../../../exporter/src/model/linear-model';
import { REPO_ROOT, demoFeatures } from '../../support/demo-spec';
import { buildTestExporter } from '../../support/test-exporter';

describe('POST /v1/models/:model/predict', () => {
  test('returns a real prediction with class probabilities that sum to 1', async () => {
    const { app } = buildTestExporter();
    const res = await request(app).post('/v1/models/fraud/predict').send({ features: demoFeatures() }).expect(200);
    const number = expect.any(Number) as unknown;
    expect(res.body).toEqual({
      prediction_id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      model: 'fraud',
      version: expect.stringMatching(/^v[12]$/) as unknown,
      class: expect.stringMatching(/^(legit|fraud)$/) as unknown,
      confidence: number,
      probabilities: { legit: number, fraud: number },
      latency_ms: number,
    });
    const body = res.body as PredictBody;
    const { legit, fraud } = {
      legit: defined(body.probabilities['legit'], 'legit'),
      fraud: defined(body.probabilities['fraud'], 'fraud'),
    };
    expect(legit + fraud).toBeCloseTo(1, 12);
    expect(body.confidence).toBe(Math.max(legit, fraud));
  });

  test('a suspicious payment scores a higher fraud probability than an ordinary one', async () => {
    const { app } = buildTestExporter();
    const ordinary = await request(app)
      .post('/v1/models/fraud/predict')
      .send({ features: demoFeatures(), version: 'v1' });
    const suspicious = await request(app)
      .post('/v1/models/fraud/predict')
      .send({
        version: 'v1',
        features: demoFeatures({
          amount: 2500,
          transactions_24h: 25,
          distance_from_home_km: 3000,
          account_age_days: 3,
          hour_of_day: 3,
          payment_method: 'manual_entry',
          merchant_category: 'electronics',
        }),
      });
    expect((suspicious.body as PredictBody).probabilities['fraud']).toBeGreaterThan(
      defined((ordinary.body as PredictBody).probabilities['fraud'], 'fraud'),
    );
  });

  test('the version in the body pins the version', async () => {
    const { app } = buildTestExporter();
    const res = await request(app)
      .post('/v1/models/fraud/predict')
      .send({ features: demoFeatures(), version: 'v2' })
      .expect(200);
    expect((res.body as PredictBody).version).toBe('v2');
  });

  test("a served prediction's id enters the recent-id store, so the same prediction ingested again is a duplicate", async () => {
    const built = buildTestExporter();
    const res = await request(built.app)
      .post('/v1/models/fraud/predict')
      .send({ features: demoFeatures(), version: 'v2' })
      .expect(200);
    const served = res.body as PredictBody;
    const remembered = defined(built.deps.ids.get(served.prediction_id, Date.now()), 'the served id');
    expect(remembered.slot).toBe(
      defined(built.deps.metrics.layout.models.get('fraud'), 'fraud').versions.get('v2')?.index,
    );
    const ingested = await request(built.app)
      .post('/v1/events/predictions')
      .send({
        events: [
          {
            prediction_id: served.prediction_id,
            model: 'fraud',
            version: 'v2',
            features: demoFeatures(),
            prediction: served.class,
          },
        ],
      })
      .expect(200);
    expect(ingested.body).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  test('without a version the traffic split follows the spec weights', async () => {
    let next = 0;
    const draws = [0.0, 0.5, 0.89, 0.9, 0.95, 0.999];
    const { app } = buildTestExporter({
      random: () => defined(draws[next++ % draws.length], 'draws[next++ % draws.length]'),
    });
    const versions: string[] = [];
    for (let i = 0; i < draws.length; i++) {
      const res = await request(app).post('/v1/models/fraud/predict').send({ features: demoFeatures() });
      versions.push((res.body as PredictBody).version);
    }
    expect(versions).toEqual(['v1', 'v1', 'v1', 'v2', 'v2', 'v2']);
  });

  test('POST /predict serves the default model', async () => {
    const { app } = buildTestExporter();
    const res = await request(app).post('/predict').send({ features: demoFeatures() }).expect(200);
    expect((res.body as PredictBody).model).toBe('fraud');
  });

  test('a null value of a nullable feature is accepted and counted as missing', async () => {
    const { app, deps } = buildTestExporter();
    await request(app)
      .post('/predict')
      .send({ features: demoFeatures({ credit_score: null }) })
      .expect(200);
    const { features: withoutScore } = { features: demoFeatures() };
    delete withoutScore['credit_score'];
    await request(app).post('/predict').send({ features: withoutScore }).expect(200);
    expect(deps.metrics.featureMissing.value(0)).toBe(2);
  });

  test('an unseen category is data: served, and counted under __other__', async () => {
    const { app, deps } = buildTestExporter();
    await request(app)
      .post('/predict')
      .send({ features: demoFeatures({ merchant_category: 'crypto_exchange' }) })
      .expect(200);
    const series = defined(
      defined(deps.metrics.layout.models.get('fraud'), 'fraud').otherCategorySeries.get('merchant_category'),
      'merchant_category',
    );
    expect(deps.metrics.featureOtherCategory.value(series)).toBe(1);
  });

  test('each prediction is logged as one JSON line with input, output, latency and status', async () => {
    const { app, deps, logFile } = buildTestExporter();
    const res = await request(app).post('/predict').send({ features: demoFeatures() }).expect(200);
    const body = res.body as PredictBody;
    await deps.predictionLog.close();
    const lines = readFileSync(defined(logFile, 'logFile'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(defined(lines[0], 'lines[0]'))).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      seq: 0,
      prediction_id: body.prediction_id,
      model: 'fraud',
      version: body.version,
      source: 'predict',
      status: 'success',
      input: demoFeatures(),
      output: { class: body.class, confidence: body.confidence, probabilities: body.probabilities },
      latency_ms: expect.any(Number) as unknown,
    });
  });

  test('redaction censors the configured input fields in the log', async () => {
    const { app, deps, logFile } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'logging')['redact'] = ['input.amount'];
      },
    });
    await request(app).post('/predict').send({ features: demoFeatures() }).expect(200);
    await deps.predictionLog.close();
    const line = JSON.parse(readFileSync(defined(logFile, 'logFile'), 'utf8').trim()) as LogLine;
    expect(line.input['amount']).toBe('[REDACTED]');
    expect(line.input['hour_of_day']).toBe(14);
  });

  test('sampling at 0 logs nothing while predictions still succeed', async () => {
    const { app, deps, logFile } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'logging')['sample_rate'] = { predict: 0, ingest: 0 };
      },
    });
    await request(app).post('/predict').send({ features: demoFeatures() }).expect(200);
    await deps.predictionLog.close();
    expect(readFileSync(defined(logFile, 'logFile'), 'utf8')).toBe('');
  });

  test('sampling logs the configured share of predictions', async () => {
    const draws = [0.05, 0.5, 0.09, 0.95, 0.2];
    let next = 0;
    const { app, deps, logFile } = buildTestExporter({
      random: () => defined(draws[next++ % draws.length], 'draws[next++ % draws.length]'),
      edit: (s) => {
        objectAt(s, 'logging')['sample_rate'] = { predict: 0.1, ingest: 0 };
      },
    });
    for (let i = 0; i < 5; i++)
      await request(app).post('/predict').send({ features: demoFeatures(), version: 'v1' }).expect(200);
    await deps.predictionLog.close();
    expect(readFileSync(defined(logFile, 'logFile'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  test('a log file that cannot be opened is reported, and predictions are still served', async () => {
    // A directory where the log file should be: opening it fails.
    const { app, deps } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'logging')['file'] = tmpdir();
      },
    });
    await request(app).post('/predict').send({ features: demoFeatures() }).expect(200);
    expect(deps.metrics.predictionLog.writeErrors.value(0)).toBe(1);
  });

  test('log writes that fail never fail a prediction and are counted', async () => {
    // /dev/full opens fine and refuses every write with ENOSPC, like a full disk.
    const { app, deps } = buildTestExporter({
      edit: (s) => {
        objectAt(s, 'logging')['file'] = '/dev/full';
      },
    });
    for (let i = 0; i < 50; i++) await request(app).post('/predict').send({ features: demoFeatures() }).expect(200);
    await deps.predictionLog.close();
    expect(deps.metrics.predictionLog.writeErrors.value(0)).toBeGreaterThan(0);
    await request(app).post('/predict').send({ features: demoFeatures() }).expect(200);
  });
});

describe('POST /v1/models/:model/predict for a regression model', () => {
  const card = {
    avg_amount_30d: 60,
    transactions_30d: 20,
    days_since_last_payment: 1,
    account_age_days: 900,
    credit_score: 700,
    card_tier: 'gold',
    customer_segment: 'family',
  };

  test('answers the number the linear artifact computes, with no class or confidence', async () => {
    const { app } = buildTestExporter();
    const res = await request(app).post('/v1/models/spend/predict').send({ features: card }).expect(200);
    const artifact = loadLinearModel(path.join(REPO_ROOT, 'exporter/demo/models/spend-v1.json'));
    expect(res.body).toEqual({
      prediction_id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      model: 'spend',
      version: 'v1',
      prediction: artifact.value(card),
      latency_ms: expect.any(Number) as unknown,
    });
    expect(artifact.value(card)).toBeGreaterThan(0);
  });

  test('records the number: the recent-id store keeps it with no class, and the log line has the value', async () => {
    const { app, deps, logFile } = buildTestExporter();
    const res = await request(app).post('/v1/models/spend/predict').send({ features: card }).expect(200);
    const body = res.body as { prediction_id: string; prediction: number };
    const remembered = defined(deps.ids.get(body.prediction_id, Date.now()), 'the served id');
    expect([remembered.classIndex, remembered.output]).toEqual([-1, body.prediction]);
    const slot = defined(defined(deps.metrics.layout.models.get('spend'), 'spend').versions.get('v1'), 'v1');
    expect(deps.metrics.predictions.value(deps.metrics.layout.statusSeries(slot, 'success'))).toBe(1);
    await deps.predictionLog.close();
    const line = JSON.parse(readFileSync(defined(logFile, 'logFile'), 'utf8').trim()) as LogLine;
    expect([line['model'], line['output']]).toEqual(['spend', { value: body.prediction }]);
  });
});
