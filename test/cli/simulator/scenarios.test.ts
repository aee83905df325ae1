import {
  CANARY_CONVERSION_FACTOR,
  CANARY_SHARE,
  SCENARIOS,
  findScenario,
  maxAddedLatencyMs,
  needsFaults,
  phaseAt,
} from '../../../cli/src/simulator/scenarios';

describe('scenario phases', () => {
  test('every scenario has phase shares that sum to 1', () => {
    for (const scenario of SCENARIOS) {
      const total = scenario.phases.reduce((sum, p) => sum + p.share, 0);
      expect(total).toBeCloseTo(1, 9);
    }
  });

  test.each([
    [0, 'normal'],
    [0.2499, 'normal'],
    [0.25, 'drift'],
    [0.6, 'drift'],
    [0.7499, 'drift'],
    [0.75, 'recovery'],
    [0.99, 'recovery'],
    [1, 'recovery'],
    [1.5, 'recovery'],
    [-1, 'normal'],
  ])('the drift scenario at fraction %p of the run is in phase %p', (fraction, phase) => {
    expect(phaseAt(findScenario('drift'), fraction).phase.name).toBe(phase);
  });

  test('a gradual phase ramps linearly over the first half of the phase and then holds at full strength', () => {
    const drift = findScenario('drift');
    expect(phaseAt(drift, 0.25).strength).toBeCloseTo(0, 9);
    expect(phaseAt(drift, 0.375).strength).toBeCloseTo(0.5, 9);
    expect(phaseAt(drift, 0.5).strength).toBeCloseTo(1, 9);
    expect(phaseAt(drift, 0.7).strength).toBe(1);
    expect(phaseAt(drift, 0.6).progress).toBeCloseTo(0.7, 9);
  });

  test('a phase without a ramp is at full strength from its first moment', () => {
    const at = phaseAt(findScenario('errors'), 0.25);
    expect(at.phase.name).toBe('error-burst');
    expect(at.strength).toBe(1);
  });

  test('the latency, errors and canary scenarios need faults; normal and drift do not', () => {
    const faulty = SCENARIOS.filter(needsFaults).map((s) => s.name);
    expect(faulty.sort()).toEqual(['canary', 'errors', 'latency']);
  });

  test('the latency scenario adds more than the demo spec latency target of 250 ms', () => {
    expect(maxAddedLatencyMs(findScenario('latency'))).toBeGreaterThan(250);
  });

  test('an unknown scenario name is refused with the known names', () => {
    expect(() => findScenario('drfit')).toThrow(
      'unknown scenario "drfit" (known: normal, drift, drift-single, quality, latency, errors, canary)',
    );
  });
});

describe('the canary scenario', () => {
  test('pins half of the traffic to the canary, which converts worse by its factor; no other scenario changes conversion', () => {
    const phases = findScenario('canary').phases;
    expect(phases.map((p) => p.canaryShare)).toEqual([CANARY_SHARE]);
    expect(phases.flatMap((p) => p.outcomes ?? [])).toEqual([
      { kind: 'conversion', factor: CANARY_CONVERSION_FACTOR, target: 'canary' },
    ]);
    expect(CANARY_CONVERSION_FACTOR).toBeLessThan(1);
    const others = SCENARIOS.filter((s) => s.name !== 'canary').flatMap((s) =>
      s.phases.flatMap((p) => p.outcomes ?? []),
    );
    expect(others).toEqual([]);
  });
});
