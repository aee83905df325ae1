import pino from 'pino';
import { UsageError } from '../../../cli/src/command';
import { simulateCommand } from '../../../cli/src/commands/simulate-command';
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
    [['--scenario', 'nope'], 'unknown scenario "nope" (known: normal, drift, drift-single, latency, errors, canary)'],
  ])('refuses %p as a usage error', async (args, message) => {
    const run = simulateCommand.run(['--config', specFile, '--scenario', 'normal', ...args]);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  test('requires --scenario', async () => {
    await expect(simulateCommand.run(['--config', specFile])).rejects.toThrow('--scenario is required');
  });
});
