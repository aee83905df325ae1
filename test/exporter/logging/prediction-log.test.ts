import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  openPredictionLog,
  type PredictionLog,
  type PredictionLogEntry,
  type PredictionLogOptions,
} from '../../../exporter/src/logging/prediction-log';

/** The block size and flush period the module documents: lines are written in blocks of 8 KiB, and at least every 200 ms. */
const BLOCK_BYTES = 8 * 1024;
const FLUSH_PERIOD_MS = 200;

let dir: string;
let open: PredictionLog[];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mlwatch-prediction-log-'));
  open = [];
});

afterEach(async () => {
  jest.useRealTimers();
  await Promise.all(open.map((log) => log.close()));
  rmSync(dir, { recursive: true, force: true });
});

function entry(i = 0, input: unknown = { amount: 12.5, country: 'NL' }): PredictionLogEntry {
  return {
    prediction_id: `p${String(i).padStart(4, '0')}`,
    model: 'fraud',
    version: 'v1',
    source: 'predict',
    status: 'success',
    input,
    output: { class: 'legit', confidence: 0.9 },
    latency_ms: 1.25,
  };
}

/** A log with an extra in-memory destination: `lines` holds every line it was given, as written. */
function openLog(options: Partial<PredictionLogOptions> = {}): {
  log: PredictionLog;
  lines: string[];
  errors: Error[];
} {
  const lines: string[] = [];
  const errors: Error[] = [];
  const log = openPredictionLog({
    file: null,
    stdout: false,
    sampleRate: { predict: 1, ingest: 1 },
    redact: [],
    onWriteError: (error) => errors.push(error),
    stream: { write: (line: string) => void lines.push(line) },
    ...options,
  });
  open.push(log);
  return { log, lines, errors };
}

const fileText = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

