import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../../cli/src/command';
import { performanceCommand } from '../../../cli/src/commands/performance-command';
import { REPO_ROOT } from '../../support/demo-spec';

const SPEC = path.join(REPO_ROOT, 'mlwatch.yaml');

function write(name: string, content: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-performance-cli-')), name);
  writeFileSync(file, content);
  return file;
}

/** Runs the command in-process and collects what it prints. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  try {
    const code = await performanceCommand.run(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** Hand-computed in test/drift/offline/read-performance-file.test.ts. */
const CLASSIFIED = [
  'prediction,label,version,proba_legit,proba_fraud',
  'legit,legit,v1,0.9,0.1',
  'fraud,legit,v1,0.4,0.6',
  'fraud,fraud,v2,0.2,0.8',
  'legit,,v2,0.7,0.3',
  'legit,fraud,v1,0.6,0.4',
  'fraud,fraud,v2,0.1,0.9',
].join('\n');

describe('mlwatch performance', () => {
  test('prints realised and estimated quality per version, per class and the confusion matrix, and exits 0', async () => {
    const result = await run([write('p.csv', CLASSIFIED), '--model', 'fraud', '--spec', SPEC]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'version  rows  labelled  accuracy  macro F1  est. accuracy  est. macro F1',
        'v1          3         3    0.3333      0.25            0.7         0.6703',
        'v2          3         2         1         1            0.8          0.775',
        'all         6         5       0.6    0.5833           0.75         0.7499',
        '',
        'class  precision  recall      F1  support  est. precision  est. recall  est. F1',
        'legit        0.5     0.5     0.5        2          0.7333       0.7586   0.7458',
        'fraud     0.6667  0.6667  0.6667        3          0.7667       0.7419   0.7541',
        '',
        'confusion matrix of the labelled rows (rows: predicted, columns: actual)',
        'predicted  legit  fraud',
        'legit          1      1',
        'fraud          1      2',
      ].join('\n'),
    );
  });

  test('a regression file needs no spec: numeric labels mean regression', async () => {
    const file = write('r.jsonl', '{"prediction": 100, "label": 110}\n{"prediction": 50, "label": 20}\n');
    const result = await run([file, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      task: 'regression',
      overall: { version: 'all', rows: 2, labelled: 2, realised: { count: 2, mae: 20, rmse: Math.sqrt(500) } },
      versions: [],
    });
  });

  test('--json writes an undefined ratio as null', async () => {
    const file = write('p.csv', 'prediction,label\nfraud,fraud\n');
    const report = JSON.parse((await run([file, '--model', 'fraud', '--spec', SPEC, '--json'])).stdout) as {
      overall: { realised: { classes: { precision: number | null }[] } };
    };
    expect(report.overall.realised.classes.map((c) => c.precision)).toEqual([null, 1]);
  });

  test('the demo spend reference scores its committed MAE and RMSE', async () => {
    const reference = path.join(REPO_ROOT, 'exporter/demo/data/spend-reference.csv');
    const result = await run([reference, '--model', 'spend', '--spec', SPEC]);
    expect(result.stdout).toBe(
      ['version  rows  labelled    MAE   RMSE', 'all      5000      5000  125.1  236.9'].join('\n'),
    );
  });

  test('bad input exits 2 naming the row and column', async () => {
    const file = write('bad.csv', 'prediction,label\nlegit,legit\nlegit,maybe\n');
    const result = await run([file, '--model', 'fraud', '--spec', SPEC]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `mlwatch performance: ${file} row 2, column label: "maybe" is not a class (expected one of legit, fraud)`,
    );
  });

  test('an unknown model exits 2 naming the known ones', async () => {
    const result = await run([write('p.csv', CLASSIFIED), '--model', 'churn', '--spec', SPEC]);
    expect([result.code, result.stderr]).toEqual([
      2,
      `mlwatch performance: --model: "churn" is not a model of ${SPEC} (known: fraud, spend)`,
    ]);
  });

  test.each([
    [[], 'expected a <predictions> file'],
    [['a.csv', 'b.csv'], 'unexpected argument "b.csv"'],
  ])('bad usage %j is a UsageError: %s', async (args, message) => {
    await expect(run(args)).rejects.toThrow(new UsageError(message));
  });
});
