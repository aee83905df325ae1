import type { ProcessReport } from '../../../bench/support/process-report';
import { parseProcessReport } from '../../../bench/support/process-report';
import { percentile, SoakRecorder, soakChecks, type MinuteRow } from '../../../bench/support/soak-minutes';

const MIB = 1024 * 1024;

function report(rssMiB: number, lagP99Ms = 1): ProcessReport {
  return {
    rssBytes: rssMiB * MIB,
    heapUsedBytes: rssMiB * MIB * 0.25,
    heapTotalBytes: rssMiB * MIB * 0.5,
    externalBytes: 0,
    lagP99Ms,
    lagMaxMs: lagP99Ms * 2,
  };
}

/** A row with the fields the checks read; the rest are placeholders. */
function minute(n: number, rssMiB: number, predictP99Ms: number, ingestP99Ms: number): MinuteRow {
  return {
    minute: n,
    predictPerSecond: 200,
    eventsPerSecond: 1000,
    predictP50Ms: 1,
    predictP99Ms,
    ingestP99Ms,
    scrapeP99Ms: 5,
    failures: 0,
    evaluations: 12,
    rssMiB,
    heapUsedMiB: rssMiB / 4,
    lagP99Ms: 1,
    lagMaxMs: 2,
    machine: undefined,
  };
}

describe('percentile', () => {
  test('takes the nearest rank, so p99 of 100 values is the 99th smallest', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile([7], 99)).toBe(7);
  });

  test('is NaN for an empty list', () => {
    expect(percentile([], 99)).toBeNaN();
  });
});

describe('SoakRecorder', () => {
  test('buckets requests, events, reports and evaluations by the minute they happened in', () => {
    const recorder = new SoakRecorder(2);
    for (let i = 1; i <= 100; i++) recorder.request(1000 + i, 'predict', i, true);
    recorder.request(59_999, 'ingest', 40, true);
    recorder.request(60_000, 'predict', 500, false);
    recorder.events(30_000, 600);
    recorder.events(90_000, 1200);
    recorder.report(10_000, report(100, 3));
    recorder.report(50_000, report(110, 9));
    recorder.report(70_000, report(120, 2));
    recorder.evaluations(59_000, 12);
    recorder.evaluations(119_000, 24);
    recorder.machine(1, { serverCpuPercent: 20, serverRunQueueMsPerSecond: 3, clientLagP99Ms: 12, clientLagMaxMs: 30 });

    const [first, second] = recorder.rows();
    expect(first).toMatchObject({
      minute: 1,
      predictPerSecond: 100 / 60,
      eventsPerSecond: 10,
      predictP50Ms: 50,
      predictP99Ms: 99,
      ingestP99Ms: 40,
      failures: 0,
      evaluations: 12,
      rssMiB: 110,
      lagP99Ms: 9,
      lagMaxMs: 18,
    });
    expect(second).toMatchObject({
      minute: 2,
      predictP99Ms: 500,
      failures: 1,
      eventsPerSecond: 20,
      evaluations: 12,
      rssMiB: 120,
    });
    expect(second?.ingestP99Ms).toBeNaN();
  });

  test('drops what happens before the load starts or after its last minute', () => {
    const recorder = new SoakRecorder(1);
    recorder.request(-5, 'predict', 1, false);
    recorder.request(60_001, 'predict', 1, false);
    recorder.report(-1, report(100));
    const [only] = recorder.rows();
    expect(only?.failures).toBe(0);
    expect(only?.rssMiB).toBeUndefined();
    expect(only?.lagP99Ms).toBeUndefined();
  });
});

describe('soakChecks', () => {
  test('compares RSS of the last minute with minute 2 and p99s with minute 1', () => {
    const checks = soakChecks([minute(1, 90, 10, 20), minute(2, 100, 8, 20), minute(3, 109, 11.9, 25)]);
    expect(checks.map((c) => [c.name, c.from, c.to, c.pass])).toEqual([
      ['RSS growth after warm-up (minute 2 → last)', 100, 109, true],
      ['predict p99 (minute 1 → last)', 10, 11.9, true],
      ['ingest p99 (minute 1 → last)', 20, 25, false],
    ]);
    expect(checks[0]?.change).toBeCloseTo(0.09, 10);
  });

  test('misses RSS beyond 10% growth, and passes a p99 that fell', () => {
    const checks = soakChecks([minute(1, 90, 10, 20), minute(2, 100, 8, 20), minute(3, 111, 5, 10)]);
    expect(checks.map((c) => c.pass)).toEqual([false, true, true]);
  });

  test('gives no RSS verdict with fewer than 3 minutes, since minute 1 is warm-up', () => {
    const checks = soakChecks([minute(1, 90, 10, 20), minute(2, 100, 10, 20)]);
    expect(checks.map((c) => c.name)).toEqual(['predict p99 (minute 1 → last)', 'ingest p99 (minute 1 → last)']);
  });
});

describe('parseProcessReport', () => {
  test('reads a report line and ignores other stderr lines', () => {
    const line = `mlwatch-bench-report ${JSON.stringify(report(64))}`;
    expect(parseProcessReport(line)?.rssBytes).toBe(64 * MIB);
    expect(parseProcessReport('{"level":30,"msg":"listening"}')).toBeUndefined();
  });

  test('names the missing field of a malformed report', () => {
    expect(() => parseProcessReport('mlwatch-bench-report {"rssBytes":1}')).toThrow(/heapUsedBytes/);
  });
});