describe('prediction log lines', () => {
  test('a line is the entry as JSON after its ISO time, with no level, pid or hostname', () => {
    jest.useFakeTimers({ now: new Date('2026-03-04T05:06:07.089Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const { log, lines } = openLog();
    log.write({ ...entry(7), source: 'ingest', event_time: '2026-03-04T05:06:00.000Z' });
    expect(lines).toEqual([
      '{"time":"2026-03-04T05:06:07.089Z","prediction_id":"p0007","model":"fraud","version":"v1","source":"ingest",' +
        '"status":"success","input":{"amount":12.5,"country":"NL"},"output":{"class":"legit","confidence":0.9},' +
        '"latency_ms":1.25,"event_time":"2026-03-04T05:06:00.000Z"}\n',
    ]);
  });

  test('the time is the time of each write, to the millisecond', () => {
    jest.useFakeTimers({ now: new Date('2026-03-04T05:06:07.089Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const { log, lines } = openLog();
    log.write(entry(1));
    log.write(entry(2));
    jest.setSystemTime(new Date('2026-03-04T05:06:07.090Z'));
    log.write(entry(3));
    expect(lines.map((line) => (JSON.parse(line) as { time: string }).time)).toEqual([
      '2026-03-04T05:06:07.089Z',
      '2026-03-04T05:06:07.089Z',
      '2026-03-04T05:06:07.090Z',
    ]);
  });

  test('redaction censors the configured paths and leaves the caller’s entry as it was', () => {
    const { log, lines } = openLog({ redact: ['input.amount', 'output.confidence'] });
    const written = entry(1, { amount: 99, country: 'NL' });
    log.write(written);
    const line = JSON.parse(lines[0] as string) as PredictionLogEntry;
    expect([line.input, line.output]).toEqual([
      { amount: '[REDACTED]', country: 'NL' },
      { class: 'legit', confidence: '[REDACTED]' },
    ]);
    expect(written).toEqual(entry(1, { amount: 99, country: 'NL' }));
  });
});

describe('prediction log sampling', () => {
  test('a rate of 1 logs every prediction and a rate of 0 none, without drawing a random number', () => {
    const random = jest.fn(() => 0);
    const { log } = openLog({ sampleRate: { predict: 1, ingest: 0 }, random });
    const decisions = Array.from({ length: 5 }, () => [log.sampled('predict'), log.sampled('ingest')]);
    expect(decisions).toEqual(new Array(5).fill([true, false]));
    expect(random).not.toHaveBeenCalled();
  });

  test('a fractional rate logs a prediction exactly when its draw is below that source’s rate', () => {
    const draws = [0, 0.2499, 0.25, 0.5, 0.4999, 0.9999];
    let next = 0;
    const { log } = openLog({ sampleRate: { predict: 0.25, ingest: 0.5 }, random: () => draws[next++] as number });
    const predict = [0, 1, 2].map(() => log.sampled('predict'));
    const ingest = [3, 4, 5].map(() => log.sampled('ingest'));
    expect({ predict, ingest }).toEqual({ predict: [true, true, false], ingest: [false, true, false] });
    expect(next).toBe(draws.length);
  });
});

describe('prediction log file', () => {
  test('lines are held until a block of 8 KiB is buffered, then written to the file in one write', () => {
    const file = path.join(dir, 'predictions.jsonl');
    const { log, lines } = openLog({ file });
    log.write(entry(0));
    const lineBytes = Buffer.byteLength(lines[0] as string);
    const perBlock = Math.ceil(BLOCK_BYTES / lineBytes);
    for (let i = 1; i < perBlock - 1; i++) log.write(entry(i));
    expect(fileText(file)).toBe('');
    log.write(entry(perBlock - 1));
    expect(statSync(file).size).toBe(perBlock * lineBytes);
    expect(fileText(file)).toBe(lines.join(''));
  });

  test('buffered lines reach the file within one flush period, without a close', () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    const file = path.join(dir, 'predictions.jsonl');
    const { log, lines } = openLog({ file });
    log.write(entry(1));
    jest.advanceTimersByTime(FLUSH_PERIOD_MS - 1);
    expect(fileText(file)).toBe('');
    jest.advanceTimersByTime(1);
    expect(fileText(file)).toBe(lines.join(''));
  });

  test('close writes every buffered line, in order', async () => {
    const file = path.join(dir, 'predictions.jsonl');
    const { log } = openLog({ file });
    for (let i = 0; i < 3; i++) log.write(entry(i));
    await log.close();
    const ids = fileText(file)
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as PredictionLogEntry).prediction_id);
    expect(ids).toEqual(['p0000', 'p0001', 'p0002']);
  });

  test('the file’s directory is created, and a reopened log appends to what is there', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'predictions.jsonl');
    const first = openLog({ file });
    first.log.write(entry(1));
    await first.log.close();
    writeFileSync(file, fileText(file) + '{"kept":true}\n');
    const second = openLog({ file });
    second.log.write(entry(2));
    await second.log.close();
    expect(fileText(file)).toBe([...first.lines, '{"kept":true}\n', ...second.lines].join(''));
  });
});

describe('prediction log failures', () => {
  test('a file that cannot be opened is reported once, and the other destinations still get every line', async () => {
    // A directory where the file should be: opening it fails.
    const { log, lines, errors } = openLog({ file: dir });
    for (let i = 0; i < 3; i++) log.write(entry(i));
    await log.close();
    expect(errors.map((e) => e.message)).toEqual([`EISDIR: illegal operation on a directory, open '${dir}'`]);
    expect(lines).toHaveLength(3);
  });

  test('writes that fail on a full disk are reported, never thrown, and the other destinations still get every line', async () => {
    // /dev/full opens fine and refuses every write with ENOSPC, like a full disk.
    const { log, lines, errors } = openLog({ file: '/dev/full' });
    log.write(entry(0));
    const perBlock = Math.ceil(BLOCK_BYTES / Buffer.byteLength(lines[0] as string));
    const reported: number[] = [errors.length];
    for (let i = 1; i < perBlock + 3; i++) {
      expect(() => {
        log.write(entry(i));
      }).not.toThrow();
      reported.push(errors.length);
    }
    // Nothing is written (so nothing fails) before the first block is due; from then on every line retries the block.
    const firstAttempt = perBlock - 1;
    expect(reported.slice(0, firstAttempt)).toEqual(new Array(firstAttempt).fill(0));
    const afterFirst = reported.slice(firstAttempt).map((count) => count - (reported[firstAttempt] as number));
    expect(afterFirst).toEqual([0, 1, 2, 3]);
    expect(errors.every((e) => (e as NodeJS.ErrnoException).code === 'ENOSPC')).toBe(true);
    expect(lines).toHaveLength(perBlock + 3);
    const beforeClose = errors.length;
    await log.close();
    // The last attempt, when closing, fails too and is reported.
    expect(errors.length).toBe(beforeClose + 1);
  });

  // Known bug, left for the owner of the log (production behaviour is out of this change's scope): pino's
  // own error listener on its destination (filterBrokenPipe) re-emits the first non-EPIPE error, so
  // onWriteError, and mlwatch_prediction_log_write_errors_total, see the first failed write twice.
  // When it is fixed, this test fails: make it a plain test.
  test.failing('the first failed write is reported once, like every later one', () => {
    const { log, lines, errors } = openLog({ file: '/dev/full' });
    log.write(entry(0));
    const perBlock = Math.ceil(BLOCK_BYTES / Buffer.byteLength(lines[0] as string));
    for (let i = 1; i < perBlock; i++) log.write(entry(i));
    expect(errors).toHaveLength(1);
  });

  const unreadable = (): unknown => ({
    get amount(): number {
      throw new Error('amount is not readable');
    },
  });

  test('an input that cannot be serialised is logged with a placeholder in its place, never thrown', () => {
    const { log, lines, errors } = openLog();
    expect(() => {
      log.write(entry(1, unreadable()));
    }).not.toThrow();
    expect((JSON.parse(lines[0] as string) as PredictionLogEntry).input).toMatch(/^\[unable to serialize/);
    expect(errors).toEqual([]);
  });

  test('an entry that redaction cannot read is reported and left out, never thrown, and the log goes on', () => {
    const { log, lines, errors } = openLog({ redact: ['input.amount'] });
    expect(() => {
      log.write(entry(1, unreadable()));
    }).not.toThrow();
    log.write(entry(2));
    expect(errors.map((e) => e.message)).toEqual(['amount is not readable']);
    expect(lines.map((line) => (JSON.parse(line) as PredictionLogEntry).prediction_id)).toEqual(['p0002']);
  });

  test('without an onWriteError callback a failing file is silent and predictions still log elsewhere', async () => {
    const lines: string[] = [];
    const log = openPredictionLog({
      file: dir,
      stdout: false,
      sampleRate: { predict: 1, ingest: 1 },
      redact: [],
      stream: { write: (line: string) => void lines.push(line) },
    });
    expect(() => {
      log.write(entry(1));
    }).not.toThrow();
    await log.close();
    expect(lines).toHaveLength(1);
  });
});
