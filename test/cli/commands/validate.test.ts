import path from 'node:path';
import { REPO_ROOT, writeDemoSpec } from '../../support/demo-spec';
import { objectAt } from '../../support/document';
import { spawnCli } from '../../support/spawn-cli';

describe('mlwatch validate', () => {
  test('a valid spec prints a summary and exits 0', async () => {
    const cli = spawnCli(['validate', path.join(REPO_ROOT, 'mlwatch.yaml')]);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toMatch(
      /mlwatch\.yaml: valid for serve and generate \(2 model\(s\), 17 feature\(s\)\)\none exporter starts with \d+ series/,
    );
  });

  test('an invalid spec prints every problem with its path and exits non-zero', async () => {
    const { file } = writeDemoSpec((s) => {
      objectAt(s, 'models', 0, 'features', 3)['type'] = 'nummeric';
      objectAt(s, 'exporter')['port'] = 'nine';
    });
    const cli = spawnCli(['validate', file]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain('models[0].features[3].type: expected "numeric" | "categorical", got "nummeric"');
    expect(cli.stderr()).toContain('exporter.port: expected number, got "nine"');
  });

  test('cross-field rules are checked once the structure is right', async () => {
    const { file } = writeDemoSpec((s) => {
      objectAt(s, 'models', 0, 'versions', 0)['weight'] = 0.5;
    });
    const cli = spawnCli(['validate', file]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain('models[0].versions: weights must sum to 1, got 0.6 (v1=0.5, v2=0.1)');
  });

  test('--help describes the command, and an unknown command exits 2 with the overview', async () => {
    const help = spawnCli(['validate', '--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: mlwatch validate \[file\] \[--for all\|serve\|generate\]/);
    const unknown = spawnCli(['frobnicate']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr()).toMatch(/unknown command "frobnicate"[\s\S]*Commands:/);
  });
});
