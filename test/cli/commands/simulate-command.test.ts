import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { UsageError } from '../../../cli/src/command';
import { labelOptions, outcomeOptions, simulateCommand, tokenOption } from '../../../cli/src/commands/simulate-command';
import { startExporterServer, type ExporterServer } from '../../../exporter/src/runtime/exporter-server';
import { writeDemoSpec } from '../../support/demo-spec';

let exporter: ExporterServer;
let specFile: string;
let output: string[];

beforeAll(async () => {
  specFile = writeDemoSpec().file;
  exporter = await startExporterServer({
    specFile,
    port: 0,
    host: '127.0.0.1',
    logToStdout: false,
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await exporter.shutdown();
});

beforeEach(() => {
  output = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
  jest.spyOn(console, 'error').mockImplementation((line: string) => void output.push(line));
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('mlwatch simulate', () => {
  test('runs for the duration, prints a summary line and exits 0', async () => {
    const code = await simulateCommand.run([
      '--target',
      exporter.url,
      '--config',
      specFile,
      '--scenario',
      'drift',
      '--mode',
      'ingest',
      '--rate',
      '40',
      '--duration',
      '1',
    ]);
    expect(code).toBe(0);
    expect(output.at(-1)).toMatch(
      /^simulate done: scenario drift, ingest mode, model fraud, 40\/s for 1 s \(took 1\.\d s\): sent 40, ok 40, errors 0, rejected 0, failed 0$/,
    );
  });

  test('exits 1 with the reason when predict mode needs faults the exporter refuses', async () => {
    const code = await simulateCommand.run([
      '--target',
      exporter.url,
      '--config',
      specFile,
      '--scenario',
      'latency',
      '--rate',
      '40',
      '--duration',
      '0.4',
    ]);
    expect(code).toBe(1);
    expect(output.join('\n')).toContain(
      'set fault_injection: true on the model in the spec the exporter runs with, or use --mode ingest',
    );
  });

  test('exits 1 naming the target when no event reached it', async () => {
    const code = await simulateCommand.run([
      '--target',
      'http://127.0.0.1:1',
      '--config',
      specFile,
      '--scenario',
      'normal',
      '--rate',
      '20',
      '--duration',
      '0.3',
    ]);
    expect(code).toBe(1);
    expect(output.join('\n')).toContain(
      'mlwatch simulate: no event reached the exporter at http://127.0.0.1:1 (last problem: POST http://127.0.0.1:1/v1/models/fraud/predict: ',
    );
  });

  test.each([
    [['--rate', '30000'], '--rate: 30000 events/s is above the limit of 20000 events/s'],
    [['--duration', '90000'], '--duration: 90000 s is above the limit of 86400 s'],
    [['--rate', 'fast'], '--rate: expected a positive number, got "fast"'],
    [['--mode', 'push'], '--mode: expected predict or ingest, got "push"'],
    [['--seed', '1.5'], '--seed: expected a whole number of at least 0, got "1.5"'],
    [['--target', 'localhost'], '--target: expected an http(s) URL like http://127.0.0.1:9420, got "localhost"'],
    [
      ['--scenario', 'nope'],
      'unknown scenario "nope" (known: normal, drift, drift-single, quality, latency, errors, canary)',
    ],
  ])('refuses %p as a usage error', async (args, message) => {
    const run = simulateCommand.run(['--config', specFile, '--scenario', 'normal', ...args]);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  test('requires --scenario', async () => {
    await expect(simulateCommand.run(['--config', specFile])).rejects.toThrow('--scenario is required');
  });
});

describe('mlwatch simulate against an exporter with tokens (issue 12)', () => {
  const TOKEN = 'simulator-token-0123456789abcdef';
  let guarded: ExporterServer;
  let tokenFile: string;

  beforeAll(async () => {
    guarded = await startExporterServer({
      specFile,
      port: 0,
      host: '127.0.0.1',
      logToStdout: false,
      logger: pino({ level: 'silent' }),
      env: { MLWATCH_WRITE_TOKEN: TOKEN },
    });
    tokenFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'mlwatch-sim-token-')), 'token');
    writeFileSync(tokenFile, `# the write token\n${TOKEN}\n`);
  });

  afterAll(async () => {
    await guarded.shutdown();
  });

  const run = (mode: string, extra: string[]) =>
    simulateCommand.run([
      '--target',
      guarded.url,
      '--config',
      specFile,
      '--scenario',
      'normal',
      '--mode',
      mode,
      '--rate',
      '40',
      '--duration',
      '0.5',
      ...extra,
    ]);

  test.each(['ingest', 'predict'])('sends the token from --token-file and gets through (%s mode)', async (mode) => {
    expect(await run(mode, ['--token-file', tokenFile])).toBe(0);
    expect(output.at(-1)).toMatch(/ok 20, errors 0, rejected 0, failed 0$/);
  });

  test.each(['ingest', 'predict'])(
    'without a token it stops at the first 401 and says how to pass one (%s mode)',
    async (mode) => {
      expect(await run(mode, [])).toBe(1);
      expect(output.join('\n')).toContain(
        'needs a token (HTTP 401): pass --token-file FILE or set MLWATCH_TOKEN (or MLWATCH_TOKEN_FILE)',
      );
    },
  );

  test('a wrong token stops it too, naming the refusal without echoing the token', async () => {
    const wrong = path.join(path.dirname(tokenFile), 'wrong');
    writeFileSync(wrong, 'not-the-token-0123456789abcdef\n');
    expect(await run('ingest', ['--token-file', wrong])).toBe(1);
    const text = output.join('\n');
    expect(text).toContain("refused the token (HTTP 401): is it one of the exporter's auth.write tokens?");
    expect(text).not.toContain('not-the-token');
  });
});

describe('tokenOption', () => {
  test('--token-file, then MLWATCH_TOKEN_FILE, then MLWATCH_TOKEN; none is no token', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-token-option-'));
    const file = path.join(dir, 'a');
    writeFileSync(file, '\n  from-file-0123456789abcdef \nsecond-line-ignored\n');
    expect(tokenOption(file, { MLWATCH_TOKEN: 'env' })).toEqual({ token: 'from-file-0123456789abcdef' });
    expect(tokenOption(undefined, { MLWATCH_TOKEN_FILE: file, MLWATCH_TOKEN: 'env' })).toEqual({
      token: 'from-file-0123456789abcdef',
    });
    expect(tokenOption(undefined, { MLWATCH_TOKEN: ' from-env ' })).toEqual({ token: 'from-env' });
    expect(tokenOption(undefined, {})).toEqual({});
  });

  test('an unreadable or empty token file is a usage error naming the option and the file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-token-option-'));
    expect(() => tokenOption(path.join(dir, 'missing'), {})).toThrow(
      `--token-file: cannot read ${path.join(dir, 'missing')}: ENOENT`,
    );
    writeFileSync(path.join(dir, 'empty'), '# nothing\n');
    expect(() => tokenOption(undefined, { MLWATCH_TOKEN_FILE: path.join(dir, 'empty') })).toThrow(
      `MLWATCH_TOKEN_FILE: ${path.join(dir, 'empty')} holds no token`,
    );
  });
});

