import { existsSync, readFileSync } from 'node:fs';
import { objectAt } from '../../support/document';
import { demoFeatures, writeDemoSpec } from '../../support/demo-spec';
import { spawnCli, waitFor } from '../../support/spawn-cli';

const FLUSH_INTERVAL_SECONDS = 0.1;

describe('prediction log and kill -9', () => {
  test('regression: kill -9 loses only lines younger than one flush interval: every answered prediction older than that is in the file', async () => {
    const { file, logFile } = writeDemoSpec((spec) => {
      objectAt(spec, 'logging')['flush_interval_seconds'] = FLUSH_INTERVAL_SECONDS;
    });
    const cli = spawnCli(['serve', '--config', file, '--port', '0', '--host', '127.0.0.1']);
    try {
      const url = await waitFor(
        'the listening line',
        () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(cli.stderr())?.[1],
      );
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ features: demoFeatures() }),
        });
        ids.push(((await res.json()) as { prediction_id: string }).prediction_id);
      }
      // Far under a block of 8 KiB: only the flush interval writes these lines.
      await new Promise((resolve) => setTimeout(resolve, FLUSH_INTERVAL_SECONDS * 1000 * 5));
      cli.child.kill('SIGKILL');
      expect(await cli.exited).toBe('SIGKILL');
      const lines = (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { seq: number; prediction_id: string });
      expect(lines.map((line) => line.prediction_id)).toEqual(ids);
      expect(lines.map((line) => line.seq)).toEqual(ids.map((_, i) => i));
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});
