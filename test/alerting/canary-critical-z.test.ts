import { criticalZ } from '../../alerting/src/canary-critical-z';

describe('criticalZ', () => {
  test('is probit(1 − level) of the one-sided test, as SciPy computes it (norm.ppf)', () => {
    expect(criticalZ(0.01)).toBe(2.3263478740408408);
    // mpmath's roots of ncdf(z) = 1 − level, to 17 digits.
    /* eslint-disable no-loss-of-precision -- the reference digits as printed; each parses to the nearest double */
    expect(criticalZ(0.05)).toBeCloseTo(1.6448536269514727, 15);
    expect(criticalZ(0.001)).toBeCloseTo(3.0902323061678135, 15);
    /* eslint-enable no-loss-of-precision */
  });

  test('a stricter level needs a larger z', () => {
    expect(criticalZ(0.001)).toBeGreaterThan(criticalZ(0.01));
    expect(criticalZ(0.5)).toBe(0);
  });

  test('refuses a level outside (0, 1), naming it', () => {
    expect(() => criticalZ(0)).toThrow('criticalZ: level must be in (0, 1) (got 0)');
    expect(() => criticalZ(1)).toThrow('criticalZ: level must be in (0, 1) (got 1)');
  });
});
