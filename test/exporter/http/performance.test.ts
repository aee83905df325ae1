import request from 'supertest';
import type { PerformanceReport } from '../../../exporter/src/quality/performance-report';
import { defined } from '../../support/defined';
import { objectAt } from '../../support/document';
import { modelNamed } from '../../support/demo-spec';
import { fraudEvent, ingestPredictions, priceEvent, withLabels } from '../../support/labels-spec';
import type { ErrorBody } from '../../support/response-body';
import { buildTestExporter } from '../../support/test-exporter';

type Built = ReturnType<typeof buildTestExporter>;

async function report(built: Built, model: string): Promise<PerformanceReport> {
  return (await request(built.app).get(`/v1/models/${model}/performance`).expect(200)).body as PerformanceReport;
}

async function label(built: Built, events: unknown[]): Promise<void> {
  await request(built.app).post('/v1/events/labels').send({ events }).expect(200);
}

describe('GET /v1/models/:model/performance', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('classification: realised and estimated quality of the same labelled predictions, coverage and delay', async () => {
    const built = buildTestExporter({ edit: withLabels(), uncalibrated: true });
    const start = Date.UTC(2026, 0, 1);
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
    await ingestPredictions(built, [
      fraudEvent('p1', { prediction: 'fraud', confidence: 0.75 }),
      fraudEvent('p2', { prediction: 'fraud', confidence: 0.625 }),
      fraudEvent('p3', { prediction: 'legit', confidence: 0.875 }),
      fraudEvent('p4', { prediction: 'legit', confidence: 0.75 }),
      fraudEvent('p5', { prediction: 'legit', confidence: 0.9375 }),
      fraudEvent('p6', { prediction: 'fraud', confidence: 0.875 }),
    ]);
    clock.mockReturnValue(start + 100_000);
    await label(built, [
      { prediction_id: 'p1', label: 'fraud' },
      { prediction_id: 'p2', label: 'legit' },
      { prediction_id: 'p3', label: 'legit' },
      { prediction_id: 'p4', label: 'fraud', timestamp: (start + 50_000) / 1000 },
      { prediction_id: 'p5', label: 'legit', timestamp: (start + 300_000) / 1000 },
      { prediction_id: 'nobody', label: 'legit' },
    ]);
    const body = await report(built, 'fraud');
    expect(body.model).toBe('fraud');
    expect(body.label_events).toEqual({ joined: 5, stateless: 0, duplicate: 0, unmatched: 1, store_unavailable: 0 });
    const v1 = defined(
      body.versions.find((v) => v.version === 'v1'),
      'v1',
    );
    expect(v1.predictions).toBe(6);
    expect(v1.labels).toEqual({ joined: 5, stateless: 0 });
    expect(v1.coverage).toBe(5 / 6);
    expect(v1.window.count).toBe(5);
    expect(v1.window.confusion).toEqual({
      classes: ['legit', 'fraud'],
      counts: [
        [2, 1],
        [1, 1],
      ],
    });
    const realised = defined(v1.window.realised, 'realised');
    expect(realised.accuracy).toBe(3 / 5);
    expect(realised.classes).toEqual([
      { class: 'legit', precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
      { class: 'fraud', precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 },
    ]);
    // Expected correct: 0.75 + 0.625 (fraud row) + 0.875 + 0.75 + 0.9375 (legit row), of 5.
    expect(defined(v1.window.estimated, 'estimated').accuracy).toBeCloseTo(3.9375 / 5, 12);
    // Delays 50, 100, 100, 100 and 300 s; quantiles interpolate linearly (p95 at rank 3.8: 100 + 0.8 × 200).
    expect(v1.window.delay_seconds).toEqual({ p50: 100, p95: 260, p99: 292 });
    const v2 = defined(
      body.versions.find((v) => v.version === 'v2'),
      'v2',
    );
    expect(v2).toEqual({
      version: 'v2',
      predictions: 0,
      labels: { joined: 0, stateless: 0 },
      coverage: null,
      window: {
        count: 0,
        realised: {
          count: 0,
          accuracy: null,
          macro_f1: null,
          classes: [
            { class: 'legit', precision: null, recall: null, f1: null, support: 0 },
            { class: 'fraud', precision: null, recall: null, f1: null, support: 0 },
          ],
        },
        confusion: {
          classes: ['legit', 'fraud'],
          counts: [
            [0, 0],
            [0, 0],
          ],
        },
        estimated: {
          count: 0,
          accuracy: null,
          macro_f1: null,
          classes: [
            { class: 'legit', precision: null, recall: null, f1: null, support: 0 },
            { class: 'fraud', precision: null, recall: null, f1: null, support: 0 },
          ],
        },
        delay_seconds: { p50: null, p95: null, p99: null },
      },
    });
  });

  test('regression: MAE and RMSE of the labelled window; stateless labels have no delay', async () => {
    const built = buildTestExporter({ edit: withLabels() });
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 0, 1));
    await ingestPredictions(built, [priceEvent('r1', 10), priceEvent('r2', 20)]);
    await label(built, [
      { prediction_id: 'r1', label: 12 },
      { prediction_id: 'r2', label: 19.5 },
      { prediction_id: 's1', model: 'price', version: 'v1', prediction: 30, label: 35 },
    ]);
    const v1 = defined((await report(built, 'price')).versions[0], 'v1');
    expect(v1.labels).toEqual({ joined: 2, stateless: 1 });
    expect(v1.window.count).toBe(3);
    expect(v1.window.mae).toBe(7.5 / 3);
    expect(v1.window.rmse).toBe(Math.sqrt(29.25 / 3));
    expect(v1.window.delay_seconds.p50).toBe(0);
  });

  test('the window keeps the most recent drift.window_size labelled predictions per version', async () => {
    const built = buildTestExporter({
      edit: withLabels((s) => {
        s['drift'] = { ...objectAt(s['drift']), window_size: 10, min_samples: 10 };
      }),
    });
    const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
    await ingestPredictions(
      built,
      ids.map((id, i) => priceEvent(id, i)),
    );
    // The first two are off by 100, the last ten exact: only the exact ones stay in the window.
    await label(
      built,
      ids.map((id, i) => ({ prediction_id: id, label: i < 2 ? i + 100 : i })),
    );
    const v1 = defined((await report(built, 'price')).versions[0], 'v1');
    expect(v1.window.count).toBe(10);
    expect(v1.window.mae).toBe(0);
    expect(v1.labels.joined).toBe(12);
  });

  test('an unknown model is 404 unknown_model; a model without quality is 404 no_labels', async () => {
    const built = buildTestExporter({
      edit: withLabels((s) => {
        delete modelNamed(s, 'price')['quality'];
      }),
    });
    const unknown = await request(built.app).get('/v1/models/churn/performance').expect(404);
    expect((unknown.body as ErrorBody).error.code).toBe('unknown_model');
    const none = await request(built.app).get('/v1/models/price/performance').expect(404);
    expect((none.body as ErrorBody).error).toEqual({
      code: 'no_labels',
      message: 'model price takes no labels, so there is no performance to report (add models[].quality to the spec)',
      field: 'model',
    });
  });
});
