import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { mean } from 'simple-statistics';
import type { ModelSpec } from '../../../spec/src/schema';
import { Random } from '../../../cli/src/demo/random';
import {
  SPEND_FEATURES,
  drawSpendFeatures,
  expectedSpend,
  generateSpendRows,
  spendLabel,
} from '../../../cli/src/demo/spend-dataset';
import { buildSpendFiles } from '../../../cli/src/demo/spend-demo';
import { REPO_ROOT } from '../../support/demo-spec';

/** The spend model of mlwatch.yaml, read raw: the demo builder only needs names, features and paths. */
function spendModel(): ModelSpec {
  const spec = yaml.load(readFileSync(path.join(REPO_ROOT, 'mlwatch.yaml'), 'utf8')) as { models: ModelSpec[] };
  const model = spec.models.find((m) => m.name === 'spend');
  if (model === undefined) throw new Error('mlwatch.yaml has no spend model');
  return model;
}

describe('the demo spend model', () => {
  const files = buildSpendFiles(spendModel());

  test('train-demo builds the artifact of every spec version and the reference sample', () => {
    expect(files.map((f) => f.path)).toEqual([
      'exporter/demo/models/spend-v1.json',
      'exporter/demo/data/spend-reference.csv',
    ]);
  });

  test('the committed spend files are exactly what `npm run train-demo` writes', () => {
    // If it fails after a change to the generator or the trainer, run `npm run train-demo` and commit the result.
    for (const file of files) {
      expect({ path: file.path, content: readFileSync(path.join(REPO_ROOT, file.path), 'utf8') }).toEqual({
        path: file.path,
        content: file.content,
      });
    }
  });

  test('the reference has the spec features, the prediction and the true label, in cents', () => {
    const lines = (files[1]?.content ?? '').trimEnd().split('\n');
    expect(lines[0]).toBe([...SPEND_FEATURES, 'prediction', 'label'].join(','));
    expect(lines).toHaveLength(5001);
    for (const line of lines.slice(1, 200)) {
      const cells = line.split(',');
      expect(cells).toHaveLength(SPEND_FEATURES.length + 2);
      for (const cell of cells.slice(-2)) expect(cell).toMatch(/^\d+(\.\d{1,2})?$/);
    }
  });

  test('spendLabel is deterministic for a seed and unbiased: its mean over many draws is the expected spend', () => {
    const row = drawSpendFeatures(new Random(5));
    expect(spendLabel(row, new Random(9))).toBe(spendLabel(row, new Random(9)));
    const random = new Random(10);
    const draws = Array.from({ length: 20_000 }, () => spendLabel(row, random));
    expect(draws.every((value) => value >= 0)).toBe(true);
    // The noise has mean 1; the big purchases add 4% × E[lognormal(ln 400, 0.7)] ≈ 20.5 EUR on average.
    const bigPurchases = 0.04 * 400 * Math.exp(0.7 ** 2 / 2);
    expect(mean(draws) / (expectedSpend(row) + bigPurchases)).toBeCloseTo(1, 1);
  });

  test("the quality scenario's shift scales the truth without touching the inputs", () => {
    const row = drawSpendFeatures(new Random(5));
    expect(spendLabel(row, new Random(9), { spendFactor: 1.5 })).toBeCloseTo(1.5 * spendLabel(row, new Random(9)), 1);
  });

  test('the same seed gives the same cards', () => {
    expect(generateSpendRows(50, 4)).toEqual(generateSpendRows(50, 4));
    expect(generateSpendRows(50, 4)).not.toEqual(generateSpendRows(50, 5));
  });
});
