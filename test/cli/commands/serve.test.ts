import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, demoFeatures, writeDemoSpec } from '../../support/demo-spec';
import { arrayAt, objectAt } from '../../support/document';
import { spawnCli, waitFor, type CliProcess } from '../../support/spawn-cli';

async function startServe(): Promise<{ cli: CliProcess; url: string; logFile: string }> {
  const { file, logFile } = writeDemoSpec((s) => {
    objectAt(s, 'models', 0)['fault_injection'] = true;
  });
  const cli = spawnCli(['serve', '--config', file, '--port', '0', '--host', '127.0.0.1']);
  const url = await waitFor('the listening line', () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(cli.stderr())?.[1]);
  return { cli, url, logFile };
}

function predict(url: string, fault?: string): Promise<Response> {
  return fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(fault === undefined ? {} : { 'x-mlwatch-fault': fault }) },
    body: JSON.stringify({ features: demoFeatures() }),
  });
}

describe.each(['SIGTERM', 'SIGINT'] as const)('mlwatch serve on %s', (signal) => {
  test('finishes the request in flight, refuses new ones, flushes the log and exits 0', async () => {
    const { cli, url, logFile } = await startServe();
    try {
      const slow = predict(url, 'delay_ms=600');
      await new Promise((resolve) => setTimeout(resolve, 150));
      cli.child.kill(signal);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(predict(url)).rejects.toThrow();
      const res = await slow;
      expect(res.status).toBe(200);
      const body = (await res.json()) as { prediction_id: string };
      expect(await cli.exited).toBe(0);
      const logged = readFileSync(logFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { prediction_id: string });
      expect(logged.map((l) => l.prediction_id)).toContain(body.prediction_id);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});

describe('mlwatch serve', () => {
  test("serves the package's alerting/runbooks.md at /runbooks/<alert> without a token, wherever the spec lives", async () => {
    const { file } = writeDemoSpec((s) => (s['auth'] = { read: { token_env: ['MLWATCH_TEST_READ_TOKEN'] } }));
    const cli = spawnCli(['serve', '--config', file, '--port', '0', '--host', '127.0.0.1'], {
      env: { MLWATCH_TEST_READ_TOKEN: 'r'.repeat(32) },
    });
    try {
      const url = await waitFor(
        'the listening line',
        () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(cli.stderr())?.[1],
      );
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      const runbook = await fetch(`${url}/runbooks/MLWatchDatasetDrift`);
      expect([runbook.status, await runbook.text()]).toEqual([
        200,
        expect.stringContaining('<h2>MLWatchDatasetDrift</h2>'),
      ]);
      expect((await fetch(`${url}/runbooks/MLWatchNoSuchAlert`)).status).toBe(404);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  test('PORT sets the port when --port is absent', async () => {
    const { file } = writeDemoSpec();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const cli = spawnCli(['serve', '--config', file, '--host', '127.0.0.1'], { env: { PORT: String(port) } });
    try {
      await waitFor('the listening line', () =>
        cli.stderr().includes(`"url":"http://127.0.0.1:${port}"`) ? true : undefined,
      );
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  test('a reference profile that does not match the spec stops start-up with a clear message', async () => {
    const { file } = writeDemoSpec((s) => {
      objectAt(s, 'models', 0)['reference'] = path.join(REPO_ROOT, 'exporter/demo/data/fraud.profile.json');
      arrayAt(s, 'models', 0, 'features', 9, 'categories').push('smart_watch');
    });
    const cli = spawnCli(['serve', '--config', file, '--port', '0']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/fraud\.profile\.json does not match models\[0\] \(fraud\)/);
    expect(cli.stderr()).toContain('device_type');
  });

  test('an invalid spec stops start-up with the problems and exit code 1', async () => {
    const { file } = writeDemoSpec((s) => {
      objectAt(s, 'models', 0, 'features', 0)['type'] = 'nummeric';
    });
    const cli = spawnCli(['serve', '--config', file, '--port', '0']);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain('models[0].features[0].type: expected "numeric" | "categorical", got "nummeric"');
  });
});
