import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../support/demo-spec';
import { parseDockerfile } from '../../support/dockerfile';
import { freePorts } from '../../support/free-ports';
import { runDockerfileNatively, type NativeImage } from '../../support/run-dockerfile-natively';
import { waitFor } from '../../support/spawn-cli';

const DOCKERFILE = path.join(REPO_ROOT, 'exporter', 'Dockerfile');

describe('exporter/Dockerfile, its steps run natively (this machine has no Docker engine)', () => {
  let image: NativeImage;
  /** Kept apart from `image`, which stays unset when beforeAll fails. */
  let stageDirs: string[] = [];
  beforeAll(() => {
    image = runDockerfileNatively(DOCKERFILE, REPO_ROOT);
    stageDirs = [...image.stageDirs.values()];
  }, 300_000);
  afterAll(() => {
    for (const dir of stageDirs) rmSync(dir, { recursive: true, force: true });
  });

  test('two stages: the build compiles with dev dependencies, the runtime installs production dependencies only and takes dist/ from the build', () => {
    expect(parseDockerfile(DOCKERFILE).map((s) => s.name)).toEqual(['build', 'runtime']);
    expect(image.ran).toEqual(
      expect.arrayContaining([
        '[build] npm run build',
        expect.stringMatching(/^\[runtime\] npm ci --omit=dev .*--ignore-scripts/),
      ]),
    );
    expect(existsSync(path.join(image.stageDirs.get('build') as string, 'node_modules', 'typescript'))).toBe(true);
    expect(existsSync(path.join(image.appDir, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(path.join(image.appDir, 'node_modules', 'prom-client'))).toBe(true);
    expect(existsSync(path.join(image.appDir, 'dist', 'cli', 'src', 'main.js'))).toBe(true);
  });

  test('the image runs as the unprivileged node user, in production mode', () => {
    expect(image.user).toBe('node');
    expect(image.env['NODE_ENV']).toBe('production');
  });

  test('the entry point starts as the image would (ENTRYPOINT + CMD), answers /healthz and serves the runbooks, passes its HEALTHCHECK and stops cleanly on SIGTERM', async () => {
    const [port] = await freePorts(1);
    // The CMD listens on every interface, so it needs a write token, as compose gives it.
    const tokenFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-token-')), 'write');
    writeFileSync(tokenFile, `${'a1'.repeat(16)}\n`);
    const env = {
      ...withoutTokens(process.env),
      ...image.env,
      PORT: String(port),
      MLWATCH_WRITE_TOKEN_FILE: tokenFile,
    };
    const [command, ...args] = [...image.entrypoint, ...image.cmd];
    expect(command).toBe('node');
    const child = spawn(process.execPath, args, { cwd: image.appDir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(
        `the exporter listening on ${port}`,
        () => (stderr.includes(`"url":"http://127.0.0.1:${port}"`) ? true : undefined),
        30_000,
      );
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
      // The image carries alerting/runbooks.md: alerts link to its pages, open without a token.
      const runbook = await fetch(`http://127.0.0.1:${port}/runbooks/MLWatchExporterDown`);
      expect([runbook.status, await runbook.text()]).toEqual([
        200,
        expect.stringContaining('<h2>MLWatchExporterDown</h2>'),
      ]);
      const [checkCommand, ...checkArgs] = image.healthcheck ?? [];
      expect(checkCommand).toBe('node');
      expect(spawnSync(process.execPath, checkArgs, { env, timeout: 10_000 }).status).toBe(0);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  test('regression: the CMD listens on every interface, so without a write token it refuses to start and says why', async () => {
    const [port] = await freePorts(1);
    const env = { ...withoutTokens(process.env), ...image.env, PORT: String(port) };
    const args = [...image.entrypoint, ...image.cmd].slice(1);
    const result = spawnSync(process.execPath, args, { cwd: image.appDir, env, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('refusing to listen on 0.0.0.0');
    expect(result.stderr).toContain('auth.write');
    const probe = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(probe).toBe('refused');
  }, 60_000);

  test('a production install that runs `prepare` fails, since the build needs TypeScript, a dev dependency: why the runtime stage passes --ignore-scripts', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-omit-dev-'));
    try {
      for (const file of ['package.json', 'package-lock.json'])
        cpSync(path.join(REPO_ROOT, file), path.join(dir, file));
      const env = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
      );
      const result = spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
        cwd: dir,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(result.status).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toContain('npm run build');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** The environment without any mlwatch token variable, so a test decides what the exporter gets. */
function withoutTokens(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^MLWATCH_(WRITE|READ)_TOKEN/.test(key)));
}
