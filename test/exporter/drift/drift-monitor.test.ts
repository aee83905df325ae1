import pino from 'pino';
import { Registry } from 'prom-client';
import { Random } from '../../../cli/src/demo/random';
import type { DriftReport, FeatureDrift } from '../../../drift/src/engine/drift-report';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { DriftMonitor } from '../../../exporter/src/drift/drift-monitor';
import { DriftRecorder } from '../../../exporter/src/drift/drift-recorder';
import type { WindowEvent } from '../../../exporter/src/drift/window/drift-window';
import { isPValueTest } from '../../../spec/src/drift-tests';
import { parseSpec } from '../../../spec/src/load-spec';
import type { Spec } from '../../../spec/src/schema';
import { Stream, categoricalProfile, numericProfile, referenceProfile } from '../../drift/engine/fixtures';

const MIN_SAMPLES = 50;
const INTERVAL_SECONDS = 15;

/** A classifier with a KS, a PSI and a chi-square feature, and a model without a reference profile. */
function specWith(drift: Record<string, unknown> = {}): Spec {
  return parseSpec(
    JSON.stringify({
      service: { name: 's' },
      models: [
        {
          name: 'm',
          task: 'binary_classification',
          classes: ['no', 'yes'],
          versions: [
            { name: 'v1', weight: 0.5 },
            { name: 'v2', weight: 0.5 },
          ],
          features: [
            { name: 'x', type: 'numeric', drift_test: 'ks' },
            { name: 'd', type: 'numeric', drift_test: 'psi' },
            { name: 'colour', type: 'categorical', categories: ['red', 'blue'], drift_test: 'chi2' },
          ],
        },
        {
          name: 'plain',
          task: 'regression',
          versions: [{ name: 'v1', weight: 1 }],
          features: [{ name: 'x', type: 'numeric' }],
        },
      ],
      drift: {
        window_size: 500,
        min_samples: MIN_SAMPLES,
        max_age_seconds: null,
        evaluation_interval_seconds: INTERVAL_SECONDS,
        ...drift,
      },
      slo: { latency_target_seconds: 0.1, latency_objective_percent: 99, availability_objective_percent: 99.9 },
      alerts: { latency_p99_seconds: 0.5, mean_confidence_floor: 0.5, rejected_events_per_second: 1 },
    }),
    'spec.yaml',
  ).spec;
}

/** The reference of model m: x ~ N(0, 1), d ~ N(5, 2), 60% red, 80% "no" predicted with confidences in [0.5, 1). */
function profileOfM(): ReferenceProfile {
  const stream = new Stream(new Random(1));
  return referenceProfile(
    'm',
    [
      numericProfile('x', stream.normals(2000)),
      numericProfile('d', stream.normals(2000, 5, 2)),
      categoricalProfile('colour', { red: 1200, blue: 800 }),
    ],
    {
      prediction: categoricalProfile('prediction', { no: 1600, yes: 400 }),
      confidence: numericProfile(
        'confidence',
        Array.from({ length: 2000 }, () => 0.5 + 0.5 * stream.next()),
      ),
    },
  );
}

/** Events like the reference, or with x shifted by `shift` and every colour blue. */
function events(n: number, seed: number, shift = 0): WindowEvent[] {
  const stream = new Stream(new Random(seed));
  const x = stream.normals(n, shift);
  const d = stream.normals(n, 5, 2);
  return Array.from({ length: n }, (_, i) => ({
    features: { x: x[i], d: d[i], colour: shift !== 0 || stream.next() >= 0.6 ? 'blue' : 'red' },
    classIndex: stream.next() < 0.8 ? 0 : 1,
    output: Number.NaN,
    confidence: 0.5 + 0.5 * stream.next(),
  }));
}

interface Harness {
  monitor: DriftMonitor;
  recorder: DriftRecorder;
  exposition: () => Promise<string>;
  logged: Array<Record<string, unknown>>;
  record: (batch: readonly WindowEvent[], version?: string, atMs?: number) => void;
}

function harness(options: { spec?: Spec; now?: () => number; withProfile?: boolean } = {}): Harness {
  const spec = options.spec ?? specWith();
  const profiles = new Map(options.withProfile === false ? [] : [['m', profileOfM()]]);
  const recorder = new DriftRecorder(spec, profiles);
  const registry = new Registry();
  const logged: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'error' },
    { write: (line: string) => void logged.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const monitor = new DriftMonitor(spec, recorder, profiles, registry, logger, options.now ?? (() => 0));
  const record = (batch: readonly WindowEvent[], version = 'v1', atMs = 0): void => {
    for (const event of batch) recorder.record({ model: 'm', version, index: 0, classBase: 0 }, event, atMs);
  };
  return { monitor, recorder, exposition: () => registry.metrics(), logged, record };
}

