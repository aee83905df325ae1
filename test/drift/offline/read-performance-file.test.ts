import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClassificationPerformance, PerformanceReport } from '../../../drift/src/offline/performance-report';
import { inferTask, readPerformanceFile } from '../../../drift/src/offline/read-performance-file';

const FRAUD = { kind: 'classification', classes: ['legit', 'fraud'] } as const;

function write(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-performance-')), name);
  writeFileSync(file, content);
  return file;
}

/**
 * Six fraud predictions, five labelled. By hand, rows [predicted][actual]:
 *   labelled: legit→legit 1 (row 1), fraud→legit 1 (row 2), fraud→fraud 2 (rows 3, 6), legit→fraud 1 (row 5)
 *   expected from the probabilities (all six rows): legit row [0.9+0.7+0.6, 0.1+0.3+0.4] = [2.2, 0.8],
 *   fraud row [0.4+0.2+0.1, 0.6+0.8+0.9] = [0.7, 2.3]
 */
const CLASSIFIED = [
  'prediction,label,version,proba_legit,proba_fraud',
  'legit,legit,v1,0.9,0.1',
  'fraud,legit,v1,0.4,0.6',
  'fraud,fraud,v2,0.2,0.8',
  'legit,,v2,0.7,0.3',
  'legit,fraud,v1,0.6,0.4',
  'fraud,fraud,v2,0.1,0.9',
].join('\n');

function classification(report: PerformanceReport): {
  overall: ClassificationPerformance;
  versions: readonly ClassificationPerformance[];
} {
  if (report.task !== 'classification') throw new Error(`expected a classification report, got ${report.task}`);
  return report;
}

