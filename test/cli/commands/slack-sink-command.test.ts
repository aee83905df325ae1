import { spawnCli, waitFor } from '../../support/spawn-cli';

describe('mlwatch slack-sink', () => {
  test('says where it listens, prints each message as it arrives and exits 0 on SIGTERM', async () => {
    const cli = spawnCli(['slack-sink', '--port', '0']);
    try {
      const url = await waitFor(
        'the listening line',
        () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stderr())?.[1],
      );
      const res = await fetch(`${url}/slack/oncall`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          channel: '#fraud-oncall',
          attachments: [{ title: '[RESOLVED] MLWatchDatasetDrift · model fraud', color: 'good' }],
        }),
      });
      expect(await res.text()).toBe('ok');
      await waitFor('the message line', () =>
        cli.stdout().includes('slack-sink oncall #fraud-oncall [good] [RESOLVED] MLWatchDatasetDrift · model fraud')
          ? true
          : undefined,
      );
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    } finally {
      cli.child.kill('SIGKILL');
    }
  });
});
