import {
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { PredictionLogDestination, PredictionLogDropReason } from '../../../spec/src/conventions';
import {
  openPredictionLog,
  type PredictionLog,
  type PredictionLogEntry,
  type PredictionLogOptions,
} from '../../../exporter/src/logging/prediction-log';

/** The block size and flush period the module documents: lines are written in blocks of 8 KiB, and at least every 200 ms by default. */
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

/** A log with an extra in-memory destination: `lines` holds every line it was given, as written; `dropped` counts lost lines by `destination/reason`. */
function openLog(options: Partial<PredictionLogOptions> = {}): {
  log: PredictionLog;
  lines: string[];
  errors: Error[];
  dropped: Record<string, number>;
  truncated: number[];
} {
  const lines: string[] = [];
  const errors: Error[] = [];
  const dropped: Record<string, number> = {};
  const truncated: number[] = [];
  const log = openPredictionLog({
    file: null,
    stdout: false,
    sampleRate: { predict: 1, ingest: 1 },
    redact: [],
    onWriteError: (error) => errors.push(error),
    onDropped: (destination: PredictionLogDestination, reason: PredictionLogDropReason, count: number) => {
      dropped[`${destination}/${reason}`] = (dropped[`${destination}/${reason}`] ?? 0) + count;
    },
    onTruncated: (count) => truncated.push(count),
    stream: { write: (line: string) => void lines.push(line) },
    ...options,
  });
  open.push(log);
  return { log, lines, errors, dropped, truncated };
}

/** Waits (polling on real I/O, never on timers, so fake timers do not stop it) until `probe` holds. */
async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!probe()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The `seq` of every complete line. A file read while a block is being written may end in part
 * of a line; that part is left for the next read (a line is complete once its newline is written).
 */
const seqs = (text: string): number[] =>
  text
    .slice(0, text.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { seq: number }).seq);

/** A stdout whose reader never reads: writes are accepted and never called back. */
function stalledStdout(): { stream: Writable; received: number[] } {
  const received: number[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer) {
      received.push(chunk.length);
    },
  });
  return { stream, received };
}

const fileText = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

