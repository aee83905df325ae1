import request from 'supertest';
import { demoFeatures } from '../../../support/demo-spec';
import type { DriftReport } from '../../../../drift/src/engine/drift-report';
import type { ErrorBody } from '../../../support/response-body';
import { buildTestExporter } from '../../../support/test-exporter';

describe('drift.per_version', () => {
  test('keeps one window per version, labels the verdicts with the version and reports per version', async () => {
    const built = buildTestExporter({
      edit: (s) => {
        s['drift'] = { per_version: true, window_size: 100, min_samples: 10 };
      },
    });
    const events = [
      ...Array.from({ length: 30 }, () => ({
        model: 'fraud',
        version: 'v1',
        features: demoFeatures(),
        prediction: 'legit',
        confidence: 0.9,
      })),
      ...Array.from({ length: 20 }, () => ({
        model: 'fraud',
        version: 'v2',
        features: demoFeatures(),
        prediction: 'legit',
        confidence: 0.9,
      })),
    ];
    await request(built.app).post('/v1/events/predictions').send({ events }).expect(200);
    await built.deps.driftMonitor.evaluateAll();

    const v1 = (await request(built.app).get('/v1/models/fraud/drift?version=v1').expect(200)).body as DriftReport;
    const v2 = (await request(built.app).get('/v1/models/fraud/drift?version=v2').expect(200)).body as DriftReport;
    expect([v1.version, v1.window_size]).toEqual(['v1', 30]);
    expect([v2.version, v2.window_size]).toEqual(['v2', 20]);

    const metrics = (await request(built.app).get('/metrics')).text;
    expect(metrics).toContain('mlwatch_drift_window_samples{model="fraud",version="v1"} 30');
    expect(metrics).toContain('mlwatch_drift_window_samples{model="fraud",version="v2"} 20');
    expect(metrics).toMatch(/mlwatch_feature_drifted\{model="fraud",version="v2",feature="amount",test="\w+"\} [01]/);
  });

  test('without a version the per-version report asks for one, and an unknown version is named', async () => {
    const built = buildTestExporter({
      edit: (s) => {
        s['drift'] = { per_version: true };
      },
    });
    const missing = await request(built.app).get('/v1/models/fraud/drift').expect(400);
    expect((missing.body as ErrorBody).error.message).toMatch(/drift.per_version is on, so name one \(known: v1, v2\)/);
    await request(built.app).get('/v1/models/fraud/drift?version=v9').expect(400);
  });

  test('a per-model report refuses a version', async () => {
    const built = buildTestExporter();
    const res = await request(built.app).get('/v1/models/fraud/drift?version=v1').expect(400);
    expect((res.body as ErrorBody).error.field).toBe('version');
  });
});
