import { chiSquareSf } from '../../../../drift/src/stats/special/chi-square-sf';
import { regularizedGammaP, regularizedGammaQ } from '../../../../drift/src/stats/special/incomplete-gamma';

function relError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('regularizedGammaQ', () => {
  // Reference values from mpmath.gammainc(a, x, regularized=True) at 30 digits (series and fraction branches).
  /* eslint-disable no-loss-of-precision -- mpmath's digits are kept as printed, more than a double holds; each parses to the nearest double */
  test.each([
    [0.5, 0.3, 0.43857802608099986352],
    [2.5, 3, 0.30621891841327840088],
    [12, 30, 0.000063877025399273364991],
    [24.5, 20, 0.81677707482752970523],
    [0.5, 50, 1.5239706048321052132e-23],
  ])('Q(%p, %p) is accurate to 1e-13 relative', (a, x, expected) => {
    expect(relError(regularizedGammaQ(a, x), expected)).toBeLessThan(1e-13);
  });
  /* eslint-enable no-loss-of-precision */

  test('Q(1, x) is the exponential tail e^{-x}', () => {
    for (const x of [0.01, 0.5, 1.9, 2, 7, 40])
      expect(relError(regularizedGammaQ(1, x), Math.exp(-x))).toBeLessThan(1e-14);
  });

  test('P and Q add up to 1', () => {
    for (const [a, x] of [
      [0.5, 0.2],
      [3, 3.5],
      [10, 4],
      [10, 25],
    ] as const) {
      expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 15);
    }
  });

  test('the ends of the domain: Q(a, 0) = 1, Q(a, ∞) = 0, and a huge x underflows to 0', () => {
    expect(regularizedGammaQ(3, 0)).toBe(1);
    expect(regularizedGammaQ(3, Infinity)).toBe(0);
    expect(regularizedGammaQ(0.5, 1000)).toBe(0);
  });

  test('rejects a <= 0, x < 0 and NaN with a RangeError', () => {
    expect(() => regularizedGammaQ(0, 1)).toThrow('regularizedGammaQ: a must be a finite number > 0 (got 0)');
    expect(() => regularizedGammaQ(1, -1)).toThrow('regularizedGammaQ: x must be >= 0 (got -1)');
    expect(() => regularizedGammaQ(1, Number.NaN)).toThrow(RangeError);
    expect(() => regularizedGammaP(Number.NaN, 1)).toThrow(RangeError);
  });
});

describe('chiSquareSf', () => {
  // Reference values from scipy.stats.chi2.sf.
  test.each([
    [3.841458820694124, 1, 0.04999999999999989],
    [10, 4, 0.04042768199451279],
    [0.5, 7, 0.9994464813904249],
  ])('chi2.sf(%p, %p) matches SciPy to 1e-12', (x, dof, expected) => {
    expect(relError(chiSquareSf(x, dof), expected)).toBeLessThan(1e-12);
  });

  test('a statistic of 0 (or below) has p = 1', () => {
    expect(chiSquareSf(0, 3)).toBe(1);
  });

  test('rejects dof <= 0 and a NaN statistic', () => {
    expect(() => chiSquareSf(1, 0)).toThrow('chiSquareSf: dof must be > 0 (got 0)');
    expect(() => chiSquareSf(Number.NaN, 2)).toThrow(RangeError);
  });
});
