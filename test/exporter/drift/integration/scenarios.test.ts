import request from 'supertest';
import { loadSpec } from '../../../../spec/src/load-spec';
import { Random } from '../../../../cli/src/demo/random';
import { loadPredictors } from '../../../../exporter/src/runtime/load-predictors';
import { LocalScorer } from '../../../../cli/src/simulator/local-scorer';
import { loadReferenceRows } from '../../../../cli/src/simulator/reference-rows';
import { findScenario } from '../../../../cli/src/simulator/scenarios';
import { TrafficSource } from '../../../../cli/src/simulator/traffic-source';
import type { DriftReport } from '../../../../drift/src/engine/drift-report';
import type { ErrorBody, IngestBody } from '../../../support/response-body';
import { buildTestExporter } from '../../../support/test-exporter';

/** The spec's default window. */
const WINDOW = 2000;

/**
 * Feeds the exporter one window of a scenario's traffic at `fraction` of its run (0.65 is
 * inside the drift phase at full strength, 0.1 the normal phase before it), as the simulator's
 * ingest mode would, and returns the drift report the exporter then serves.
 */
async function reportAfter(
  scenario: string,
  fraction: number,
  seed: number,
): Promise<{ report: DriftReport; metrics: string }> {
  const built = buildTestExporter();
  const loaded = loadSpec(built.specFile);
  const [model] = loaded.spec.models;
  if (model?.reference === undefined) throw new Error('the demo spec has no model with a reference');
  const { rows } = loadReferenceRows(loaded.resolve(model.reference), model.features);
  const source = new TrafficSource(model, rows, findScenario(scenario), new Random(seed), { alwaysPickVersion: true });
  const scorer = new LocalScorer(model.name, loadPredictors(loaded));
  const timestamp = new Date().toISOString();
  const events = Array.from({ length: WINDOW }, () => scorer.score(source.next(fraction), timestamp));
  const ingested = await request(built.app).post('/v1/events/predictions').send({ events }).expect(200);
  expect((ingested.body as IngestBody).accepted).toBe(WINDOW);
  await built.deps.driftMonitor.evaluateAll();
  const res = await request(built.app).get('/v1/models/fraud/drift').expect(200);
  const metrics = (await request(built.app).get('/metrics')).text;
  return { report: res.body as DriftReport, metrics };
}

const drifted = (report: DriftReport): string[] => report.features.filter((f) => f.drifted).map((f) => f.feature);

describe('drift verdicts on the simulator scenarios (tests chosen by auto: Wasserstein and Jensen–Shannon for the 5,000-row reference)', () => {
  test('normal traffic raises neither feature drift nor dataset drift', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { report, metrics } = await reportAfter('normal', 0.5, seed);
      expect(report.status).toBe('ok');
      expect(drifted(report)).toEqual([]);
      expect(report.dataset_drift).toBe(false);
      expect(metrics).toContain('mlwatch_model_drifted{model="fraud"} 0');
      expect(metrics).toContain('mlwatch_model_dataset_drift{model="fraud"} 0');
    }
  });

  test('the drift scenario raises dataset drift at full strength, and not in its normal phase', async () => {
    const during = await reportAfter('drift', 0.65, 4);
    expect(during.report.dataset_drift).toBe(true);
    expect(during.report.drift_share).toBeGreaterThanOrEqual(0.5);
    expect(drifted(during.report)).toEqual(
      expect.arrayContaining(['amount', 'distance_from_home_km', 'merchant_category']),
    );
    expect(during.metrics).toContain('mlwatch_model_dataset_drift{model="fraud"} 1');
    expect(during.metrics).toMatch(/mlwatch_feature_drifted\{model="fraud",feature="amount",test="wasserstein"\} 1/);
    const before = await reportAfter('drift', 0.1, 4);
    expect(before.report.dataset_drift).toBe(false);
    expect(drifted(before.report)).toEqual([]);
  });

  test('drift-single raises exactly one drifted feature and no dataset drift', async () => {
    const { report, metrics } = await reportAfter('drift-single', 0.65, 5);
    expect(drifted(report)).toEqual(['amount']);
    expect(report.dataset_drift).toBe(false);
    expect(metrics).toContain('mlwatch_model_drifted{model="fraud"} 1');
    expect(metrics).toContain('mlwatch_model_dataset_drift{model="fraud"} 0');
    expect(metrics).toMatch(/mlwatch_model_drift_share\{model="fraud"\} 0\.1\n/);
  });

  test('the report exists before the first scheduled evaluation and says when there are too few samples', async () => {
    const built = buildTestExporter();
    const res = await request(built.app).get('/v1/models/fraud/drift').expect(200);
    expect(res.body).toMatchObject({
      model: 'fraud',
      status: 'insufficient_samples',
      window_size: 0,
      drift_share: null,
      dataset_drift: null,
    });
  });

  test('a model without a reference profile has no drift report', async () => {
    const built = buildTestExporter({ withoutProfile: true });
    const res = await request(built.app).get('/v1/models/fraud/drift').expect(404);
    expect((res.body as ErrorBody).error.code).toBe('no_reference');
    await request(built.app).get('/v1/models/churn/drift').expect(404);
  });
});
