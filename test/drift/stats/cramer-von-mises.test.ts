import { CVM_EXACT_MAX_SIZE, cramerVonMises2samp } from '../../../drift/src/stats/cramer-von-mises';
import { cramerVonMisesExactPValue } from '../../../drift/src/stats/cramer-von-mises-exact';
import { cramerVonMisesLimitCdf } from '../../../drift/src/stats/cramer-von-mises-limit';

const range = (n: number, offset = 0): number[] => Array.from({ length: n }, (_, i) => i + offset);

describe('cramerVonMises2samp', () => {
  test('fully separated samples of 3 and 3: T = 19/36 and p = 2/20 exactly', () => {
    const result = cramerVonMises2samp([1, 2, 3], [4, 5, 6]);
    expect(result).toEqual({ statistic: 0.5277777777777778, pvalue: 0.1, method: 'exact' });
  });

  test('identical samples give T = 0 and p = 1', () => {
    expect(cramerVonMises2samp([1, 2, 3], [3, 2, 1])).toMatchObject({ statistic: 0, pvalue: 1 });
    expect(cramerVonMises2samp(range(30), range(30))).toEqual({ statistic: 0, pvalue: 1, method: 'asymptotic' });
  });

  test('uses the exact distribution up to max(n1, n2) = 20 and the asymptotic one above', () => {
    expect(CVM_EXACT_MAX_SIZE).toBe(20);
    expect(cramerVonMises2samp(range(20), range(20, 0.5)).method).toBe('exact');
    expect(cramerVonMises2samp(range(2), range(20, 0.5)).method).toBe('exact');
    expect(cramerVonMises2samp(range(20), range(21, 0.5)).method).toBe('asymptotic');
  });

  test('a normalised statistic below 0.003 short-cuts to p = 1, as in SciPy', () => {
    // Interleaved samples of 100: tn is below 0.003, where the limiting CDF is below 1.3e-18.
    expect(cramerVonMises2samp(range(100), range(100, 0.5)).pvalue).toBe(1);
  });

  test('ties use midranks (values from SciPy)', () => {
    expect(cramerVonMises2samp([1, 2, 2, 3], [2, 3, 3, 4])).toEqual({
      statistic: 0.25,
      pvalue: 0.2571428571428571,
      method: 'exact',
    });
    // All four values tied: every midrank is 2.5, so U = 2·(1.5² + 0.5²)·2 = 10 and T = 10/16 - 15/24 = 0.
    expect(cramerVonMises2samp([7, 7], [7, 7]).statistic).toBe(0);
  });

  test('leaves the inputs untouched', () => {
    const a = [3, 1, 2];
    cramerVonMises2samp(a, [9, 8]);
    expect(a).toEqual([3, 1, 2]);
  });

  test('each sample needs at least two finite values', () => {
    expect(() => cramerVonMises2samp([1], [2, 3, 4])).toThrow(
      'cramerVonMises2samp(a): needs at least 2 observations, got 1',
    );
    expect(() => cramerVonMises2samp([1, 2], [])).toThrow(
      'cramerVonMises2samp(b): needs at least 2 observations, got 0',
    );
    expect(() => cramerVonMises2samp([1, Number.NaN], [2, 3])).toThrow(RangeError);
  });
});

describe('cramerVonMisesExactPValue', () => {
  test('the smallest possible U has p = 1 and the largest p = (arrangements reaching it) / C(N, n)', () => {
    expect(cramerVonMisesExactPValue(0, 3, 3)).toBe(1);
    // Fully separated 3 vs 3: ranks 1..3 and 4..6 give U = 3·0 + 3·(3·3²) = 81, reached by 2 of the 20 arrangements.
    expect(cramerVonMisesExactPValue(81, 3, 3)).toBe(0.1);
    expect(cramerVonMisesExactPValue(1e9, 3, 3)).toBe(0);
  });

  test('rejects sample sizes that are not positive integers', () => {
    expect(() => cramerVonMisesExactPValue(1, 0, 3)).toThrow(RangeError);
    expect(() => cramerVonMisesExactPValue(1, 2.5, 3)).toThrow(RangeError);
  });

  test('refuses sizes whose arrangement count exceeds 2^53, where counts stop being exact', () => {
    expect(() => cramerVonMisesExactPValue(1, 30, 30)).toThrow(
      'C(60, 30) arrangements are too many for the exact distribution',
    );
  });
});

describe('cramerVonMisesLimitCdf', () => {
  // Reference values from SciPy's scipy.stats._hypotests._cdf_cvm_inf.
  test.each([
    [0.05, 0.12371906895864906],
    [0.2, 0.7325295694592229],
    [0.461, 0.9498928727982415],
    [1, 0.9975395478198642],
    [2, 0.9999872192637342],
  ])('matches SciPy at x = %p to 1e-13', (x, expected) => {
    expect(Math.abs(cramerVonMisesLimitCdf(x) - expected)).toBeLessThan(1e-13);
  });

  test('is 0 at and below 0, 1 at ∞, and rejects NaN', () => {
    expect(cramerVonMisesLimitCdf(0)).toBe(0);
    expect(cramerVonMisesLimitCdf(-1)).toBe(0);
    expect(cramerVonMisesLimitCdf(Infinity)).toBe(1);
    expect(() => cramerVonMisesLimitCdf(Number.NaN)).toThrow(RangeError);
  });
});
