import { readFileSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { writeDemoSpec } from '../../support/demo-spec';
import { spawnCli, waitFor } from '../../support/spawn-cli';

async function driftThreshold(url: string): Promise<number> {
  const report = (await (await fetch(`${url}/v1/models/fraud/drift`)).json()) as {
    features: Array<{ feature: string; threshold: number }>;
  };
  const amount = report.features.find((f) => f.feature === 'amount');
  if (amount === undefined) throw new Error('the drift report has no feature "amount"');
  return amount.threshold;
}

describe('mlwatch serve on SIGHUP', () => {
  test('re-reads the spec and profiles, and keeps the running state when the new spec is bad', async () => {
    const { file } = writeDemoSpec();
    const cli = spawnCli(['serve', '--config', file, '--port', '0', '--host', '127.0.0.1']);
    try {
      const url = await waitFor(
        'the listening line',
        () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(cli.stderr())?.[1],
      );
      expect(await driftThreshold(url)).toBe(0.1);

      const original = readFileSync(file, 'utf8');
      const edited = yaml.load(original) as { drift: { thresholds: Record<string, number> } };
      edited.drift.thresholds['wasserstein'] = 0.25;
      writeFileSync(file, yaml.dump(edited));
      cli.child.kill('SIGHUP');
      await waitFor('the reload line', () =>
        cli.stderr().includes('reloaded the spec and reference profiles') ? true : undefined,
      );
      expect(await driftThreshold(url)).toBe(0.25);

      writeFileSync(file, original.replace('type: numeric', 'type: nummeric'));
      cli.child.kill('SIGHUP');
      await waitFor('the failed reload line', () =>
        cli.stderr().includes('reload failed, keeping the running spec and profiles') ? true : undefined,
      );
      expect(cli.stderr()).toContain('expected \\"numeric\\" | \\"categorical\\", got \\"nummeric\\"');
      expect(await driftThreshold(url)).toBe(0.25);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    }
  });
});
