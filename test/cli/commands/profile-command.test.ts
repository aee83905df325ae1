import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../../cli/src/command';
import { describeCalibration, profileCommand } from '../../../cli/src/commands/profile-command';
import { loadSpec } from '../../../spec/src/load-spec';
import { REPO_ROOT } from '../../support/demo-spec';

const SPEC = path.join(REPO_ROOT, 'mlwatch.yaml');
const REFERENCE = path.join(REPO_ROOT, 'exporter/demo/data/reference.csv');
const DEMO_PROFILE = path.join(REPO_ROOT, 'exporter/demo/data/fraud.profile.json');

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'mlwatch-profile-cli-'));
}

/** Runs the command in-process and collects what it prints. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  try {
    const code = await profileCommand.run(args);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('mlwatch profile', () => {
  test('profiles the demo reference, prints a line per feature and output, and exits 0', async () => {
    const out = path.join(tempDir(), 'fraud.profile.json');
    const result = await run([REFERENCE, '--model', 'fraud', '--out', out, '--config', SPEC]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(15);
    expect(lines[0]).toBe('amount                 numeric      count 5000  missing 0  mean 111.9  std 184.7');
    expect(lines[6]).toBe('credit_score           numeric      count 4605  missing 395  mean 680.3  std 68.63');
    expect(lines[9]).toBe(
      'device_type            categorical  count 5000  missing 0  pos_terminal 66.5%, mobile 22.8%, desktop 10.7%',
    );
    expect(lines[10]).toMatch(
      /^prediction {13}categorical {2}count 5000 {2}missing 0 {2}legit \d+\.\d%, fraud \d+\.\d%$/,
    );
    expect(lines[12]).toBe(
      'calibration v1: isotonic map stored; held-out ECE 0.008681 raw, 0.006833 calibrated (500 rows; fitted on 2000)',
    );
    expect(lines[13]).toBe(
      'calibration v2: isotonic map stored; held-out ECE 0.02185 raw, 0.01304 calibrated (500 rows; fitted on 2000)',
    );
    expect(lines[14]).toBe(`wrote ${out} (5000 rows, 10 features; outputs scored by version v1)`);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      model: 'fraud',
      source: { file: 'reference.csv', rows: 5000 },
    });
  });

  test('reproduces the committed demo profile byte for byte', async () => {
    const out = path.join(tempDir(), 'fraud.profile.json');
    expect((await run([REFERENCE, '--model', 'fraud', '--out', out, '--config', SPEC])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(DEMO_PROFILE, 'utf8'));
  });

  test('a reference without labels gets no calibration, and the command says what raw probabilities assume', async () => {
    const dir = tempDir();
    const plain = path.join(dir, 'plain.csv');
    const lines = readFileSync(REFERENCE, 'utf8').trimEnd().split('\n');
    writeFileSync(plain, `${lines.map((line) => line.split(',').slice(0, 10).join(',')).join('\n')}\n`);
    const out = path.join(dir, 'p.json');
    const result = await run([plain, '--model', 'fraud', '--out', out, '--config', SPEC]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '\ncalibration: none (no "label" column); the exporter estimates performance from the raw probabilities, which assumes they are calibrated (docs/estimated-performance.md)\n',
    );
    expect(JSON.parse(readFileSync(out, 'utf8'))).not.toHaveProperty('calibration');
  });

  test('the calibration lines say which versions keep raw probabilities, and why', () => {
    const fraud = loadSpec(SPEC).spec.models[0];
    if (fraud === undefined) throw new Error('the demo spec has no model');
    const lines = describeCalibration(
      {
        kind: 'fitted',
        source: 'proba',
        unlabelled: 3,
        otherVersions: { v0: 7 },
        calibration: undefined,
        keys: [{ key: 'v1', fitRows: 400, checkRows: 100, eceRaw: 0.0123456, eceCalibrated: 0.02, stored: 'identity' }],
      },
      fraud,
    );
    expect(lines).toEqual([
      'calibration v1: the isotonic map would raise the held-out ECE 0.01235 raw, 0.02 calibrated (100 rows; fitted on 400); stored the identity, so the exporter uses the raw probabilities',
      'calibration v2: no labelled rows in the file; the exporter uses its raw probabilities',
      'calibration: 3 rows without a label left out',
      'calibration: 7 labelled rows of version "v0" left out: not a version of fraud',
    ]);
  });

  test("reproduces the committed spend profile (outputs from the reference's prediction column) byte for byte", async () => {
    const out = path.join(tempDir(), 'spend.profile.json');
    const reference = path.join(REPO_ROOT, 'exporter/demo/data/spend-reference.csv');
    const result = await run([reference, '--model', 'spend', '--out', out, '--config', SPEC]);
    expect(result.stdout.split('\n').at(-1)).toBe(`wrote ${out} (5000 rows, 7 features; outputs from the file)`);
    expect(readFileSync(out, 'utf8')).toBe(
      readFileSync(path.join(REPO_ROOT, 'exporter/demo/data/spend.profile.json'), 'utf8'),
    );
  });

  test('--sample-limit bounds each numeric sample', async () => {
    const out = path.join(tempDir(), 'p.json');
    expect(
      (await run([REFERENCE, '--model', 'fraud', '--out', out, '--config', SPEC, '--sample-limit', '100'])).code,
    ).toBe(0);
    const profile = JSON.parse(readFileSync(out, 'utf8')) as {
      sample_limit: number;
      features: Array<{ sample?: number[] }>;
    };
    expect(profile.sample_limit).toBe(100);
    expect(profile.features[0]?.sample).toHaveLength(100);
  });

  test('a reference file with a bad value exits 1 naming the line and column', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.csv');
    const [header, first] = readFileSync(REFERENCE, 'utf8').split('\n');
    writeFileSync(bad, `${header}\n${first}\n${first?.replace(/^[^,]*/, 'lots')}\n`);
    const result = await run([bad, '--model', 'fraud', '--out', path.join(dir, 'p.json'), '--config', SPEC]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`mlwatch profile: ${bad} line 3, column amount: expected a number, got "lots"`);
  });

  test('a bad spec exits 1 with its problems', async () => {
    const dir = tempDir();
    const result = await run([REFERENCE, '--out', path.join(dir, 'p.json'), '--config', path.join(dir, 'none.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('none.yaml is not a valid mlwatch spec');
  });

  test.each([
    [[], 'expected one reference file (CSV or JSONL), got none'],
    [['a.csv', 'b.csv', '--out', 'p.json'], 'expected one reference file (CSV or JSONL), got 2'],
    [['a.csv'], '--out: required (the profile file to write)'],
    [['a.csv', '--out', 'p.json', '--sample-limit', '1.5'], '--sample-limit: expected a whole number >= 1, got "1.5"'],
    [
      ['a.csv', '--out', 'p.json', '--config', SPEC, '--model', 'churn'],
      `--model: no model "churn" in ${SPEC} (models: fraud, spend)`,
    ],
  ])('bad usage %j is a UsageError (exit 2): %s', async (args, message) => {
    const attempt = run(args);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });
});
