import { Writable } from 'node:stream';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import pino from 'pino';
import { exposureProblem, isLoopback } from '../../../exporter/src/runtime/exposure';
import { startExporterServer, type ExporterServer } from '../../../exporter/src/runtime/exporter-server';
import { loadSpec } from '../../../spec/src/load-spec';
import { TokenSet } from '../../../exporter/src/auth/token-set';
import { objectAt, type Doc } from '../../support/document';
import { writeDemoSpec } from '../../support/demo-spec';

const TOKEN = 'write-token-0123456789abcdef';

/** A logger whose JSON lines the test can read. */
function capturingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

async function start(edit: (spec: Doc) => void, options: { host?: string; env?: NodeJS.ProcessEnv } = {}) {
  const { file } = writeDemoSpec(edit);
  const { logger, lines } = capturingLogger();
  const server = await startExporterServer({
    specFile: file,
    port: 0,
    logToStdout: false,
    logger,
    env: options.env ?? {},
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  return { server, lines, file };
}

const noEdit = (): void => undefined;
let running: ExporterServer | undefined;

afterEach(async () => {
  await running?.shutdown();
  running = undefined;
});

describe('isLoopback', () => {
  test.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['exporter', false],
    ['128.0.0.1', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});

describe('exposureProblem', () => {
  const spec = (allow: boolean) =>
    loadSpec(writeDemoSpec((s) => (objectAt(s, 'auth')['allow_unauthenticated'] = allow)).file).spec;
  const open = { write: new TokenSet([]), read: new TokenSet([]) };
  const guarded = { write: new TokenSet([TOKEN]), read: new TokenSet([]) };

  test('loopback is always allowed; beyond it the write scope needs a token or an explicit allow_unauthenticated', () => {
    expect(exposureProblem('127.0.0.1', spec(false), open)).toBeUndefined();
    expect(exposureProblem('0.0.0.0', spec(false), guarded)).toBeUndefined();
    expect(exposureProblem('0.0.0.0', spec(true), open)).toBeUndefined();
    expect(exposureProblem('0.0.0.0', spec(false), open)).toMatch(
      /^refusing to listen on 0\.0\.0\.0: the write endpoints \(predict, ingest\) have no token.*auth\.allow_unauthenticated: true/,
    );
  });
});

describe('where serve listens (issue 12)', () => {
  test('regression: serve binds 0.0.0.0 by default while its log prints 127.0.0.1 — it binds 127.0.0.1 and logs what it bound', async () => {
    const { server, lines } = await start(noEdit);
    running = server;
    const listening = lines.find((l) => l['msg'] === `exporter listening on 127.0.0.1:${new URL(server.url).port}`);
    expect(listening).toMatchObject({ address: '127.0.0.1', url: server.url, auth: { write: 'open', read: 'open' } });
  });

  test('exporter.host in the spec is where it listens, and the log names the wildcard address it really bound', async () => {
    const { server, lines } = await start((s) => {
      objectAt(s, 'exporter')['host'] = '0.0.0.0';
      objectAt(s, 'auth')['allow_unauthenticated'] = true;
    });
    running = server;
    const port = new URL(server.url).port;
    expect(lines.some((l) => l['msg'] === `exporter listening on 0.0.0.0:${port}` && l['address'] === '0.0.0.0')).toBe(
      true,
    );
  });

  test('beyond loopback without a write token it refuses to start, and says why', async () => {
    await expect(start(noEdit, { host: '0.0.0.0' })).rejects.toThrow(
      /^refusing to listen on 0\.0\.0\.0: the write endpoints \(predict, ingest\) have no token/,
    );
  });

  test('beyond loopback with a write token it starts, and the log counts the tokens without showing them', async () => {
    const { server, lines } = await start(noEdit, { host: '0.0.0.0', env: { MLWATCH_WRITE_TOKEN: TOKEN } });
    running = server;
    expect(lines.find((l) => typeof l['msg'] === 'string' && l['msg'].startsWith('exporter listening'))).toMatchObject({
      address: '0.0.0.0',
      auth: { write: '1 token', read: 'open' },
    });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  test('a reload that would leave a wildcard address without a write token fails and keeps the running tokens', async () => {
    const { file } = writeDemoSpec((s) => {
      objectAt(s, 'auth', 'write')['token_files'] = ['write-token'];
    });
    const tokenFile = path.join(path.dirname(file), 'write-token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    const server = await startExporterServer({
      specFile: file,
      port: 0,
      host: '0.0.0.0',
      logToStdout: false,
      logger: pino({ level: 'silent' }),
      env: {},
    });
    running = server;
    const spec = loadSpec(file);
    const edited = yaml.load(readFileSync(file, 'utf8')) as Doc;
    objectAt(edited, 'auth', 'write')['token_files'] = [];
    writeFileSync(file, yaml.dump(edited));
    const error = await server.reload();
    expect(error?.message).toMatch(/^refusing to listen on 0\.0\.0\.0/);
    expect(server.current.loaded.spec.auth.write.token_files).toEqual(spec.spec.auth.write.token_files);
    expect(server.current.deps.auth.write.accepts(TOKEN)).toBe(true);
  });
});
