import { besselK, besselKScaled } from '../../../../drift/src/stats/special/bessel-k';

function relError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('besselK', () => {
  // Reference values from mpmath.besselk at 30 digits.
  /* eslint-disable no-loss-of-precision -- mpmath's digits are kept as printed, more than a double holds; each parses to the nearest double */
  test.each([
    [0.25, 0.001, 11.756476271934458578],
    [0.25, 1, 0.43073977444858552466],
    [0.25, 10, 0.00001783318443980639228],
    [0, 2, 0.11389387274953343565],
    [1.5, 0.5, 3.2251428104997607162],
  ])('K_%p(%p) is accurate to 1e-14 relative', (nu, x, expected) => {
    expect(relError(besselK(nu, x), expected)).toBeLessThan(1e-14);
  });
  /* eslint-enable no-loss-of-precision */

  test('K_{1/2}(x) has the closed form √(π / 2x) e^{-x}', () => {
    for (const x of [1e-4, 0.3, 1, 4, 30, 300]) {
      expect(relError(besselKScaled(0.5, x), Math.sqrt(Math.PI / (2 * x)))).toBeLessThan(1e-14);
    }
  });

  test('the order enters only through its absolute value', () => {
    expect(besselK(-0.25, 2)).toBe(besselK(0.25, 2));
  });

  test('K_ν(0) is ∞, K_ν(∞) is 0 and a large argument underflows to 0', () => {
    expect(besselK(0.25, 0)).toBe(Infinity);
    expect(besselK(0.25, Infinity)).toBe(0);
    expect(besselK(0.25, 800)).toBe(0);
    expect(besselKScaled(0.25, 800)).toBeGreaterThan(0);
  });

  test('rejects negative and NaN arguments and a non-finite order', () => {
    expect(() => besselK(0.25, -1)).toThrow('besselK: x must be >= 0 (got -1)');
    expect(() => besselK(0.25, Number.NaN)).toThrow(RangeError);
    expect(() => besselK(Infinity, 1)).toThrow(RangeError);
  });
});
