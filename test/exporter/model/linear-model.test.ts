import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import { generateSpendRows } from '../../../cli/src/demo/spend-dataset';
import { SPEND_HOLDOUT_ROWS, SPEND_HOLDOUT_SEED } from '../../../cli/src/demo/spend-demo';
import { scoreRegression } from '../../../cli/src/demo/train-linear';
import {
  LINEAR_FORMAT,
  LinearModel,
  loadLinearModel,
  type LinearArtifact,
} from '../../../exporter/src/model/linear-model';
import { ModelArtifactError } from '../../../exporter/src/model/model-artifact';
import { loadPredictor } from '../../../exporter/src/runtime/load-predictors';
import { isRegressionPredictor } from '../../../spec/src/model-types';
import { defined } from '../../support/defined';
import { REPO_ROOT } from '../../support/demo-spec';

/** A small artifact whose outputs are easy to work out by hand. */
function handArtifact(): LinearArtifact {
  return {
    format: LINEAR_FORMAT,
    model: 'spend',
    version: 'hand',
    features: [
      { name: 'avg_amount_30d', type: 'numeric', mean: 50, std: 25, weight: 40 },
      { name: 'credit_score', type: 'numeric', mean: 700, std: 50, weight: 10, missing_weight: -30 },
      { name: 'card_tier', type: 'categorical', weights: { gold: 60, platinum: 150 } },
    ],
    intercept: 200,
    trained: { rows: 0, seed: 0, lambda: 0, train: { mae: 0, rmse: 0, r2: 0 }, holdout: { mae: 0, rmse: 0, r2: 0 } },
  };
}

const model = new LinearModel(handArtifact());

function writeTemp(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-linear-')), name);
  writeFileSync(file, content);
  return file;
}

function rejection(load: () => unknown): ModelArtifactError {
  try {
    load();
  } catch (error) {
    if (error instanceof ModelArtifactError) return error;
    throw error;
  }
  throw new Error('expected the artifact to be rejected');
}

describe('LinearModel', () => {
  test('a hand-computed row is the intercept plus the standardised weights, with no link function', () => {
    // 200 + 40 * (100 - 50) / 25 + 10 * (750 - 700) / 50 + 60 = 200 + 80 + 10 + 60 = 350
    expect(model.predict({ avg_amount_30d: 100, credit_score: 750, card_tier: 'gold' })).toEqual({ value: 350 });
  });

  test('a missing numeric value is the mean plus its missing weight; an unknown category adds nothing', () => {
    // 200 + 0 - 30 + 0
    expect(model.value({ avg_amount_30d: 50, credit_score: null, card_tier: 'titanium' })).toBe(170);
    expect(model.value({ credit_score: 700 })).toBe(200);
  });

  test('min_output clamps the output from below, and only when the artifact has one', () => {
    const low = { avg_amount_30d: -500, credit_score: 700 };
    expect(model.value(low)).toBe(200 + (40 * -550) / 25);
    expect(new LinearModel({ ...handArtifact(), min_output: 0 }).value(low)).toBe(0);
  });

  test('it describes itself as a regression predictor', () => {
    expect(isRegressionPredictor(model)).toBe(true);
    expect([model.model, model.version, model.features]).toEqual([
      'spend',
      'hand',
      ['avg_amount_30d', 'credit_score', 'card_tier'],
    ]);
  });
});

describe('loading linear artifacts', () => {
  const loaded = loadSpec(path.join(REPO_ROOT, 'mlwatch.yaml'));
  const modelNamed = (name: string): ModelSpec =>
    defined(
      loaded.spec.models.find((m) => m.name === name),
      name,
    );

  test('a valid file loads, by its format, for a regression model', () => {
    const file = writeTemp('ok.json', JSON.stringify(handArtifact()));
    expect(loadLinearModel(file).value({ credit_score: 700 })).toBe(200);
    const predictor = loadPredictor(file, modelNamed('spend'));
    expect(isRegressionPredictor(predictor) && predictor.predict({}).value).toBe(170);
  });

  test('a bad field is named with the file and the format', () => {
    const file = writeTemp('bad.json', JSON.stringify({ ...handArtifact(), intercept: 'x' }));
    const error = rejection(() => loadLinearModel(file));
    expect(error.message).toContain(`${file} is not a valid ${LINEAR_FORMAT} model artifact`);
    expect(error.problems.some((p) => p.startsWith('intercept: '))).toBe(true);
  });

  test('a linear artifact for a classifier, or a logistic one for a regression model, is refused naming the task', () => {
    const linear = writeTemp('linear.json', JSON.stringify(handArtifact()));
    expect(rejection(() => loadPredictor(linear, modelNamed('fraud'))).problems).toEqual([
      `format: a ${LINEAR_FORMAT} artifact predicts a number, but model fraud has task "binary_classification"`,
    ]);
    const logistic = path.join(REPO_ROOT, 'exporter/demo/models/fraud-v1.json');
    expect(rejection(() => loadPredictor(logistic, modelNamed('spend'))).problems).toEqual([
      'format: a mlwatch.logistic/1 artifact predicts classes, but model spend has task "regression"',
    ]);
  });

  test('an unknown format is named', () => {
    const file = writeTemp('other.json', JSON.stringify({ ...handArtifact(), format: 'onnx' }));
    expect(rejection(() => loadPredictor(file, modelNamed('spend'))).problems).toEqual([
      'format: expected "mlwatch.logistic/1" or "mlwatch.linear/1", got "onnx"',
    ]);
  });

  test('the committed spend artifact reproduces its recorded holdout errors with the serving code', () => {
    const file = path.join(REPO_ROOT, 'exporter/demo/models/spend-v1.json');
    const artifact = JSON.parse(readFileSync(file, 'utf8')) as LinearArtifact;
    const holdout = generateSpendRows(SPEND_HOLDOUT_ROWS, SPEND_HOLDOUT_SEED);
    expect(scoreRegression(loadLinearModel(file), holdout)).toEqual(artifact.trained.holdout);
  });
});
