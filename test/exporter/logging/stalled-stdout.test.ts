import { spawn } from 'node:child_process';
import path from 'node:path';
import { METRICS } from '../../../spec/src/conventions';
import { objectAt } from '../../support/document';
import { REPO_ROOT, demoFeatures, writeDemoSpec } from '../../support/demo-spec';
import { waitFor } from '../../support/spawn-cli';

/** How long /healthz and /metrics may take while the log's reader has stopped. */
const ANSWER_WITHIN_MS = 1000;

async function timed(url: string): Promise<{ status: number; ms: number; text: string }> {
  const started = performance.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, text };
}

const droppedLine = new RegExp(
  `^${METRICS.predictionLogLinesDroppedTotal}\\{destination="stdout",reason="buffer_full"\\} (\\d+)$`,
  'm',
);

describe('prediction log on a stalled stdout', () => {
  test('regression: a stalled stdout reader freezes nothing: /healthz and /metrics answer within a second and the lost lines are counted', async () => {
    const { file } = writeDemoSpec((spec) => {
      objectAt(spec, 'logging')['stdout'] = true;
      objectAt(spec, 'logging')['file'] = null;
      objectAt(spec, 'logging')['buffer_bytes'] = 16 * 1024;
      objectAt(spec, 'logging')['sample_rate'] = { predict: 1, ingest: 1 };
    });
    // stdout is a pipe nobody reads: once the OS and the parent's buffers are full, every write would block.
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'bin', 'mlwatch.js'), 'serve', '--config', file, '--port', '0', '--host', '127.0.0.1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.pause();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const url = await waitFor('the listening line', () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)?.[1]);
      const events = Array.from({ length: 1000 }, () => ({
        model: 'fraud',
        version: 'v1',
        features: demoFeatures(),
        prediction: 'legit',
        confidence: 0.93,
      }));
      // About 4 MB of log lines: far more than the pipe, the parent's read buffer and the log's buffer hold.
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${url}/v1/events/predictions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ events }),
          signal: AbortSignal.timeout(5000),
        });
        expect(res.status).toBe(200);
      }
      const health = await timed(`${url}/healthz`);
      const metrics = await timed(`${url}/metrics`);
      expect([health.status, metrics.status]).toEqual([200, 200]);
      expect(health.ms).toBeLessThan(ANSWER_WITHIN_MS);
      expect(metrics.ms).toBeLessThan(ANSWER_WITHIN_MS);
      const dropped = Number(droppedLine.exec(metrics.text)?.[1]);
      expect(dropped).toBeGreaterThan(0);
      expect(dropped).toBeLessThanOrEqual(10_000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
