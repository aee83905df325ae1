import {
  describePhase,
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
