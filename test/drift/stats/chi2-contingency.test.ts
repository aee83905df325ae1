import { chi2Contingency } from '../../../drift/src/stats/chi2-contingency';

describe('chi2Contingency', () => {
  test('a single category has nothing to test: statistic 0, p 1, dof 0', () => {
    expect(chi2Contingency([10], [20])).toEqual({ statistic: 0, pvalue: 1, dof: 0 });
  });

  test("Yates' correction is on by default and applies to 2 × 2 tables only", () => {
    const plain = chi2Contingency([3, 7], [6, 4], { correction: false });
    const corrected = chi2Contingency([3, 7], [6, 4]);
    expect(corrected.statistic).toBeLessThan(plain.statistic);
    expect(chi2Contingency([3, 7], [6, 4], { correction: true })).toEqual(corrected);
    expect(chi2Contingency([3, 7, 5], [6, 4, 5], { correction: true })).toEqual(
      chi2Contingency([3, 7, 5], [6, 4, 5], { correction: false }),
    );
  });

  test('the correction never moves a count past its expected value', () => {
    // |E - O| = 0.25 < 0.5: the corrected table equals the expected one.
    expect(chi2Contingency([10, 10], [9, 11])).toMatchObject({ statistic: 0, pvalue: 1 });
  });

  test('categories seen in only one sample are tested, not dropped', () => {
    const result = chi2Contingency([50, 50, 0], [40, 40, 20]);
    expect(result.dof).toBe(2);
    expect(result.pvalue).toBeLessThan(1e-4);
  });

  test('a huge statistic gives a p-value that underflows to 0', () => {
    expect(chi2Contingency([100000, 0], [0, 100000]).pvalue).toBe(0);
  });

  test('typed arrays work as inputs', () => {
    expect(chi2Contingency(Uint32Array.of(3, 7), Float64Array.of(6, 4))).toEqual(chi2Contingency([3, 7], [6, 4]));
  });

  test('a category empty in both samples is an error that names it (SciPy raises too)', () => {
    expect(() => chi2Contingency([10, 0, 5], [8, 0, 7])).toThrow(
      'chi2Contingency: expected frequency is 0 at (0, 1): category 1 has no observations in either sample; drop it before testing',
    );
  });

  test('an empty sample is an error (SciPy raises for an empty reference)', () => {
    expect(() => chi2Contingency([0, 0, 0], [1, 2, 3])).toThrow('the reference sample is empty');
    expect(() => chi2Contingency([1, 2, 3], [0, 0, 0])).toThrow('the current sample is empty');
    expect(() => chi2Contingency([0], [5])).toThrow('the reference sample is empty');
  });

  test('an all-zero table is an error, where SciPy returns NaN', () => {
    expect(() => chi2Contingency([0, 0], [0, 0])).toThrow('both samples are empty');
  });

  test('mismatched lengths, no categories and bad counts are errors', () => {
    expect(() => chi2Contingency([1, 2], [1, 2, 3])).toThrow('must have the same length (got 2 and 3)');
    expect(() => chi2Contingency([], [])).toThrow('needs at least one category');
    expect(() => chi2Contingency([1, -2], [1, 2])).toThrow(
      'chi2Contingency(refCounts): entry 1 must be a finite number >= 0 (got -2)',
    );
    expect(() => chi2Contingency([1, 2], [Number.NaN, 2])).toThrow(RangeError);
    expect(() => chi2Contingency([1, Infinity], [1, 2])).toThrow(RangeError);
  });
});
