import type { DriftReport, FeatureDrift } from '../../../drift/src/engine/drift-report';
import {
  LatencyWindow,
  describeDemoLabels,
  describeDemoSummary,
  describeDrift,
} from '../../../cli/src/simulator/demo-summary';
import type { LabelCounts } from '../../../cli/src/simulator/label-feed';

const COUNTS = { sent: 1000, ok: 990, errors: 6, rejected: 3, failed: 1 };

function feature(name: string, drifted: boolean): FeatureDrift {
  return { feature: name, drifted } as unknown as FeatureDrift;
}

function report(overrides: Partial<DriftReport>): DriftReport {
  return {
    model: 'fraud',
    evaluated_at: '2026-01-01T00:00:00.000Z',
    window_size: 2000,
    min_samples: 1000,
    correction: 'benjamini_hochberg',
    status: 'ok',
    features_tested: 10,
    features_drifted: 0,
    drift_share: 0,
    drifted: false,
    dataset_drift: false,
    features: [],
    ...overrides,
  };
}

describe('describeDemoSummary', () => {
  test('with labels it adds how many were sent, accepted and unmatched, and the realised accuracy', () => {
    const labels: LabelCounts = {
      pending: 0,
      sent: 400,
      accepted: 390,
      duplicates: 0,
      unmatched: 10,
      rejected: 0,
      failed: 0,
      dropped: 0,
      unsent: 0,
      lastProblem: undefined,
      quality: { labels: 400, accuracy: 0.9525 },
      qualityByPhase: [{ phase: 'normal', labels: 400, accuracy: 0.9525 }],
    };
    expect(
      describeDemoSummary({ elapsedSeconds: 30, counts: COUNTS, latenciesMs: [], drift: undefined, labels }),
    ).toMatch(/; labels 400 sent, 390 accepted, 10 unmatched; realised accuracy 0\.953 over 400 labels$/);
    expect(describeDemoLabels({ ...labels, dropped: 5, failed: 2 })).toBe(
      'labels 400 sent, 390 accepted, 10 unmatched, 7 lost (dropped 5, failed 2, rejected 0); realised accuracy 0.953 over 400 labels',
    );
  });

  test('says events sent, the success rate of those answered, latency percentiles and the drift verdict (regression: the demo never said whether drift was found)', () => {
    // 1 … 100 ms: NumPy's linear percentiles are 50.5, 95.05 and 99.01.
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(describeDemoSummary({ elapsedSeconds: 30, counts: COUNTS, latenciesMs: latencies, drift: report({}) })).toBe(
      'summary    30 s  events 1000 sent, success 99.0% of 1000 answered (errors 6, rejected 3, lost 1); ' +
        'latency p50 50.5 ms, p95 95.0 ms, p99 99.0 ms over 100 requests; drift: none (0 of 10 features drifted, window 2000)',
    );
  });

  test('before any answer and any evaluation it says so instead of dividing by zero', () => {
    expect(
      describeDemoSummary({
        elapsedSeconds: 0,
        counts: { sent: 5, ok: 0, errors: 0, rejected: 0, failed: 0 },
        latenciesMs: [],
        drift: undefined,
      }),
    ).toBe(
      'summary     0 s  events 5 sent, none answered yet; latency: no request answered in this interval; drift: no verdict yet (first evaluation pending)',
    );
  });

  test('sub-10 ms latencies keep two decimals, slow ones none', () => {
    const line = describeDemoSummary({ elapsedSeconds: 1, counts: COUNTS, latenciesMs: [1.234], drift: undefined });
    expect(line).toContain('latency p50 1.23 ms, p95 1.23 ms, p99 1.23 ms over 1 request;');
    expect(
      describeDemoSummary({ elapsedSeconds: 1, counts: COUNTS, latenciesMs: [250.4], drift: undefined }),
    ).toContain('p99 250 ms');
  });
});

describe('describeDrift', () => {
  test('names the drifted features (three, then a count) and dataset drift', () => {
    const features = ['a', 'b', 'c', 'd', 'e'].map((f) => feature(f, true));
    expect(
      describeDrift(
        report({
          drifted: true,
          features_drifted: 5,
          dataset_drift: true,
          features: [...features, feature('f', false)],
        }),
      ),
    ).toBe('FOUND: 5 of 10 features drifted (a, b, c and 2 more), dataset drift');
    expect(describeDrift(report({ drifted: true, features_drifted: 1, features: [feature('amount', true)] }))).toBe(
      'FOUND: 1 of 10 features drifted (amount)',
    );
  });

  test('a window still filling has no verdict yet, and says how far it is', () => {
    expect(describeDrift(report({ status: 'insufficient_samples', window_size: 400, drifted: null }))).toBe(
      'no verdict yet (window 400 of the 1000 events needed)',
    );
    expect(describeDrift(report({ status: 'error', drifted: null }))).toBe('evaluation failed (see the exporter log)');
  });
});

test('LatencyWindow hands over the round trips since the last take and starts again', () => {
  const window = new LatencyWindow();
  window.add({ ok: 1, errors: 0, rejected: 0, failed: 0, latencyMs: 3 });
  window.add({ ok: 0, errors: 0, rejected: 0, failed: 1, problem: 'ECONNREFUSED' });
  expect(window.take()).toEqual([3]);
  expect(window.take()).toEqual([]);
});
