import { probit } from 'simple-statistics';
import { normalQuantile } from '../../../../drift/src/stats/special/normal-quantile';

describe('normalQuantile', () => {
  // Reference values: the root of mpmath.ncdf(z) = p at 60 digits, for p as the double the test passes.
  /* eslint-disable no-loss-of-precision -- mpmath's digits are kept as printed, more than a double holds; each parses to the nearest double */
  test.each([
    [0.01, -2.3263478740408411009],
    [0.05, -1.6448536269514727149],
    [0.001, -3.0902323061678135415],
    [1e-10, -6.3613409024040562047],
    [1e-300, -37.047096299361199237],
    [0.3, -0.52440051270804078404],
    [0.6, 0.2533471031357997988],
    [0.975, 1.9599639845400542355],
    [0.999, 3.0902323061678135415],
  ])('the quantile of %p is accurate to about 1e-15 relative (central region and both tails)', (p, expected) => {
    expect(Math.abs(normalQuantile(p) - expected)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(expected)));
  });
  /* eslint-enable no-loss-of-precision */

  test("the lower tail is SciPy's norm.ppf to the last digit: 0.01 → -2.3263478740408408", () => {
    expect(normalQuantile(0.01)).toBe(-2.3263478740408408);
  });

  test('is symmetric about 0.5 and 0 at the median', () => {
    expect(normalQuantile(0.5)).toBe(0);
    for (const p of [0.1, 0.25, 0.4, 0.45]) expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 14);
  });

  test("agrees with simple-statistics' probit within that approximation's error (0.4% relative), and is closer to the truth", () => {
    for (const p of [0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99, 0.999])
      expect(Math.abs(normalQuantile(p) - probit(p))).toBeLessThan(4e-3 * Math.max(1, Math.abs(normalQuantile(p))));
    // probit(0.99) is 2.3214: 0.005 below the critical value a 1% one-sided test needs.
    expect(Math.abs(probit(0.99) - 2.326347874040841)).toBeGreaterThan(4e-3);
  });

  test('0 and 1 are the infinities; outside [0, 1] and NaN are refused naming the value', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow('normalQuantile: p must be in [0, 1] (got 1.5)');
    expect(() => normalQuantile(Number.NaN)).toThrow('normalQuantile: p must be in [0, 1] (got NaN)');
  });
});
