import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSpec } from '../../../cli/src/check-spec';
import { initCommand } from '../../../cli/src/commands/init-command';
import { loadSpec } from '../../../spec/src/load-spec';
import { REPO_ROOT } from '../../support/demo-spec';

const CSV = `age,income,city,segment,prediction
34,52000.5,paris,a,churn
41,,lyon,b,stay
29,61000,paris,,stay
55,48000,nice,a,unsure
`;

async function quietly(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => err.push(a.join(' ')));
  try {
    return { code: await run(), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'mlwatch-init-'));
}

describe('mlwatch init', () => {
  test('infers types, categories and nullability from the CSV; the prediction column gives the classes', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'data.csv'), CSV);
    const out = path.join(dir, 'mlwatch.yaml');
    const run = await quietly(() =>
      initCommand.run(['--reference', path.join(dir, 'data.csv'), '--model', 'churn', '--out', out]),
    );
    expect(run.code).toBe(0);
    const { spec } = loadSpec(out);
    const [model] = spec.models;
    expect(model?.task).toBe('multiclass_classification');
    expect(model?.classes).toEqual(['churn', 'stay', 'unsure']);
    expect(model?.reference).toBe('data.csv');
    expect(model?.features).toEqual([
      { name: 'age', type: 'numeric', nullable: false, drift_test: 'auto' },
      { name: 'income', type: 'numeric', nullable: true, drift_test: 'auto' },
      { name: 'city', type: 'categorical', nullable: false, categories: ['paris', 'lyon', 'nice'], drift_test: 'auto' },
      { name: 'segment', type: 'categorical', nullable: true, categories: ['a', 'b'], drift_test: 'auto' },
    ]);
    expect(run.out).toContain('4 features from 4 rows (2 numeric, 2 categorical, 2 nullable)');
  });

  test('the starter spec of the demo reference passes mlwatch validate for serve and generate', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'mlwatch.yaml');
    const reference = path.join(REPO_ROOT, 'exporter/demo/data/reference.csv');
    expect((await quietly(() => initCommand.run(['--reference', reference, '--out', out]))).code).toBe(0);
    const check = await checkSpec(out, 'all');
    expect(check.problems).toEqual([]);
    expect(check.loaded?.spec.models[0]?.features).toHaveLength(10);
  });

  test('label, version and proba_<class> columns are calibration inputs, not features; the label gives the classes', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'data.csv'),
      'age,city,version,label,proba_churn,proba_stay\n34,paris,v1,churn,0.7,0.3\n41,lyon,v1,stay,0.2,0.8\n',
    );
    const out = path.join(dir, 'mlwatch.yaml');
    expect((await quietly(() => initCommand.run(['--reference', path.join(dir, 'data.csv'), '--out', out]))).code).toBe(
      0,
    );
    const [model] = loadSpec(out).spec.models;
    expect(model?.features.map((f) => f.name)).toEqual(['age', 'city']);
    expect(model?.classes).toEqual(['churn', 'stay']);
    expect(readFileSync(out, 'utf8')).not.toMatch(/skipped column "(label|version|proba_)/);
  });

  test('a regression starter has no classes and validates', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'data.csv'),
      CSV.replace(/,prediction\n/, '\n').replace(/,(churn|stay|unsure)\n/g, '\n'),
    );
    const out = path.join(dir, 'spec.yaml');
    const run = await quietly(() =>
      initCommand.run(['--reference', path.join(dir, 'data.csv'), '--task', 'regression', '--out', out]),
    );
    expect(run.code).toBe(0);
    expect(loadSpec(out).spec.models[0]?.classes).toBeUndefined();
    expect((await checkSpec(out, 'all')).problems).toEqual([]);
  });

  test('refuses to overwrite an existing file without --force, and replaces it with --force', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'data.csv'), CSV);
    const out = path.join(dir, 'mlwatch.yaml');
    writeFileSync(out, '# mine\n');
    const args = ['--reference', path.join(dir, 'data.csv'), '--out', out];
    const refused = await quietly(() => initCommand.run(args));
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(`mlwatch init: ${out} exists; not overwriting it (--force replaces it)`);
    expect(readFileSync(out, 'utf8')).toBe('# mine\n');
    expect((await quietly(() => initCommand.run([...args, '--force']))).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('models:');
  });

  test('a reference that is not a CSV is refused before anything is written', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'mlwatch.yaml');
    await expect(initCommand.run(['--reference', path.join(dir, 'data.parquet'), '--out', out])).rejects.toThrow(
      'data.parquet: expected a .csv file with a header row',
    );
    expect(existsSync(out)).toBe(false);
  });
});
