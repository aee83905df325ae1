import path from 'node:path';
import { REPO_ROOT } from '../../support/demo-spec';
import { defined } from '../../support/defined';
import { loadSpec, parseSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import type { FeatureRow } from '../../../spec/src/model-types';
import { Random } from '../../../cli/src/demo/random';
import { FRAUD_GROUND_TRUTH } from '../../../cli/src/simulator/fraud-ground-truth';
import { chooseGroundTruth, type GroundTruth } from '../../../cli/src/simulator/ground-truth';
import { GROUND_TRUTH_SOURCES } from '../../../cli/src/simulator/ground-truth-sources';
import { LabelPlanner } from '../../../cli/src/simulator/label-planner';
import { RealisedQuality } from '../../../cli/src/simulator/realised-quality';
import { loadReferenceRows } from '../../../cli/src/simulator/reference-rows';
import { findScenario, type TruthEffect } from '../../../cli/src/simulator/scenarios';
import { applyTruthEffects, compileTruthEffects } from '../../../cli/src/simulator/truth-effects';

const loaded = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml'));
const fraud = loaded.spec.models[0] as ModelSpec;
const rows = loadReferenceRows(loaded.resolve(fraud.reference as string), fraud.features).rows;

/** Expects `hits` of `trials` seeded draws to be within four binomial standard errors of the share `p`. */
function expectShare(hits: number, trials: number, p: number): void {
  const band = 4 * Math.sqrt((p * (1 - p)) / trials);
  expect(Math.abs(hits / trials - p)).toBeLessThanOrEqual(band);
}

function planner(coverage: number, seed = 5, scenario = 'normal'): LabelPlanner {
  return new LabelPlanner(fraud, findScenario(scenario), FRAUD_GROUND_TRUTH.create(fraud), coverage, new Random(seed));
}

function planMany(labels: LabelPlanner, count: number, fraction = 0.1): (string | number | undefined)[] {
  return Array.from({ length: count }, (_, i) => labels.plan(rows[i % rows.length] as FeatureRow, fraction)?.truth);
}

describe('label coverage', () => {
  test.each([0.8, 0.3])('a share of %p of the predictions gets a label', (coverage) => {
    const truths = planMany(planner(coverage), 10_000);
    expectShare(truths.filter((t) => t !== undefined).length, 10_000, coverage);
  });

  test('coverage 0 labels nothing and 1 labels everything', () => {
    expect(planMany(planner(0), 1000).every((t) => t === undefined)).toBe(true);
    expect(planMany(planner(1), 1000).every((t) => t !== undefined)).toBe(true);
  });

  test('the same seed labels the same predictions with the same truths', () => {
    expect(planMany(planner(0.8, 9), 2000)).toEqual(planMany(planner(0.8, 9), 2000));
    expect(planMany(planner(0.8, 9), 2000)).not.toEqual(planMany(planner(0.8, 10), 2000));
  });

  test('a coverage outside 0 to 1 is refused, naming it', () => {
    expect(() => planner(1.5)).toThrow('label coverage: expected a share from 0 to 1, got 1.5');
  });

  test('each label names the scenario phase of its prediction', () => {
    const labels = planner(1, 5, 'quality');
    expect([0.1, 0.5, 0.9].map((f) => labels.plan(rows[0] as FeatureRow, f)?.phase)).toEqual([
      'normal',
      'concept',
      'recovery',
    ]);
  });
});

describe('the fraud ground truth', () => {
  test('fits the demo fraud model and not a model with other features', () => {
    expect(FRAUD_GROUND_TRUTH.fits(fraud)).toBe(true);
    expect(FRAUD_GROUND_TRUTH.fits({ ...fraud, features: fraud.features.slice(1) })).toBe(false);
  });

  test('labels about as many payments fraud as the demo data holds (4 to 5%)', () => {
    const truths = planMany(planner(1), rows.length);
    const share = truths.filter((t) => t === 'fraud').length / truths.length;
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.065);
  });

  test('a row of another model is refused naming the feature', () => {
    const truth = FRAUD_GROUND_TRUTH.create(fraud);
    expect(() => truth.truth({ amount: 'lots' }, new Random(1))).toThrow(
      'fraud ground truth: amount: expected a number, got "lots"',
    );
  });
});