describe('label options', () => {
  test('--label-delay takes 30s, 500ms, 2m, 1h or bare seconds; defaults are the simulator’s', () => {
    expect(labelOptions({})).toEqual({ labelDelaySeconds: 10, labelCoverage: 0.8 });
    expect(
      ['30s', '500ms', '2m', '1h', '0', '2.5'].map((d) => labelOptions({ 'label-delay': d }).labelDelaySeconds),
    ).toEqual([30, 0.5, 120, 3600, 0, 2.5]);
  });

  test('bad label options are usage errors naming the option', () => {
    expect(() => labelOptions({ 'label-delay': 'soon' })).toThrow(UsageError);
    expect(() => labelOptions({ 'label-delay': 'soon' })).toThrow(/^--label-delay: expected a duration like 30s/);
    expect(() => labelOptions({ 'label-delay': '2d' })).toThrow(/^--label-delay/);
    expect(() => labelOptions({ 'label-delay': '25h' })).toThrow(
      '--label-delay: 90000 s is above the limit of 86400 s',
    );
    expect(() => labelOptions({ 'label-coverage': '1.5' })).toThrow(
      '--label-coverage: expected a share from 0 to 1, got "1.5"',
    );
    expect(() => labelOptions({ 'label-queue': '0' })).toThrow(/^--label-queue: expected a whole number of at least 1/);
    expect(() => labelOptions({ 'label-target': 'ftp://x' })).toThrow(/^--label-target: expected an http\(s\) URL/);
  });

  test('--label-queue and --label-target are passed on', () => {
    expect(labelOptions({ 'label-queue': '500', 'label-target': 'http://127.0.0.1:9421/' })).toEqual({
      labelDelaySeconds: 10,
      labelCoverage: 0.8,
      labelQueue: 500,
      labelTarget: 'http://127.0.0.1:9421',
    });
  });
});

describe('outcome options', () => {
  test('without --outcome-delay the simulator takes its delay from the spec; coverage defaults to all', () => {
    expect(outcomeOptions({})).toEqual({ outcomeCoverage: 1 });
    expect(outcomeOptions({ 'outcome-delay': '5s', 'outcome-coverage': '0.5' })).toEqual({
      outcomeDelaySeconds: 5,
      outcomeCoverage: 0.5,
    });
    expect(outcomeOptions({ 'outcome-target': 'http://127.0.0.1:9421/' })).toEqual({
      outcomeCoverage: 1,
      outcomeTarget: 'http://127.0.0.1:9421',
    });
  });

  test('bad outcome options are usage errors naming the option', () => {
    expect(() => outcomeOptions({ 'outcome-delay': 'later' })).toThrow(UsageError);
    expect(() => outcomeOptions({ 'outcome-delay': 'later' })).toThrow(
      /^--outcome-delay: expected a duration like 30s/,
    );
    expect(() => outcomeOptions({ 'outcome-delay': '25h' })).toThrow(
      '--outcome-delay: 90000 s is above the limit of 86400 s',
    );
    expect(() => outcomeOptions({ 'outcome-coverage': '-0.1' })).toThrow(
      '--outcome-coverage: expected a share from 0 to 1, got "-0.1"',
    );
    expect(() => outcomeOptions({ 'outcome-target': 'ftp://x' })).toThrow(
      /^--outcome-target: expected an http\(s\) URL/,
    );
  });
});
