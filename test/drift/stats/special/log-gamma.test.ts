import { logGamma } from '../../../../drift/src/stats/special/log-gamma';

describe('logGamma', () => {
  // Reference values from mpmath.loggamma at 30 digits.
  /* eslint-disable no-loss-of-precision -- mpmath's digits are kept as printed, more than a double holds; each parses to the nearest double */
  test.each([
    [0.1, 2.252712651734205902],
    [0.5, 0.57236494292470008707],
    [2.5, 0.28468287047291915963],
    [10, 12.801827480081469611],
    [100, 359.13420536957539878],
  ])('ln Γ(%p) is accurate to about 1e-15 relative', (x, expected) => {
    expect(Math.abs(logGamma(x) - expected)).toBeLessThanOrEqual(2e-15 * Math.max(1, Math.abs(expected)));
  });
  /* eslint-enable no-loss-of-precision */

  test('ln Γ(1) and ln Γ(2) are exactly 0', () => {
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
  });

  test('ln Γ(n) equals ln((n-1)!) for small integers', () => {
    let factorial = 1;
    for (let n = 2; n <= 20; n++) {
      expect(Math.abs(logGamma(n + 1) - Math.log((factorial *= n)))).toBeLessThan(1e-13);
    }
  });

  test('rejects x <= 0 and NaN with a RangeError naming the value', () => {
    expect(() => logGamma(0)).toThrow('logGamma: x must be > 0 (got 0)');
    expect(() => logGamma(-1.5)).toThrow(RangeError);
    expect(() => logGamma(Number.NaN)).toThrow(RangeError);
  });

  test('ln Γ(∞) is ∞', () => {
    expect(logGamma(Infinity)).toBe(Infinity);
  });
});
