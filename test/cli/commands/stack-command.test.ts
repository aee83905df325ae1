import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../support/demo-spec';
import { freePortRange } from '../../support/free-ports';
import { TOOLS, describeWithTools } from '../../support/real-tools';
import { spawnCli, waitFor, type CliProcess } from '../../support/spawn-cli';

/** Ports the stack takes from its base: up to base + 20 for one replica. */
const PORT_SPAN = 21;

/** Starts `mlwatch stack` and waits for its listing; resolves with the parts' URLs and its directory. */
async function startStack(): Promise<{ cli: CliProcess; urls: Map<string, string>; dir: string }> {
  const base = await freePortRange(PORT_SPAN);
  const cli = spawnCli([
    'stack',
    '--profile',
    'fast',
    '--base-port',
    String(base),
    '--config',
    path.join(REPO_ROOT, 'mlwatch.yaml'),
  ]);
  await waitFor(
    'the listing of the parts',
    () => (cli.stdout().includes('Ctrl-C stops every part') ? true : undefined),
    60_000,
  );
  const urls = new Map(
    [...cli.stdout().matchAll(/^ {2}(\S+) +(http:\/\/127\.0\.0\.1:\d+)$/gm)].map((m) => [
      m[1] as string,
      m[2] as string,
    ]),
  );
  const dir = /^ {2}files +(\S+) /m.exec(cli.stdout())?.[1] as string;
  return { cli, urls, dir };
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** Pid of the process whose command line contains `fragment` (Linux /proc). */
function pidOf(fragment: string): number {
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(fragment)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error(`no process with ${fragment} in its command line`);
}

describeWithTools([TOOLS.prometheus, TOOLS.alertmanager], 'mlwatch stack', () => {
  test('prints one line per part with its URL once healthy; Ctrl-C stops every part and removes its directory', async () => {
    const { cli, urls, dir } = await startStack();
    try {
      expect([...urls.keys()]).toEqual(
        expect.arrayContaining(['slack-sink', 'exporter-0', 'alertmanager', 'prometheus']),
      );
      expect(cli.stdout()).toMatch(
        /^ {2}grafana +not started natively; `docker compose up` serves it on http:\/\/localhost:3000$/m,
      );
      for (const url of urls.values()) expect(await answers(url)).toBe(true);
      cli.child.kill('SIGINT');
      expect(await cli.exited).toBe(0);
      for (const url of urls.values()) expect(await answers(url)).toBe(false);
      expect(existsSync(dir)).toBe(false);
    } finally {
      cli.child.kill('SIGKILL');
    }
  }, 90_000);

  test('when a part dies the stack says which, stops the others, keeps the logs and exits 1', async () => {
    const { cli, urls, dir } = await startStack();
    try {
      process.kill(pidOf(`--config.file=${dir}/prometheus/prometheus.yml`), 'SIGKILL');
      expect(await cli.exited).toBe(1);
      expect(cli.stderr()).toContain('prometheus exited on its own (signal SIGKILL)');
      expect(cli.stderr()).toContain(`logs kept in ${dir}/logs`);
      for (const url of urls.values()) expect(await answers(url)).toBe(false);
    } finally {
      cli.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('mlwatch stack usage', () => {
  test.each([
    [
      ['--scenario', 'nope'],
      '--scenario: expected one of normal, drift, drift-single, quality, latency, errors, canary, got "nope"',
    ],
    [['--profile', 'slow'], '--profile: expected one of production, fast, got "slow"'],
    [['--replicas', '0'], '--replicas: expected a whole number from 1 to 16, got "0"'],
    [['--base-port', '80'], '--base-port: expected a whole number from 1024 to 65535, got "80"'],
  ])('%p is a usage error (exit 2) that names the option', async (args, message) => {
    const cli = spawnCli(['stack', ...args]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain(message);
  });
});
