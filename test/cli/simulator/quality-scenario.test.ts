import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../support/demo-spec';
import { defined } from '../../support/defined';
import { loadSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import { isRegressionPredictor, predictorKey, type FeatureValue } from '../../../spec/src/model-types';
import { Random } from '../../../cli/src/demo/random';
import { loadPredictors } from '../../../exporter/src/runtime/load-predictors';
import { buildProfile } from '../../../drift/src/profile/build-profile';
import { readWindowFile } from '../../../drift/src/offline/read-window-file';
import { prepareDriftPlan } from '../../../drift/src/engine/drift-plan';
import { evaluateDriftPlan } from '../../../drift/src/engine/evaluate-drift';
import type { DriftReport } from '../../../drift/src/engine/drift-report';
import { FRAUD_GROUND_TRUTH } from '../../../cli/src/simulator/fraud-ground-truth';
import { chooseGroundTruth } from '../../../cli/src/simulator/ground-truth';
import { GROUND_TRUTH_SOURCES } from '../../../cli/src/simulator/ground-truth-sources';
import { LabelPlanner } from '../../../cli/src/simulator/label-planner';
import { loadReferenceRows } from '../../../cli/src/simulator/reference-rows';
import { RealisedQuality } from '../../../cli/src/simulator/realised-quality';
import { findScenario } from '../../../cli/src/simulator/scenarios';
import { TrafficSource } from '../../../cli/src/simulator/traffic-source';

const loaded = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml'));
const model = loaded.spec.models[0] as ModelSpec;
const reference = loadReferenceRows(loaded.resolve(model.reference as string), model.features).rows;
const predictors = loadPredictors(loaded);
/** The floor the demo's accuracy alert judges by; 0.9 until the spec sets one. */
const ACCURACY_FLOOR = model.quality?.accuracy_floor ?? 0.9;
const EVENTS = 6000;

interface Simulated {
  readonly features: Record<string, FeatureValue>[];
  readonly quality: RealisedQuality;
}

/** What a run of `scenario` sends, event i at fraction i / EVENTS, each labelled and scored by its version like ingest mode. */
function simulate(scenario: string, seed: number, fractions: (i: number) => number = (i) => i / EVENTS): Simulated {
  const definition = findScenario(scenario);
  const source = new TrafficSource(model, reference, definition, new Random(seed), { alwaysPickVersion: true });
  const planner = new LabelPlanner(model, definition, FRAUD_GROUND_TRUTH.create(model), 1, new Random(seed + 100));
  const quality = new RealisedQuality();
  const features: Record<string, FeatureValue>[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const fraction = fractions(i);
    const event = source.next(fraction);
    features.push(event.features);
    const predictor = defined(predictors.get(predictorKey(model.name, defined(event.version, 'version'))), 'predictor');
    const label = defined(planner.plan(event.features, fraction), 'a label at coverage 1');
    if (isRegressionPredictor(predictor)) throw new Error('the fraud model is a classifier');
    quality.add(label.phase, predictor.predict(event.features).label, label.truth);
  }
  return { features, quality };
}

function csv(rows: readonly Record<string, FeatureValue>[]): string {
  const names = model.features.map((f) => f.name);
  const lines = rows.map((row) => names.map((n) => (row[n] === null ? '' : String(row[n]))).join(','));
  return `${names.join(',')}\n${lines.join('\n')}\n`;
}

/** The drift engine's verdict on `current` against `baseline`, as `mlwatch drift` gives it for two files. */
async function driftBetween(
  baseline: readonly Record<string, FeatureValue>[],
  current: readonly Record<string, FeatureValue>[],
): Promise<DriftReport> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-quality-'));
  const baselineFile = path.join(dir, 'baseline.csv');
  const currentFile = path.join(dir, 'current.csv');
  writeFileSync(baselineFile, csv(baseline));
  writeFileSync(currentFile, csv(current));
  const { profile } = await buildProfile(baselineFile, model, {});
  const window = await readWindowFile(currentFile, model);
  const plan = prepareDriftPlan(profile, loaded.spec.drift, model.features, { classes: model.classes ?? [] });
  return evaluateDriftPlan(window.snapshot, plan);
}

