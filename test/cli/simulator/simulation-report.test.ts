import type { LabelCounts } from '../../../cli/src/simulator/label-feed';
import {
  describeLabels,
  describePhase,
  describeRealised,
  describeProgress,
  isProgressLine,
  phaseOfLine,
} from '../../../cli/src/simulator/simulation-report';

describe('the lines the simulator prints, as the stack reads them back', () => {
  test('a phase line names its phase, and no other line does', () => {
    expect(describePhase('recovery', 120.4)).toBe('simulate phase recovery begins at 120 s');
    expect(phaseOfLine(describePhase('recovery', 120.4))).toBe('recovery');
    const progress = describeProgress({
      phase: 'drift',
      elapsedSeconds: 5,
      inFlight: 0,
      lastProblem: undefined,
      sent: 1,
      ok: 1,
      errors: 0,
      rejected: 0,
      failed: 0,
    });
    expect(phaseOfLine(progress)).toBeUndefined();
    expect(isProgressLine(progress)).toBe(true);
    expect(isProgressLine(describePhase('drift', 0))).toBe(false);
  });
});

const LABELS: LabelCounts = {
  pending: 12,
  sent: 960,
  accepted: 950,
  duplicates: 1,
  unmatched: 5,
  rejected: 0,
  failed: 4,
  dropped: 0,
  unsent: 0,
  lastProblem: undefined,
  quality: { labels: 956, accuracy: 0.75 },
  qualityByPhase: [
    { phase: 'normal', labels: 500, accuracy: 0.962 },
    { phase: 'concept', labels: 456, accuracy: 0.5176 },
  ],
};

describe('the label lines', () => {
  test('say what the exporter did with the labels and the realised accuracy, per phase', () => {
    expect(describeLabels(LABELS)).toBe(
      'labels sent 960 (accepted 950, duplicates 1, unmatched 5, rejected 0, failed 4), dropped 0 (queue full), unsent 0, waiting 12; ' +
        'realised accuracy 0.750 over 956 labels (normal 0.962; concept 0.518)',
    );
    expect(describeLabels({ ...LABELS, lastProblem: 'HTTP 503 join_store_unavailable: redis down' })).toMatch(
      /concept 0\.518\) \(last problem: HTTP 503 join_store_unavailable: redis down\)$/,
    );
  });

  test('a regression model’s labels give MAE and RMSE; one phase needs no list', () => {
    const regression = {
      ...LABELS,
      quality: { labels: 10, mae: 12.3456, rmse: 20.00001 },
      qualityByPhase: [{ phase: 'normal', labels: 10, mae: 12.3456, rmse: 20.00001 }],
    };
    expect(describeRealised(regression)).toBe('realised MAE 12.35, RMSE 20 over 10 labels');
  });

  test('before any answer the realised quality says so', () => {
    expect(describeRealised({ ...LABELS, quality: { labels: 0 }, qualityByPhase: [] })).toBe(
      'realised quality: no labels sent yet',
    );
  });

  test('the progress line adds the labels sent and accepted and stays a progress line', () => {
    const progress = describeProgress({
      phase: 'concept',
      elapsedSeconds: 65,
      inFlight: 0,
      lastProblem: undefined,
      sent: 100,
      ok: 100,
      errors: 0,
      rejected: 0,
      failed: 0,
      labels: LABELS,
    });
    expect(progress).toBe(
      'simulate    65 s  phase concept: sent 100, ok 100, errors 0, rejected 0, failed 0; labels sent 960, accepted 950',
    );
    expect(isProgressLine(progress)).toBe(true);
  });
});