/** The value of the one sample of `name` whose labels are exactly `labels`, in label order. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const prefix = `${name}{${selector}} `;
  const lines = text.split('\n').filter((line) => line.startsWith(prefix));
  if (lines.length !== 1) throw new Error(`expected one sample ${prefix}, found ${lines.length}`);
  return Number((lines[0] as string).slice(prefix.length));
}

/** Evaluations timed so far (one per target and attempt), from the evaluation histogram's count. */
function evaluations(text: string): number {
  const match = /^mlwatch_drift_evaluation_seconds_count (\S+)$/m.exec(text);
  if (match === null) throw new Error('no mlwatch_drift_evaluation_seconds_count sample');
  return Number(match[1]);
}

/** Lets timers that fired finish their evaluation: event-loop turns until `done`, at most `turns` of them. */
async function settle(done: () => Promise<boolean>, turns = 200): Promise<void> {
  for (let i = 0; i < turns && !(await done()); i++) await new Promise((resolve) => setImmediate(resolve));
}

type Row = [string, number, number | undefined, number | undefined, number];

/** The gauges of every feature and output of model m, as [name, score, p-value and corrected p-value or undefined, drifted]. */
function published(text: string, report: DriftReport): Row[] {
  const row = (r: FeatureDrift, kind: 'feature' | 'output'): Row => {
    const labels = { model: 'm', [kind]: r.feature, test: r.test };
    const prefix = kind === 'feature' ? 'mlwatch_feature_drift' : 'mlwatch_output_drift';
    const drifted = kind === 'feature' ? 'mlwatch_feature_drifted' : 'mlwatch_output_drifted';
    return [
      r.feature,
      sample(text, `${prefix}_score`, labels),
      isPValueTest(r.test) ? sample(text, `${prefix}_pvalue`, labels) : undefined,
      isPValueTest(r.test) ? sample(text, `${prefix}_corrected_pvalue`, labels) : undefined,
      sample(text, drifted, labels),
    ];
  };
  const outputs = [report.output_drift?.prediction, report.output_drift?.confidence].filter(
    (r): r is FeatureDrift => r !== undefined,
  );
  return [...report.features.map((r) => row(r, 'feature')), ...outputs.map((r) => row(r, 'output'))];
}

/** What the gauges should say about a report: the statistic (NaN when none), the raw and corrected p-values of p-value tests, the verdict as 0/1 (NaN when untested). */
function expected(report: DriftReport): Row[] {
  const outputs = [report.output_drift?.prediction, report.output_drift?.confidence].filter(
    (r): r is FeatureDrift => r !== undefined,
  );
  return [...report.features, ...outputs].map((r) => [
    r.feature,
    r.statistic ?? Number.NaN,
    isPValueTest(r.test) ? (r.pvalue ?? Number.NaN) : undefined,
    isPValueTest(r.test) ? (r.adjusted_pvalue ?? Number.NaN) : undefined,
    r.status === 'ok' ? (r.drifted ? 1 : 0) : Number.NaN,
  ]);
}

