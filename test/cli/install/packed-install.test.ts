import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../support/demo-spec';

const run = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
/** npm reads the dependencies from its cache first (filled by `npm ci`) and asks the registry only for what is missing. */
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
const INSTALL_TIMEOUT_MS = 240_000;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, resolving with its exit code and output whatever the code. */
async function exec(command: string, args: string[], cwd: string): Promise<Result> {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
      timeout: INSTALL_TIMEOUT_MS,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? String(error),
    };
  }
}

/** A directory outside the repository, so nothing can be found through the working directory. */
function outsideDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-outside-'));
  expect(path.relative(REPO_ROOT, dir).startsWith('..')).toBe(true);
  return dir;
}

describe('mlwatch installed from the packed tarball, run outside the repository', () => {
  let tarball: string;
  let prefix: string;
  let mlwatch: string;

  beforeAll(async () => {
    if (!existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'src', 'main.js')))
      throw new Error('dist/ is not built: run `npm run build` (npm test does) before this suite');
    const packDir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-pack-'));
    // The build is already there (npm test builds first); `npm pack` alone would run it again through prepare.
    const pack = await exec(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], REPO_ROOT);
    expect(pack.stderr).not.toMatch(/npm error/);
    const [packed] = JSON.parse(pack.stdout) as { filename: string }[];
    tarball = path.join(packDir, packed?.filename ?? 'missing.tgz');
    prefix = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-prefix-'));
    const install = await exec(NPM, ['install', '-g', '--prefix', prefix, tarball, ...NPM_FLAGS], packDir);
    if (install.code !== 0) throw new Error(`npm install -g of ${tarball} failed:\n${install.stderr}`);
    mlwatch = path.join(prefix, 'bin', 'mlwatch');
  }, INSTALL_TIMEOUT_MS + 60_000);

  test('the package is a copy with the runtime files, not a link back to the repository', () => {
    const installed = path.join(prefix, 'lib', 'node_modules', 'mlwatch');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    for (const file of [
      'bin/mlwatch.js',
      'dist/cli/src/main.js',
      'mlwatch.yaml',
      'exporter/demo/data/reference.csv',
      'exporter/demo/models/fraud-v1.json',
      'alerting/runbooks.md',
    ])
      expect(existsSync(path.join(installed, file))).toBe(true);
    expect(existsSync(path.join(installed, 'test'))).toBe(false);
    expect(existsSync(path.join(installed, 'dist', 'bench'))).toBe(false);
  });

  test('mlwatch init, validate and drift work from a directory outside the repository', async () => {
    const dir = outsideDir();
    copyFileSync(path.join(REPO_ROOT, 'exporter/demo/data/reference.csv'), path.join(dir, 'data.csv'));
    const init = await exec(mlwatch, ['init', '--reference', 'data.csv', '--model', 'fraud'], dir);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(readFileSync(path.join(dir, 'mlwatch.yaml'), 'utf8')).toContain('reference: data.csv');

    const validate = await exec(mlwatch, ['validate'], dir);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('mlwatch.yaml: valid for serve and generate (1 model(s), 10 feature(s))');

    const drift = await exec(mlwatch, ['drift', 'data.csv', 'data.csv'], dir);
    expect(drift.code).toBe(0);
    expect(drift.stdout).toContain('fraud: 0/10 features drifted');
  });

  test('mlwatch demo outside a project runs on the demo spec shipped in the package', async () => {
    const dir = outsideDir();
    const demo = await exec(mlwatch, ['demo', '--duration', '2', '--rate', '20', '--port', '0'], dir);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/spec +.*mlwatch\.yaml \(the demo spec shipped with mlwatch/);
  });

  test(
    'regression: npx mlwatch only worked inside this repository; npx from the tarball works anywhere',
    async () => {
      const dir = outsideDir();
      copyFileSync(path.join(REPO_ROOT, 'exporter/demo/data/reference.csv'), path.join(dir, 'data.csv'));
      const npx = (args: string[]) =>
        exec(NPX, ['--yes', ...NPM_FLAGS, '--package', tarball, '--', 'mlwatch', ...args], dir);
      expect((await npx(['init', '--reference', 'data.csv'])).code).toBe(0);
      const validate = await npx(['validate']);
      expect(validate.code).toBe(0);
      expect(validate.stdout).toContain('valid for serve and generate');
    },
    INSTALL_TIMEOUT_MS,
  );
});
