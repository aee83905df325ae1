import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { ModelSpec } from '../../../spec/src/schema';
import { FRAUD_FEATURES, generateFraudRows } from '../../../cli/src/demo/fraud-dataset';
import { buildDemoFiles, referenceCsv } from '../../../cli/src/demo/train-demo';
import { REPO_ROOT } from '../../support/demo-spec';
import { LogisticModel, parseLogisticArtifact } from '../../../exporter/src/model/logistic-model';

/** The fraud model of mlwatch.yaml, read raw: the demo builder only needs names, classes, features and paths. */
function demoModel(): ModelSpec {
  const spec = yaml.load(readFileSync(path.join(REPO_ROOT, 'mlwatch.yaml'), 'utf8')) as { models: ModelSpec[] };
  const model = spec.models.find((m) => m.name === 'fraud');
  if (model === undefined) throw new Error('mlwatch.yaml has no fraud model');
  return model;
}

describe('train-demo', () => {
  const files = buildDemoFiles(demoModel());

  test('it builds the artifact of every spec version and the reference sample', () => {
    expect(files.map((f) => f.path)).toEqual([
      'exporter/demo/models/fraud-v1.json',
      'exporter/demo/models/fraud-v2.json',
      'exporter/demo/data/reference.csv',
    ]);
  });

  test('the committed demo files are exactly what `npm run train-demo` writes', () => {
    // The committed files came from a separate run, so this also proves runs are byte-identical.
    // If it fails after a change to the generator or the trainer, run `npm run train-demo` and commit the result.
    for (const file of files) {
      expect({ path: file.path, content: readFileSync(path.join(REPO_ROOT, file.path), 'utf8') }).toEqual({
        path: file.path,
        content: file.content,
      });
    }
  });

  const scorers = files
    .filter((f) => f.path.endsWith('.json'))
    .map((f) => new LogisticModel(parseLogisticArtifact(JSON.parse(f.content), f.path)));
  const rows = generateFraudRows(300, 9);
  const lines = referenceCsv(rows, ['legit', 'fraud'], scorers).trimEnd().split('\n');
  const CALIBRATION_COLUMNS = ['version', 'label', 'proba_legit', 'proba_fraud'];

  test('the reference CSV has the spec features as header and an empty cell for a missing credit score', () => {
    expect(lines[0]).toBe([...FRAUD_FEATURES, ...CALIBRATION_COLUMNS].join(','));
    expect(lines).toHaveLength(301);
    const missing = rows.findIndex((r) => r.features.credit_score === null);
    expect(missing).toBeGreaterThanOrEqual(0);
    expect(lines[missing + 1]?.split(',')[FRAUD_FEATURES.indexOf('credit_score')]).toBe('');
    expect(lines.every((line) => line.split(',').length === FRAUD_FEATURES.length + 4)).toBe(true);
  });

  test('each row carries its true label and the class probabilities of the versions in turn, for calibration', () => {
    expect(scorers.map((s) => s.version)).toEqual(['v1', 'v2']);
    lines.slice(1).forEach((line, i) => {
      const [version, label, legit, fraud] = line.split(',').slice(FRAUD_FEATURES.length);
      const row = rows[i] as (typeof rows)[number];
      const scorer = scorers[i % 2] as LogisticModel;
      expect(version).toBe(scorer.version);
      expect(label).toBe(row.label === 1 ? 'fraud' : 'legit');
      expect(Math.abs(Number(fraud) - scorer.positiveProbability(row.features))).toBeLessThanOrEqual(5e-7);
      expect(Number(legit) + Number(fraud)).toBeCloseTo(1, 9);
    });
  });

  test('without artifacts to score it the reference CSV is the features alone', () => {
    expect(referenceCsv(rows.slice(0, 2), ['legit', 'fraud'], []).split('\n')[0]).toBe(FRAUD_FEATURES.join(','));
  });
});