describe('DriftMonitor', () => {
  test('before the first evaluation there is no report, and the gauges say "no verdict" (NaN), not "no drift" (0)', async () => {
    const { monitor, exposition } = harness();
    expect(monitor.latest('m')).toBeUndefined();
    const text = await exposition();
    const values = (pattern: RegExp): string[] => [...text.matchAll(pattern)].map((m) => m[1] as string);
    // Features x, d, colour and outputs prediction, confidence: five scores; ks and chi2 have p-values.
    expect(values(/^mlwatch_(?:feature|output)_drift_score\{model="m",.*\} (\S+)$/gm)).toEqual(
      new Array(5).fill('Nan'),
    );
    expect(values(/^mlwatch_feature_drift_pvalue\{model="m",.*\} (\S+)$/gm)).toEqual(['Nan', 'Nan']);
    expect(values(/^mlwatch_(?:feature|output)_drifted\{model="m",.*\} (\S+)$/gm)).toEqual(new Array(5).fill('Nan'));
    expect(evaluations(text)).toBe(0);
  });

  test('only models with a reference profile are monitored, and only they get verdict series', async () => {
    const { monitor, exposition } = harness();
    expect([monitor.monitors('m'), monitor.monitors('plain'), monitor.monitors('unknown')]).toEqual([
      true,
      false,
      false,
    ]);
    const text = await exposition();
    expect(text).not.toContain('model="plain"');
    expect(text.match(/^mlwatch_model_drifted\{.*$/gm)).toEqual(['mlwatch_model_drifted{model="m"} Nan']);
  });

  test('an evaluation of a window like the reference publishes its report: every gauge is the report’s figure, and nothing drifted', async () => {
    const { monitor, exposition, record } = harness();
    record(events(300, 2));
    await monitor.evaluateAll();
    const report = monitor.latest('m') as DriftReport;
    expect([report.status, report.window_size, report.features_tested]).toEqual(['ok', 300, 3]);
    const text = await exposition();
    expect(published(text, report)).toEqual(expected(report));
    expect(report.features.map((f) => f.drifted)).toEqual([false, false, false]);
    expect(
      [
        'mlwatch_model_drift_share',
        'mlwatch_model_drifted',
        'mlwatch_model_dataset_drift',
        'mlwatch_drift_window_samples',
      ].map((name) => sample(text, name, { model: 'm' })),
    ).toEqual([0, 0, 0, 300]);
    expect(evaluations(text)).toBe(1);
  });

  test('a window with x shifted and every colour blue drifts on those two features, and the model on its dataset share', async () => {
    const { monitor, exposition, record } = harness();
    record(events(300, 3, 1));
    await monitor.evaluateAll();
    const report = monitor.latest('m') as DriftReport;
    expect(report.features.map((f) => [f.feature, f.drifted])).toEqual([
      ['x', true],
      ['d', false],
      ['colour', true],
    ]);
    const text = await exposition();
    expect(published(text, report)).toEqual(expected(report));
    expect(
      ['mlwatch_model_drift_share', 'mlwatch_model_drifted', 'mlwatch_model_dataset_drift'].map((name) =>
        sample(text, name, { model: 'm' }),
      ),
    ).toEqual([2 / 3, 1, 1]);
  });

  test('regression: NaN gauge while insufficient samples — a window below min_samples has no verdict, so scores, flags and shares are NaN (not 0, "no drift") while the window size is published', async () => {
    const { monitor, exposition, record } = harness();
    record(events(MIN_SAMPLES - 1, 4, 1));
    await monitor.evaluateAll();
    expect(monitor.latest('m')?.status).toBe('insufficient_samples');
    const text = await exposition();
    expect(sample(text, 'mlwatch_feature_drift_score', { model: 'm', feature: 'x', test: 'ks' })).toBeNaN();
    expect(sample(text, 'mlwatch_feature_drifted', { model: 'm', feature: 'x', test: 'ks' })).toBeNaN();
    for (const name of ['mlwatch_model_drifted', 'mlwatch_model_drift_share', 'mlwatch_model_dataset_drift'])
      expect(sample(text, name, { model: 'm' })).toBeNaN();
    expect(sample(text, 'mlwatch_drift_window_samples', { model: 'm' })).toBe(MIN_SAMPLES - 1);
  });

  test('each evaluation publishes the window’s median and p95 of every numeric feature next to the reference’s, so an alert can say which way x moved; NaN without a verdict', async () => {
    const { monitor, exposition, record } = harness();
    const quantile = (text: string, source: 'window' | 'reference', feature: string, q: string) =>
      sample(text, `mlwatch_feature_${source}_quantile`, { model: 'm', feature, quantile: q });
    record(events(MIN_SAMPLES - 1, 4, 3));
    await monitor.evaluateAll();
    let text = await exposition();
    expect(quantile(text, 'window', 'x', '0.5')).toBeNaN();
    expect(quantile(text, 'reference', 'x', '0.5')).toBeCloseTo(0, 1);
    expect(text).not.toMatch(/_quantile\{[^}]*feature="colour"/);

    const batch = events(300, 3, 3);
    record(batch);
    await monitor.evaluateAll();
    text = await exposition();
    // NumPy's linear quantile of the x values in the window (all 349 events), by sorting.
    const xs = [...events(MIN_SAMPLES - 1, 4, 3), ...batch].map((e) => e.features['x'] as number).sort((a, b) => a - b);
    const linear = (p: number) => {
      const rank = (xs.length - 1) * p;
      const lo = Math.floor(rank);
      return (xs[lo] as number) + ((xs[Math.min(lo + 1, xs.length - 1)] as number) - (xs[lo] as number)) * (rank - lo);
    };
    expect(quantile(text, 'window', 'x', '0.5')).toBeCloseTo(linear(0.5), 12);
    expect(quantile(text, 'window', 'x', '0.95')).toBeCloseTo(linear(0.95), 12);
    // x moved up by about 3 reference standard deviations, at the median and at p95 alike.
    expect(quantile(text, 'window', 'x', '0.5') - quantile(text, 'reference', 'x', '0.5')).toBeGreaterThan(2.5);
    expect(quantile(text, 'window', 'x', '0.95') - quantile(text, 'reference', 'x', '0.95')).toBeGreaterThan(2.5);
    expect(quantile(text, 'window', 'd', '0.5')).toBeCloseTo(5, 0);
  });

  test('a call while an evaluation runs joins it instead of starting another', async () => {
    const { monitor, exposition, record } = harness();
    record(events(300, 5));
    const first = monitor.evaluateAll();
    const joined = monitor.evaluateAll();
    expect(joined).toBe(first);
    await first;
    expect(evaluations(await exposition())).toBe(1);
    await monitor.evaluateAll();
    expect(evaluations(await exposition())).toBe(2);
  });

  test('a failed evaluation keeps the previous verdict and its gauges, and logs the model it failed on', async () => {
    let fail = false;
    const { monitor, exposition, record, logged } = harness({
      now: () => {
        if (fail) throw new Error('clock broke');
        return 0;
      },
    });
    record(events(300, 6, 1));
    await monitor.evaluateAll();
    const before = monitor.latest('m');
    const gaugesBefore = (await exposition()).replace(/^mlwatch_drift_evaluation_seconds.*$/gm, '');
    fail = true;
    await expect(monitor.evaluateAll()).resolves.toBeUndefined();
    expect(monitor.latest('m')).toBe(before);
    const text = await exposition();
    expect(text.replace(/^mlwatch_drift_evaluation_seconds.*$/gm, '')).toBe(gaugesBefore);
    // The failed attempt is timed too: the histogram counts attempts.
    expect(evaluations(text)).toBe(2);
    expect(logged.map((line) => [line['model'], line['msg'], (line['err'] as { message: string }).message])).toEqual([
      ['m', 'drift evaluation failed; keeping the previous verdict', 'clock broke'],
    ]);
  });

  test('the window is cut at the monitor’s clock: events older than max_age_seconds are left out', async () => {
    const { monitor, record } = harness({ spec: specWith({ max_age_seconds: 10 }), now: () => 20_000 });
    record(events(100, 7), 'v1', 5_000);
    record(events(60, 8), 'v1', 15_000);
    await monitor.evaluateAll();
    expect(monitor.latest('m')?.window_size).toBe(60);
  });

  test('with drift.per_version each version has its own window, report and version-labelled series', async () => {
    const { monitor, exposition, record } = harness({ spec: specWith({ per_version: true }) });
    record(events(300, 9), 'v1');
    record(events(200, 10, 1), 'v2');
    await monitor.evaluateAll();
    expect([
      monitor.latest('m'),
      monitor.latest('m', 'v1')?.window_size,
      monitor.latest('m', 'v2')?.window_size,
    ]).toEqual([undefined, 300, 200]);
    const text = await exposition();
    expect(
      ['v1', 'v2'].map((version) => [
        sample(text, 'mlwatch_drift_window_samples', { model: 'm', version }),
        sample(text, 'mlwatch_model_drifted', { model: 'm', version }),
      ]),
    ).toEqual([
      [300, 0],
      [200, 1],
    ]);
  });

  test('start evaluates every evaluation_interval_seconds, and stop ends it', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'performance', 'queueMicrotask'] });
    try {
      const { monitor, exposition, record } = harness();
      record(events(300, 11));
      const evaluated = async (): Promise<number> => evaluations(await exposition());
      const reaches = (n: number) => async (): Promise<boolean> => (await evaluated()) >= n;
      monitor.start();
      jest.advanceTimersByTime(INTERVAL_SECONDS * 1000 - 1);
      await settle(reaches(1), 20);
      expect(await evaluated()).toBe(0);
      jest.advanceTimersByTime(1);
      await settle(reaches(1));
      expect(await evaluated()).toBe(1);
      jest.advanceTimersByTime(INTERVAL_SECONDS * 1000);
      await settle(reaches(2));
      expect(await evaluated()).toBe(2);
      await monitor.stop();
      jest.advanceTimersByTime(10 * INTERVAL_SECONDS * 1000);
      await settle(reaches(3), 20);
      expect(await evaluated()).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  test('a reference profile that lacks a feature of the spec is refused when the monitor is built, naming model and feature', () => {
    const spec = specWith();
    const profile = profileOfM();
    const profiles = new Map([['m', { ...profile, features: profile.features.filter((f) => f.name !== 'd') }]]);
    expect(() => new DriftMonitor(spec, new DriftRecorder(spec, profiles), profiles, new Registry())).toThrow(
      /^model "m": feature "d" has no reference profile/,
    );
  });
});
