import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeStackFiles } from '../../../cli/src/stack/stack-files';
import { COMPOSE_TARGETS } from '../../../alerting/src/prometheus-config';
import { REPO_ROOT, demoFeatures, writeDemoSpec } from '../../support/demo-spec';
import { objectAt } from '../../support/document';
import { freePorts } from '../../support/free-ports';
import { spawnCli, waitFor } from '../../support/spawn-cli';

// Distinctive tokens, so a grep finds them wherever they might leak.
const WRITE = 'LEAKCHECKwrite0123456789abcdef';
const ROTATED = 'LEAKCHECKrotated0123456789abcd';
const READ = 'LEAKCHECKread0123456789abcdefg';
const WRONG = 'LEAKCHECKwrong0123456789abcdef';
const SECRETS = [WRITE, ROTATED, READ, WRONG];

/** Every file under `dir`, recursively, as text. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) expect([where, text.includes(secret)]).toEqual([where, false]);
}

describe('no token appears in a log line, an error message, a metric or a generated file (issue 12)', () => {
  test('a served exporter: start-up and ops log, prediction log, error answers and /metrics', async () => {
    const { file, dir, logFile } = writeDemoSpec((s) => {
      objectAt(s, 'auth', 'write')['token_files'] = ['write-tokens'];
      objectAt(s, 'auth', 'read')['token_env'] = ['LEAK_READ'];
      objectAt(s, 'logging')['stdout'] = true;
    });
    writeFileSync(path.join(dir, 'write-tokens'), `${WRITE}\n${ROTATED}\n`);
    const [port] = await freePorts(1);
    const cli = spawnCli(['serve', '--config', file, '--port', String(port), '--host', '0.0.0.0'], {
      env: { LEAK_READ: READ },
    });
    try {
      await waitFor(
        'the exporter to listen',
        () => (cli.stderr().includes('exporter listening') ? true : undefined),
        30_000,
      );
      const url = `http://127.0.0.1:${port}`;
      const post = (pathname: string, token: string, body: unknown) =>
        fetch(`${url}${pathname}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
        });
      const answers: string[] = [];
      for (const res of [
        await post('/predict', WRITE, { features: demoFeatures() }),
        await post('/predict', WRONG, { features: demoFeatures() }),
        await post('/predict', ROTATED, { features: { amount: 'x' } }),
        await post('/v1/events/predictions', READ, { events: [] }),
        await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${WRONG}` } }),
        await fetch(`${url}/v1/models/nope/drift`, { headers: { authorization: `Bearer ${READ}` } }),
      ])
        answers.push(`${res.status} ${await res.text()}`);
      expect(answers.map((a) => a.slice(0, 3))).toEqual(['200', '401', '400', '401', '401', '404']);
      const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${READ}` } })).text();
      // A reload that fails on a bad token file reports the file, not what is in it.
      writeFileSync(path.join(dir, 'write-tokens'), `${WRITE}\nshort\n`);
      cli.child.kill('SIGHUP');
      await waitFor('the failed reload', () => (cli.stderr().includes('reload failed') ? true : undefined), 30_000);
      expect(cli.stderr()).toContain('entry 2 is 5 characters long');
      cli.child.kill('SIGTERM');
      await cli.exited;
      expectNoSecret('answers', answers.join('\n'));
      expectNoSecret('/metrics', metrics);
      expectNoSecret('stderr (ops log)', cli.stderr());
      expectNoSecret('stdout (prediction log)', cli.stdout());
      expectNoSecret('prediction log file', readFileSync(logFile, 'utf8'));
      expect(cli.stdout()).not.toBe('');
    } finally {
      cli.child.kill('SIGKILL');
    }
  }, 60_000);

  test('generated files: the committed ones and a native stack directory name token files, never tokens', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-leak-stack-'));
    const files = writeStackFiles(dir, {
      sourceSpec: path.join(REPO_ROOT, 'mlwatch.yaml'),
      profile: 'fast',
      targets: COMPOSE_TARGETS,
      slackSinkUrl: 'http://127.0.0.1:1',
      links: { publicUrl: 'http://127.0.0.1:2', alertmanagerUrl: 'http://127.0.0.1:3' },
    });
    const tokens = [files.writeTokenFile, files.readTokenFile].map((f) => readFileSync(f, 'utf8').trim());
    for (const file of filesUnder(dir).filter((f) => !f.includes(`${path.sep}secrets${path.sep}`))) {
      const text = readFileSync(file, 'utf8');
      for (const token of tokens) expect([file, text.includes(token)]).toEqual([file, false]);
    }
    for (const file of [
      ...filesUnder(path.join(REPO_ROOT, 'prometheus')),
      ...filesUnder(path.join(REPO_ROOT, 'alerting')).filter((f) => !f.endsWith('.ts')),
      path.join(REPO_ROOT, 'docker-compose.yml'),
      path.join(REPO_ROOT, 'mlwatch.yaml'),
    ]) {
      const text = readFileSync(file, 'utf8');
      // The committed files carry no bearer token: only file names and variable names.
      expect([file, /Bearer [A-Za-z0-9._~+/-]{16,}/.test(text)]).toEqual([file, false]);
    }
  });
});
