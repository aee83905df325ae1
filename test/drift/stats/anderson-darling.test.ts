import { AD_SIGNIFICANCE_LEVELS, andersonKsamp } from '../../../drift/src/stats/anderson-darling';

const range = (n: number, offset = 0): number[] => Array.from({ length: n }, (_, i) => i + offset);
const CRITICAL = [0.32500000000000007, 1.226, 1.9609999999999999, 2.718, 3.752, 4.592, 6.546];

function relError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('andersonKsamp', () => {
  test('critical values are Scholz & Stephens Table 2 for two samples, one per significance level', () => {
    expect(AD_SIGNIFICANCE_LEVELS).toEqual([0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001]);
    expect(andersonKsamp([1, 2, 3], [4, 5, 6]).criticalValues).toEqual(CRITICAL);
  });

  test('interpolates the significance level inside the table (values from SciPy)', () => {
    const result = andersonKsamp([1, 2, 3, 4, 5, 6.5], [3, 5, 7, 8, 9, 10, 11]);
    expect(relError(result.statistic, 3.1505787345013525)).toBeLessThan(1e-12);
    expect(relError(result.significanceLevel, 0.01701550140375157)).toBeLessThan(1e-10);
    expect(result.significanceStatus).toBe('interpolated');
  });

  test('ties use midranks (values from SciPy)', () => {
    const result = andersonKsamp([1, 2, 2, 3], [2, 3, 3, 4]);
    expect(relError(result.statistic, 1.269634451736632)).toBeLessThan(1e-12);
    expect(relError(result.significanceLevel, 0.09744037282303841)).toBeLessThan(1e-10);
  });

  test('caps the significance level at 0.25 for very similar samples', () => {
    const result = andersonKsamp(range(30), range(30));
    expect(relError(result.statistic, -1.3545315293608042)).toBeLessThan(1e-12);
    expect(result).toMatchObject({ significanceLevel: 0.25, significanceStatus: 'capped_at_0.25' });
  });

  test('floors the significance level at 0.001 for clearly different samples', () => {
    const result = andersonKsamp(range(30), range(30, 40));
    expect(relError(result.statistic, 30.207959605320205)).toBeLessThan(1e-12);
    expect(result).toMatchObject({ significanceLevel: 0.001, significanceStatus: 'floored_at_0.001' });
  });

  test('4 observations in total is the smallest finite case; 3 is an error where SciPy returns NaN', () => {
    expect(Number.isFinite(andersonKsamp([1, 2], [3, 4]).statistic)).toBe(true);
    expect(() => andersonKsamp([1, 2], [3])).toThrow('andersonKsamp: needs at least 4 observations in total (got 3)');
  });

  test('a pooled sample with a single distinct value is an error, as in SciPy', () => {
    expect(() => andersonKsamp([2, 2, 2], [2, 2])).toThrow(
      'andersonKsamp: needs at least two distinct values in the pooled sample',
    );
  });

  test('empty samples and non-finite values are errors naming the argument', () => {
    expect(() => andersonKsamp([], [1, 2, 3, 4])).toThrow('andersonKsamp(a): needs at least 1 observation, got 0');
    expect(() => andersonKsamp([1, 2, 3], [4, Infinity])).toThrow(
      'andersonKsamp(b): value at index 1 is not a finite number (got Infinity)',
    );
  });
});
