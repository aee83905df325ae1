import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateFraudRows } from '../../../cli/src/demo/fraud-dataset';
import { scoreModel } from '../../../cli/src/demo/train-logistic';
import {
  LOGISTIC_FORMAT,
  LogisticModel,
  ModelArtifactError,
  loadLogisticModel,
  type LogisticArtifact,
} from '../../../exporter/src/model/logistic-model';
import { REPO_ROOT } from '../../support/demo-spec';
import { objectAt, type Doc } from '../../support/document';

/** A small artifact whose log-odds are easy to work out by hand. */
function handArtifact(): LogisticArtifact {
  return {
    format: LOGISTIC_FORMAT,
    model: 'fraud',
    version: 'hand',
    classes: ['legit', 'fraud'],
    features: [
      { name: 'amount', type: 'numeric', mean: 100, std: 50, weight: 0.5 },
      { name: 'credit_score', type: 'numeric', mean: 700, std: 50, weight: -1, missing_weight: 0.8 },
      { name: 'merchant_category', type: 'categorical', weights: { travel: 1.2, grocery: -0.4 } },
    ],
    intercept: -1,
    trained: {
      rows: 0,
      seed: 0,
      lambda: 0,
      epochs: 0,
      train: { accuracy: 0, log_loss: 0, auc: 0 },
      holdout: { accuracy: 0, log_loss: 0, auc: 0 },
    },
  };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const model = new LogisticModel(handArtifact());

function writeTemp(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-logistic-')), name);
  writeFileSync(file, content);
  return file;
}

function loadError(file: string): ModelArtifactError {
  try {
    loadLogisticModel(file);
  } catch (error) {
    if (error instanceof ModelArtifactError) return error;
    throw error;
  }
  throw new Error(`expected ${file} to be rejected`);
}

function artifactWith(edit: (artifact: Doc) => void): string {
  const artifact = objectAt(JSON.parse(JSON.stringify(handArtifact())));
  edit(artifact);
  return JSON.stringify(artifact);
}

describe('LogisticModel', () => {
  test('a hand-computed row gets the sigmoid of intercept plus standardised weights', () => {
    // -1 + 0.5 * (200 - 100) / 50 - 1 * (650 - 700) / 50 + 1.2 = 2.2
    const prediction = model.predict({ amount: 200, credit_score: 650, merchant_category: 'travel' });
    expect(model.logOdds({ amount: 200, credit_score: 650, merchant_category: 'travel' })).toBeCloseTo(2.2, 12);
    expect(prediction.probabilities['fraud']).toBeCloseTo(sigmoid(2.2), 12);
    expect(prediction).toEqual({
      label: 'fraud',
      confidence: prediction.probabilities['fraud'],
      probabilities: expect.any(Object) as unknown,
    });
  });

  test('class probabilities sum to 1 and the confidence is that of the predicted class', () => {
    for (const amount of [-1e6, 0, 60, 100, 180, 1e6]) {
      const { label, confidence, probabilities } = model.predict({
        amount,
        credit_score: 700,
        merchant_category: 'grocery',
      });
      expect(Object.keys(probabilities)).toEqual(['legit', 'fraud']);
      expect((probabilities['legit'] as number) + (probabilities['fraud'] as number)).toBeCloseTo(1, 15);
      expect(confidence).toBe(probabilities[label]);
      expect(confidence).toBeGreaterThanOrEqual(0.5);
      expect(Number.isFinite(confidence)).toBe(true);
    }
  });

  test('the negative class wins an exact tie', () => {
    // -1 + 0.5 * 2 = 0 log-odds: probability one half each.
    expect(model.predict({ amount: 200, credit_score: 700, merchant_category: 'fuel' }).label).toBe('legit');
  });

  test('an unknown category contributes 0, like a category the model has no weight for', () => {
    const base = { amount: 100, credit_score: 700 };
    expect(model.logOdds({ ...base, merchant_category: 'casino' })).toBe(-1);
    expect(model.logOdds({ ...base, merchant_category: 'constructor' })).toBe(-1);
    expect(model.logOdds({ ...base, merchant_category: null })).toBe(-1);
  });

  test('a null, absent or non-numeric credit_score is imputed with the mean and adds the missing weight', () => {
    const base = { amount: 100, merchant_category: 'grocery' };
    // -1 + 0 + 0.8 - 0.4
    expect(model.logOdds({ ...base, credit_score: null })).toBeCloseTo(-0.6, 12);
    expect(model.logOdds(base)).toBeCloseTo(-0.6, 12);
    expect(model.logOdds({ ...base, credit_score: Number.NaN })).toBeCloseTo(-0.6, 12);
  });

  test('a missing feature without a missing weight is just the mean', () => {
    expect(model.logOdds({ credit_score: 700, merchant_category: 'travel' })).toBeCloseTo(0.2, 12);
  });

  test('inputs the version does not use are ignored', () => {
    const row = { amount: 150, credit_score: 640, merchant_category: 'travel' };
    expect(model.logOdds({ ...row, hour_of_day: 3, device_type: 'desktop' })).toBe(model.logOdds(row));
  });

  test('it describes itself as a Predictor', () => {
    expect(model.model).toBe('fraud');
    expect(model.version).toBe('hand');
    expect(model.classes).toEqual(['legit', 'fraud']);
    expect(model.features).toEqual(['amount', 'credit_score', 'merchant_category']);
  });
});

describe('loadLogisticModel', () => {
  test('a valid file loads', () => {
    const file = writeTemp('ok.json', JSON.stringify(handArtifact()));
    expect(loadLogisticModel(file).logOdds({ amount: 100, credit_score: 700 })).toBe(-1);
  });

  test('a missing file is named in the error', () => {
    const error = loadError('/nonexistent/fraud-v9.json');
    expect(error.message).toContain('/nonexistent/fraud-v9.json');
    expect(error.problems[0]).toMatch(/^cannot read the file: /);
  });

  test('a file that is not JSON is named in the error', () => {
    const file = writeTemp('broken.json', '{"format": ');
    expect(loadError(file).problems[0]).toMatch(/^not valid JSON: /);
    expect(loadError(file).message).toContain(file);
  });

  test.each([
    [
      'a wrong format',
      (a: Doc) => {
        a['format'] = 'sklearn/1';
      },
      'format: expected "mlwatch.logistic/1", got "sklearn/1"',
    ],
    [
      'a non-numeric std',
      (a: Doc) => {
        objectAt(a, 'features', 1)['std'] = 'wide';
      },
      'features[1].std: expected number, got "wide"',
    ],
    [
      'a zero std',
      (a: Doc) => {
        objectAt(a, 'features', 0)['std'] = 0;
      },
      'features[0].std:',
    ],
    [
      'a category weight that is not a number',
      (a: Doc) => {
        objectAt(a, 'features', 2, 'weights')['travel'] = null;
      },
      'features[2].weights.travel: expected number, got null',
    ],
    [
      'three classes',
      (a: Doc) => {
        a['classes'] = ['a', 'b', 'c'];
      },
      'classes:',
    ],
    [
      'a missing intercept',
      (a: Doc) => {
        delete a['intercept'];
      },
      'intercept: required',
    ],
    [
      'an unknown key',
      (a: Doc) => {
        objectAt(a, 'features', 0)['scale'] = 2;
      },
      'features[0].scale: unknown key',
    ],
    [
      'a duplicate feature',
      (a: Doc) => {
        objectAt(a, 'features', 2)['name'] = 'amount';
      },
      'features[2].name: duplicate feature name "amount"',
    ],
    [
      'an unknown feature type',
      (a: Doc) => {
        objectAt(a, 'features', 0)['type'] = 'text';
      },
      'features[0].type: Invalid discriminator value',
    ],
  ])('%s is reported with the file and the field', (_, edit, expected) => {
    const file = writeTemp('bad.json', artifactWith(edit));
    const { message, problems } = loadError(file);
    expect(message).toContain(file);
    expect(problems.some((p) => p.startsWith(expected))).toBe(true);
  });
});

describe('the committed demo artifacts', () => {
  const v1 = loadLogisticModel(path.join(REPO_ROOT, 'exporter/demo/models/fraud-v1.json'));
  const v2 = loadLogisticModel(path.join(REPO_ROOT, 'exporter/demo/models/fraud-v2.json'));
  // A seed no training script uses: a fresh sample neither version has seen.
  const fresh = generateFraudRows(10_000, 4242);
  const v1Scores = scoreModel(v1, fresh);
  const v2Scores = scoreModel(v2, fresh);

  test('v1 ranks fraud well: AUC above 0.85 and accuracy at least the majority baseline', () => {
    expect(v1Scores.auc).toBeGreaterThan(0.85);
    expect(v1Scores.accuracy).toBeGreaterThanOrEqual(1 - (v1Scores.positive_rate as number));
  });

  test('v1 beats v2 on a fresh sample, in both AUC and log-loss', () => {
    expect(v1Scores.auc).toBeGreaterThan(v2Scores.auc + 0.01);
    expect(v1Scores.log_loss).toBeLessThan(v2Scores.log_loss - 0.01);
  });

  test('v2 uses two features fewer than v1', () => {
    expect(v1.features).toHaveLength(10);
    expect(v1.features.filter((name) => !v2.features.includes(name))).toEqual(['hour_of_day', 'device_type']);
  });
});