describe('truth effects (concept drift)', () => {
  const FLIP: TruthEffect = { kind: 'flip', share: 0.4 };
  const DISTORT: TruthEffect = { kind: 'distort', bias: 0.5, noise: 0.2 };

  test('a flip goes to class labels only, a distortion to values only', () => {
    expect(compileTruthEffects([FLIP, DISTORT], 'class')).toEqual([FLIP]);
    expect(compileTruthEffects([FLIP, DISTORT], 'value')).toEqual([DISTORT]);
  });

  test.each([
    [1, 0.4],
    [0.5, 0.2],
    [0, 0],
  ])('at strength %p a flip changes a share of %p of the labels, to another class', (strength, share) => {
    const random = new Random(3);
    const out = Array.from({ length: 10_000 }, () =>
      applyTruthEffects('legit', [FLIP], strength, ['legit', 'fraud'], random),
    );
    expect(new Set(out).size).toBeLessThanOrEqual(2);
    expectShare(out.filter((t) => t === 'fraud').length, 10_000, share);
  });

  test('a distortion moves values by the bias and spreads them by the noise, in proportion to their size', () => {
    const random = new Random(4);
    const out = Array.from({ length: 10_000 }, () => applyTruthEffects(200, [DISTORT], 1, [], random) as number);
    const mean = out.reduce((s, v) => s + v, 0) / out.length;
    const sd = Math.sqrt(out.reduce((s, v) => s + (v - mean) ** 2, 0) / out.length);
    expect(mean).toBeCloseTo(300, -1);
    expect(sd).toBeGreaterThan(36);
    expect(sd).toBeLessThan(44);
  });
});

/** A regression model as a test spec: the other helper's demo regression model is not on this branch. */
const REGRESSION_SPEC = `
service: { name: test }
models:
  - name: basket
    task: regression
    versions: [{ name: v1, weight: 1 }]
    features:
      - { name: items, type: numeric }
    quality: { mae_ceiling: 5 }
slo: { latency_target_seconds: 0.25, latency_objective_percent: 99, availability_objective_percent: 99.9 }
alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.7, rejected_events_per_second: 1 }
`;

describe('regression labels (a test spec)', () => {
  const basket = defined(parseSpec(REGRESSION_SPEC, 'test.yaml').spec.models[0], 'model');
  /** Truth: 10 per item, give or take 1; the model predicts exactly 10 per item. */
  const truth: GroundTruth = {
    kind: 'value',
    truth: (row, random) => 10 * (row['items'] as number) + random.normal(0, 1),
  };

  test('the quality scenario distorts the truth in its middle phase, so the realised MAE grows several-fold', () => {
    const labels = new LabelPlanner(basket, findScenario('quality'), truth, 1, new Random(8));
    const quality = new RealisedQuality();
    for (let i = 0; i < 6000; i++) {
      const items = 1 + (i % 9);
      const label = defined(labels.plan({ items }, i / 6000), 'label');
      quality.add(label.phase, 10 * items, label.truth);
    }
    const mae = new Map(quality.byPhase().map((q) => [q.phase, defined(q.mae, 'mae')]));
    expect(defined(mae.get('normal'), 'normal')).toBeLessThan(1);
    expect(defined(mae.get('recovery'), 'recovery')).toBeLessThan(1);
    expect(defined(mae.get('concept'), 'concept')).toBeGreaterThan(5 * defined(mae.get('normal'), 'normal'));
    expect(defined(mae.get('concept'), 'concept')).toBeGreaterThan(basket.quality?.mae_ceiling ?? 0);
  });

  test('a regression model nobody described gets no made-up truth: the error says where to add one', () => {
    expect(() =>
      chooseGroundTruth(basket, GROUND_TRUTH_SOURCES, () => ({ predict: () => ({ probabilities: {} }) })),
    ).toThrow(/model basket: no ground truth for this regression model.*ground-truth-sources\.ts/);
  });

  test('a classifier nobody described is labelled from its baseline’s probabilities', () => {
    const other = { ...fraud, name: 'other', features: fraud.features.slice(0, 3) };
    const calibrated = chooseGroundTruth(other, GROUND_TRUTH_SOURCES, () => ({
      predict: () => ({ probabilities: { legit: 0.25, fraud: 0.75 } }),
    }));
    const random = new Random(2);
    const out = Array.from({ length: 10_000 }, () => calibrated.truth({}, random));
    expectShare(out.filter((t) => t === 'fraud').length, 10_000, 0.75);
  });
});
