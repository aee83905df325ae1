import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../../cli/src/command';
import { profileCommand } from '../../../cli/src/commands/profile-command';
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
    expect(lines).toHaveLength(13);
    expect(lines[0]).toBe('amount                 numeric      count 5000  missing 0  mean 111.9  std 184.7');
    expect(lines[6]).toBe('credit_score           numeric      count 4605  missing 395  mean 680.3  std 68.63');
    expect(lines[9]).toBe(
      'device_type            categorical  count 5000  missing 0  pos_terminal 66.5%, mobile 22.8%, desktop 10.7%',
    );
    expect(lines[10]).toMatch(
      /^prediction {13}categorical {2}count 5000 {2}missing 0 {2}legit \d+\.\d%, fraud \d+\.\d%$/,
    );
    expect(lines[12]).toBe(`wrote ${out} (5000 rows, 10 features; outputs scored by version v1)`);
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