describe('prediction log lines', () => {
  test('a line is the entry as JSON after its ISO time, with no level, pid or hostname', () => {
    jest.useFakeTimers({ now: new Date('2026-03-04T05:06:07.089Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const { log, lines } = openLog();
    log.write({ ...entry(7), source: 'ingest', event_time: '2026-03-04T05:06:00.000Z' });
    expect(lines).toEqual([
      '{"time":"2026-03-04T05:06:07.089Z","seq":0,"prediction_id":"p0007","model":"fraud","version":"v1","source":"ingest",' +
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
  test('lines are held until a block of 8 KiB is buffered, then written to the file in one write', async () => {
    const file = path.join(dir, 'predictions.jsonl');
    const { log, lines } = openLog({ file, flushIntervalMs: 60_000 });
    const nextLine = (i: number): string => {
      const probe = openLog();
      probe.log.write(entry(i));
      return (probe.lines[0] as string).replace('"seq":0', `"seq":${i}`);
    };
    let i = 0;
    for (let bytes = 0; bytes + Buffer.byteLength(nextLine(i)) < BLOCK_BYTES; i++) {
      bytes += Buffer.byteLength(nextLine(i));
      log.write(entry(i));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fileText(file)).toBe('');
    log.write(entry(i));
    // The block is one write, but a stat may land while the kernel is still copying it.
    await until('the block in the file', () => statSync(file).size >= Buffer.byteLength(lines.join('')));
    expect(statSync(file).size).toBe(Buffer.byteLength(lines.join('')));
    expect(fileText(file)).toBe(lines.join(''));
  });

  test('writing never waits for the file: a block is written after the write call has returned', () => {
    const file = path.join(dir, 'predictions.jsonl');
    const { log, lines } = openLog({ file });
    for (let i = 0; statSync(file).size === 0 && Buffer.byteLength(lines.join('')) < 4 * BLOCK_BYTES; i++)
      log.write(entry(i));
    expect(statSync(file).size).toBe(0);
  });

  test('buffered lines reach the file within one flush period, without a close', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    const file = path.join(dir, 'predictions.jsonl');
    const { log, lines } = openLog({ file });
    log.write(entry(1));
    jest.advanceTimersByTime(FLUSH_PERIOD_MS - 1);
    expect(fileText(file)).toBe('');
    jest.advanceTimersByTime(1);
    await until('the line in the file', () => fileText(file) !== '');
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
  test('regression: an unopenable log path counts every line it loses, not 1 error, and the other destinations still get every line', async () => {
    // A directory where the file should be: opening it fails, at start and at every retry.
    const { log, lines, errors, dropped } = openLog({ file: dir });
    for (let i = 0; i < 3; i++) log.write(entry(i));
    await log.flush();
    for (let i = 3; i < 5; i++) log.write(entry(i));
    await log.close();
    expect(errors.map((e) => e.message)).toEqual(
      new Array(3).fill(`EISDIR: illegal operation on a directory, open '${dir}'`),
    );
    expect(dropped).toEqual({ 'file/write_error': 5 });
    expect(lines).toHaveLength(5);
  });

  test('a path whose directory cannot be made counts its lines as file_missing', async () => {
    const blocker = path.join(dir, 'not-a-directory');
    writeFileSync(blocker, '');
    const { log, dropped, errors } = openLog({ file: path.join(blocker, 'predictions.jsonl') });
    for (let i = 0; i < 4; i++) log.write(entry(i));
    await log.close();
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['EEXIST', 'EEXIST']);
    expect(dropped).toEqual({ 'file/file_missing': 4 });
  });

  test('writes that fail on a full disk are reported once per block, every line they lose is counted, and nothing is thrown', async () => {
    // /dev/full opens fine and refuses every write with ENOSPC, like a full disk.
    const { log, lines, errors, dropped } = openLog({ file: '/dev/full' });
    log.write(entry(0));
    const perBlock = Math.ceil(BLOCK_BYTES / Buffer.byteLength(lines[0] as string));
    for (let i = 1; i < perBlock; i++) {
      expect(() => {
        log.write(entry(i));
      }).not.toThrow();
    }
    await log.flush();
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ENOSPC']);
    expect(dropped).toEqual({ 'file/write_error': perBlock });
    for (let i = 0; i < 3; i++) log.write(entry(perBlock + i));
    await log.close();
    // The last block, written when closing, fails too and is reported and counted.
    expect(errors).toHaveLength(2);
    expect(dropped).toEqual({ 'file/write_error': perBlock + 3 });
    expect(lines).toHaveLength(perBlock + 3);
  });

  test('the first failed write is reported once, like every later one', async () => {
    const { log, lines, errors } = openLog({ file: '/dev/full' });
    log.write(entry(0));
    const perBlock = Math.ceil(BLOCK_BYTES / Buffer.byteLength(lines[0] as string));
    for (let i = 1; i < perBlock; i++) log.write(entry(i));
    await log.flush();
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

  test('an entry left out is counted at every destination, and its sequence number is missing from the lines', async () => {
    const file = path.join(dir, 'predictions.jsonl');
    const stdout = new Writable({ write: (_chunk: Buffer, _encoding, callback) => callback() });
    const { log, dropped } = openLog({ file, stdout: true, stdoutStream: stdout, redact: ['input.amount'] });
    log.write(entry(0));
    log.write(entry(1, unreadable()));
    log.write(entry(2));
    await log.close();
    expect(dropped).toEqual({ 'file/unserializable': 1, 'stdout/unserializable': 1 });
    expect(seqs(fileText(file))).toEqual([0, 2]);
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

describe('prediction log sequence numbers', () => {
  test('every line carries seq, one more than the line before, starting at 0', async () => {
    const file = path.join(dir, 'predictions.jsonl');
    const { log } = openLog({ file });
    for (let i = 0; i < 5; i++) log.write(entry(i));
    await log.close();
    expect(seqs(fileText(file))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('prediction log string limit', () => {
  test('regression: a 16 MB category string is cut to max_string_length in the log, marked with its length, and counted', () => {
    const huge = 'x'.repeat(16 * 1024 * 1024);
    const { log, lines, truncated } = openLog({ maxStringLength: 32 });
    const written = entry(1, { amount: 1, country: huge, note: 'short' });
    log.write(written);
    const line = lines[0] as string;
    expect(line.length).toBeLessThan(1000);
    expect((JSON.parse(line) as PredictionLogEntry).input).toEqual({
      amount: 1,
      country: `${'x'.repeat(32)}…[truncated, ${huge.length} chars]`,
      note: 'short',
    });
    expect(truncated).toEqual([1]);
    expect((written.input as { country: string }).country).toBe(huge);
  });

  test('strings are cut wherever they are in the entry, each counted once', () => {
    const long = 'y'.repeat(40);
    const { log, lines, truncated } = openLog({ maxStringLength: 16 });
    log.write({ ...entry(1, { tags: [long, 'ok', { deep: long }] }), error: long });
    const line = JSON.parse(lines[0] as string) as PredictionLogEntry;
    const cut = `${'y'.repeat(16)}…[truncated, 40 chars]`;
    expect([line.input, line.error]).toEqual([{ tags: [cut, 'ok', { deep: cut }] }, cut]);
    expect(truncated).toEqual([3]);
  });

  test('an entry within the limit is logged as it is and nothing is counted', () => {
    const { log, lines, truncated } = openLog({ maxStringLength: 16 });
    log.write(entry(1));
    expect((JSON.parse(lines[0] as string) as PredictionLogEntry).input).toEqual(entry(1).input);
    expect(truncated).toEqual([]);
  });
});

describe('prediction log buffering', () => {
  test('a destination that does not take its writes drops what does not fit in its buffer, counts it, and never blocks', () => {
    const { stream, received } = stalledStdout();
    const bufferBytes = 16 * 1024;
    const { log, lines, dropped } = openLog({ stdout: true, stdoutStream: stream, bufferBytes });
    const started = performance.now();
    for (let i = 0; i < 1000; i++) log.write(entry(i));
    expect(performance.now() - started).toBeLessThan(1000);
    // One block went to the stream and never came back; the rest waits in the buffer until it is full.
    expect(received).toHaveLength(1);
    const kept = lines.reduce(
      (acc, line) =>
        acc.bytes + Buffer.byteLength(line) <= bufferBytes
          ? { bytes: acc.bytes + Buffer.byteLength(line), count: acc.count + 1 }
          : acc,
      { bytes: 0, count: 0 },
    );
    expect(dropped).toEqual({ 'stdout/buffer_full': 1000 - kept.count });
  });

  test('a stalled destination does not hold up the file: it still gets every line', async () => {
    const file = path.join(dir, 'predictions.jsonl');
    const { stream } = stalledStdout();
    const { log, dropped } = openLog({ file, stdout: true, stdoutStream: stream, bufferBytes: 64 * 1024 });
    // Bursts the file keeps up with (each well under the buffer), which overrun the stalled stdout's buffer.
    for (let burst = 0; burst < 10; burst++) {
      for (let i = 0; i < 40; i++) log.write(entry(burst * 40 + i));
      await until('the burst in the file', () => seqs(fileText(file)).length === (burst + 1) * 40);
    }
    expect(seqs(fileText(file))).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(Object.keys(dropped)).toEqual(['stdout/buffer_full']);
  });

  test('close gives up on a stalled destination after its timeout and says how much it left', async () => {
    const { stream } = stalledStdout();
    const { log, errors } = openLog({ stdout: true, stdoutStream: stream, closeTimeoutMs: 100 });
    for (let i = 0; i < 10; i++) log.write(entry(i));
    const started = performance.now();
    await log.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^\d+ bytes of prediction log lines for stdout were not written within 100 ms of closing$/),
    ]);
  });

  test('a write error on stdout (the reader went away) is counted per line, never thrown', async () => {
    const broken = new Writable({
      write: (_chunk: Buffer, _encoding, callback) =>
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    });
    const { log, dropped, errors } = openLog({ stdout: true, stdoutStream: broken });
    for (let i = 0; i < 3; i++) log.write(entry(i));
    await log.close();
    expect(dropped).toEqual({ 'stdout/write_error': 3 });
    expect(errors.map((e) => e.message)).toContain('write EPIPE');
  });
});

describe('prediction log file identity', () => {
  test('regression: a log file deleted while running is noticed at the next flush, recreated, and the lines lost with it counted', async () => {
    const file = path.join(dir, 'predictions.jsonl');
    const { log, dropped } = openLog({ file });
    for (let i = 0; i < 3; i++) log.write(entry(i));
    await log.flush();
    unlinkSync(file);
    for (let i = 3; i < 5; i++) log.write(entry(i));
    await log.flush();
    // Lines 0-2 went to the file that was then deleted; 3 and 4 are in the new one.
    expect(dropped).toEqual({ 'file/file_missing': 3 });
    expect(seqs(fileText(file))).toEqual([3, 4]);
  });

  test('a file renamed away (logrotate) keeps what it got, and the path is opened afresh at the next flush', async () => {
    const file = path.join(dir, 'predictions.jsonl');
    const { log, dropped } = openLog({ file });
    for (let i = 0; i < 3; i++) log.write(entry(i));
    await log.flush();
    renameSync(file, `${file}.1`);
    for (let i = 3; i < 5; i++) log.write(entry(i));
    await log.close();
    expect([seqs(fileText(`${file}.1`)), seqs(fileText(file))]).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
    expect(dropped).toEqual({});
  });

  test('reopen() opens the path again before the next write, even when the file looks the same', async () => {
    const file = path.join(dir, 'predictions.jsonl');
    const { log, errors } = openLog({ file });
    log.write(entry(0));
    await log.flush();
    const before = statSync(file).ino;
    // copytruncate-style: the same inode, emptied; a reopen appends to it from its new end.
    writeFileSync(file, '');
    log.reopen();
    log.write(entry(1));
    await log.close();
    expect(statSync(file).ino).toBe(before);
    expect(seqs(fileText(file))).toEqual([1]);
    expect(errors).toEqual([]);
  });

  test('a file that comes back after it could not be opened gets the lines from then on', async () => {
    const file = path.join(dir, 'later', 'predictions.jsonl');
    writeFileSync(path.join(dir, 'later'), '');
    const { log, dropped } = openLog({ file });
    log.write(entry(0));
    await log.flush();
    rmSync(path.join(dir, 'later'));
    log.write(entry(1));
    await log.close();
    expect(dropped).toEqual({ 'file/file_missing': 1 });
    expect(seqs(fileText(file))).toEqual([1]);
  });
});