/** Inside the middle phase after its ramp: the concept drift (or input drift) at full strength. */
const FULL_STRENGTH = (i: number): number => 0.5 + 0.25 * (i / EVENTS);

describe('the quality scenario (concept drift)', () => {
  const baseline = simulate('normal', 11);
  const concept = simulate('quality', 12, FULL_STRENGTH);

  test('keeps the inputs where they were: the drift engine finds no feature drifted against the normal scenario', async () => {
    const report = await driftBetween(baseline.features, concept.features);
    expect(report.status).toBe('ok');
    expect(report.features_tested).toBe(model.features.length);
    expect(report.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual([]);
    expect(report.drifted).toBe(false);
  });

  test('the same comparison finds the drift scenario, so it can tell', async () => {
    const drifted = simulate('drift', 12, FULL_STRENGTH);
    const report = await driftBetween(baseline.features, drifted.features);
    expect(report.drifted).toBe(true);
    expect(report.dataset_drift).toBe(true);
  });

  test('the demo model is about as accurate on normal traffic as on its held-out rows, above the floor', () => {
    const accuracy = defined(baseline.quality.overall().accuracy, 'accuracy');
    expect(accuracy).toBeGreaterThan(ACCURACY_FLOOR + 0.03);
    expect(accuracy).toBeLessThan(0.97);
  });

  test('at full strength the realised accuracy falls clearly below the floor', () => {
    const accuracy = defined(concept.quality.overall().accuracy, 'accuracy');
    expect(concept.quality.byPhase().map((q) => q.phase)).toEqual(['concept']);
    expect(accuracy).toBeLessThan(0.65);
    expect(accuracy).toBeLessThan(ACCURACY_FLOOR - 0.25);
  });

  test('over a whole run the quiet phases keep their accuracy while the concept phase loses it', () => {
    const run = simulate('quality', 13);
    const byPhase = new Map(run.quality.byPhase().map((q) => [q.phase, defined(q.accuracy, 'accuracy')]));
    expect(defined(byPhase.get('normal'), 'normal')).toBeGreaterThan(ACCURACY_FLOOR);
    expect(defined(byPhase.get('concept'), 'concept')).toBeLessThan(ACCURACY_FLOOR - 0.15);
    expect(defined(byPhase.get('recovery'), 'recovery')).toBeGreaterThan(ACCURACY_FLOOR);
  });
});

describe('the quality scenario on the demo regression model (spend)', () => {
  const spend = defined(
    loaded.spec.models.find((m) => m.task === 'regression'),
    'a regression model in the demo spec',
  );
  const spendRows = loadReferenceRows(loaded.resolve(defined(spend.reference, 'reference')), spend.features).rows;
  const ceiling = defined(spend.quality?.mae_ceiling, 'mae_ceiling');

  test('its truth comes from the demo data generator: MAE near the held-out one in the quiet phases, far above the ceiling in the concept phase', () => {
    const definition = findScenario('quality');
    const source = new TrafficSource(spend, spendRows, definition, new Random(21), { alwaysPickVersion: true });
    const truth = chooseGroundTruth(spend, GROUND_TRUTH_SOURCES, () => {
      throw new Error('the spend model has a ground truth of its own');
    });
    const planner = new LabelPlanner(spend, definition, truth, 1, new Random(22));
    const quality = new RealisedQuality();
    for (let i = 0; i < EVENTS; i++) {
      const event = source.next(i / EVENTS);
      const predictor = defined(
        predictors.get(predictorKey(spend.name, defined(event.version, 'version'))),
        'predictor',
      );
      if (!isRegressionPredictor(predictor)) throw new Error('the spend model predicts values');
      const label = defined(planner.plan(event.features, i / EVENTS), 'label');
      quality.add(label.phase, predictor.predict(event.features).value, label.truth);
    }
    const mae = new Map(quality.byPhase().map((q) => [q.phase, defined(q.mae, 'mae')]));
    expect(defined(mae.get('normal'), 'normal')).toBeLessThan(ceiling);
    expect(defined(mae.get('recovery'), 'recovery')).toBeLessThan(ceiling);
    expect(defined(mae.get('concept'), 'concept')).toBeGreaterThan(1.3 * ceiling);
  });
});
