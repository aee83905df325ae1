import { existsSync, readFileSync, renameSync } from 'node:fs';
import pino from 'pino';
import { startExporterServer, type ExporterServer } from '../../../exporter/src/runtime/exporter-server';
import { METRICS } from '../../../spec/src/conventions';
import { defined } from '../../support/defined';
import { demoFeatures, writeDemoSpec } from '../../support/demo-spec';
import { spawnCli, waitFor } from '../../support/spawn-cli';

const seqs = (file: string): number[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => (JSON.parse(line) as { seq: number }).seq)
    : [];

async function predict(url: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await fetch(`${url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ features: demoFeatures(), version: 'v1' }),
    });
    expect(res.status).toBe(200);
  }
}

/** Sum of a counter's series in the /metrics text. */
async function counterSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('prediction log rotation', () => {
  let server: ExporterServer | undefined;
  afterEach(async () => {
    await server?.shutdown();
    server = undefined;
  });

  test('regression: reopening the log file (SIGUSR2) keeps every counter and drift window; it needed SIGHUP, which zeroed them', async () => {
    const { file, logFile } = writeDemoSpec();
    server = await startExporterServer({
      specFile: file,
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'silent' }),
    });
    const { url } = server;
    await predict(url, 5);
    await server.current.deps.predictionLog.flush();
    renameSync(logFile, `${logFile}.1`);
    const { deps } = server.current;
    const slot = defined(defined(deps.metrics.layout.models.get('fraud'), 'fraud').versions.get('v1'), 'v1');
    const windowBefore = defined(defined(deps.drift, 'drift').windowOf(slot), 'window').size(Date.now());

    server.reopenLog();
    await predict(url, 3);
    await server.current.deps.predictionLog.flush();

    expect(server.current.deps).toBe(deps);
    expect([seqs(`${logFile}.1`), seqs(logFile)]).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7],
    ]);
    expect(await counterSum(url, METRICS.predictionsTotal)).toBe(8);
    expect(defined(defined(deps.drift, 'drift').windowOf(slot), 'window').size(Date.now())).toBe(windowBefore + 3);
  });

  test('mlwatch serve reopens the log file on a real SIGUSR2 and goes on counting', async () => {
    const { file, logFile } = writeDemoSpec();
    const cli = spawnCli(['serve', '--config', file, '--port', '0', '--host', '127.0.0.1']);
    try {
      const url = await waitFor(
        'the listening line',
        () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(cli.stderr())?.[1],
      );
      await predict(url, 3);
      await waitFor('three lines in the file', () => (seqs(logFile).length === 3 ? true : undefined));
      renameSync(logFile, `${logFile}.1`);
      cli.child.kill('SIGUSR2');
      await waitFor('the reopen line', () =>
        cli.stderr().includes('reopening the prediction log file') ? true : undefined,
      );
      await predict(url, 2);
      await waitFor('two lines in the new file', () => (seqs(logFile).length === 2 ? true : undefined));
      expect([seqs(`${logFile}.1`), seqs(logFile)]).toEqual([
        [0, 1, 2],
        [3, 4],
      ]);
      expect(await counterSum(url, METRICS.predictionsTotal)).toBe(5);
    } finally {
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    }
  });
});