describe('readPerformanceFile: classification', () => {
  test('realised quality over the labelled rows equals the hand-computed confusion matrix', async () => {
    const { overall } = classification(await readPerformanceFile(write('p.csv', CLASSIFIED), FRAUD));
    expect([overall.rows, overall.labelled]).toEqual([6, 5]);
    expect(overall.confusion).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(overall.realised.accuracy).toBeCloseTo(3 / 5, 12);
    const [legit, fraud] = overall.realised.classes;
    expect(legit).toEqual({ class: 'legit', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(fraud?.precision).toBeCloseTo(2 / 3, 12);
    expect(fraud?.recall).toBeCloseTo(2 / 3, 12);
    expect(fraud?.support).toBe(3);
    expect(overall.realised.macroF1).toBeCloseTo((0.5 + 2 / 3) / 2, 12);
  });

  test("estimated quality adds every row's probabilities, labelled or not", async () => {
    const { overall } = classification(await readPerformanceFile(write('p.csv', CLASSIFIED), FRAUD));
    const estimated = overall.estimated;
    expect(estimated?.count).toBeCloseTo(6, 12);
    expect(estimated?.accuracy).toBeCloseTo((2.2 + 2.3) / 6, 12);
    expect(estimated?.classes[0]?.precision).toBeCloseTo(2.2 / 3, 12);
    expect(estimated?.classes[0]?.recall).toBeCloseTo(2.2 / 2.9, 12);
    expect(estimated?.classes[1]?.precision).toBeCloseTo(2.3 / 3, 12);
    expect(estimated?.classes[1]?.recall).toBeCloseTo(2.3 / 3.1, 12);
  });

  test('per version: v1 got one of three right; v2 never predicted legit, so its legit precision is undefined (NaN)', async () => {
    const { versions } = classification(await readPerformanceFile(write('p.csv', CLASSIFIED), FRAUD));
    expect(versions.map((v) => [v.version, v.rows, v.labelled])).toEqual([
      ['v1', 3, 3],
      ['v2', 3, 2],
    ]);
    const [v1, v2] = versions;
    expect(v1?.realised.accuracy).toBeCloseTo(1 / 3, 12);
    expect(v1?.realised.classes[1]).toEqual({ class: 'fraud', precision: 0, recall: 0, f1: 0, support: 1 });
    expect(v1?.realised.macroF1).toBeCloseTo(0.25, 12);
    expect(v2?.realised.accuracy).toBe(1);
    expect(v2?.realised.classes[0]?.precision).toBeNaN();
    expect(v2?.realised.macroF1).toBe(1);
  });

  test('a confidence column alone gives the predicted class that probability and the other class the rest', async () => {
    const file = write('c.csv', 'prediction,label,confidence\nlegit,legit,0.9\nfraud,legit,0.6\n');
    const { overall } = classification(await readPerformanceFile(file, FRAUD));
    // legit row [0.9, 0.1], fraud row [0.4, 0.6]: accuracy (0.9 + 0.6) / 2
    expect(overall.estimated?.accuracy).toBeCloseTo(0.75, 12);
  });

  test('without probabilities there is no estimate', async () => {
    const { overall } = classification(
      await readPerformanceFile(write('n.csv', 'prediction,label\nlegit,legit\n'), FRAUD),
    );
    expect(overall.estimated).toBeUndefined();
  });

  test.each([
    [
      'prediction,label\nlegit,legit\nlegit,maybe\n',
      'row 2, column label: "maybe" is not a class (expected one of legit, fraud)',
    ],
    ['prediction,label\n,legit\n', 'row 1, column prediction: missing: every row needs its prediction'],
    [
      'prediction,label,proba_legit,proba_fraud\nlegit,legit,0.9,0.3\n',
      'row 1, column proba_legit, proba_fraud: the class probabilities sum to 1.2, expected 1',
    ],
    [
      'prediction,label,confidence\nlegit,legit,1.5\n',
      'row 1, column confidence: expected a probability in [0, 1], got 1.5',
    ],
  ])('bad input %j is refused naming the row and column', async (content, message) => {
    const file = write('bad.csv', content);
    await expect(readPerformanceFile(file, FRAUD)).rejects.toThrow(`${file} ${message}`);
  });
});

describe('readPerformanceFile: regression', () => {
  // Errors of the labelled rows: +10 and -30 (v1), +20 (v2); the null label is not labelled yet.
  const lines = [
    { prediction: 100, label: 110, version: 'v1' },
    { prediction: 50, label: 20, version: 'v1' },
    { prediction: 200, label: null, version: 'v2' },
    { prediction: 80, label: 100, version: 'v2' },
  ];
  const jsonl = lines.map((line) => JSON.stringify(line)).join('\n');

  test('MAE and RMSE per version and overall equal the hand-computed ones', async () => {
    const report = await readPerformanceFile(write('r.jsonl', jsonl), { kind: 'regression' });
    expect(report.task).toBe('regression');
    expect(report.overall).toEqual({
      version: 'all',
      rows: 4,
      labelled: 3,
      realised: { count: 3, mae: 20, rmse: Math.sqrt((100 + 900 + 400) / 3) },
    });
    expect(report.versions.map((v) => [v.version, v.rows, v.realised])).toEqual([
      ['v1', 2, { count: 2, mae: 20, rmse: Math.sqrt(500) }],
      ['v2', 2, { count: 1, mae: 20, rmse: 20 }],
    ]);
  });

  test('a label that is not a number is refused naming the line and column', async () => {
    const file = write('r.csv', 'prediction,label\n1,2\n3,lots\n');
    await expect(readPerformanceFile(file, { kind: 'regression' })).rejects.toThrow(
      `${file} line 3, column label: expected a number, got "lots"`,
    );
  });
});

describe('inferTask', () => {
  test('numeric labels mean regression, in CSV and JSONL', async () => {
    expect(await inferTask(write('r.csv', 'prediction,label\n1.5,2\n'))).toEqual({ kind: 'regression' });
    expect(await inferTask(write('r.jsonl', '{"prediction": 1.5, "label": 2}\n'))).toEqual({ kind: 'regression' });
  });

  test('otherwise the classes are those the predictions and labels name, sorted', async () => {
    expect(await inferTask(write('c.csv', CLASSIFIED))).toEqual({
      kind: 'classification',
      classes: ['fraud', 'legit'],
    });
  });
});
