import { pairwiseSum } from '../../../drift/src/stats/pairwise-sum';

describe('pairwiseSum', () => {
  test("adds in NumPy's order, which can differ from a left-to-right loop", () => {
    // np.sum([1e16] + [1.0] * 20 + [-1e16]) == 16.0; a plain loop gives 0.
    const values = [1e16, ...new Array<number>(20).fill(1), -1e16];
    expect(pairwiseSum(values)).toBe(16);
    expect(values.reduce((s, v) => s + v, 0)).toBe(0);
  });

  test('sums a sub-range', () => {
    expect(pairwiseSum([100, 1, 2, 3, 100], 1, 3)).toBe(6);
  });

  test('an empty range sums to 0', () => {
    expect(pairwiseSum([])).toBe(0);
    expect(pairwiseSum([1, 2], 2, 0)).toBe(0);
  });

  test('long arrays of exactly representable values sum exactly', () => {
    const values = Float64Array.from({ length: 10_001 }, (_, i) => i);
    expect(pairwiseSum(values)).toBe((10_000 * 10_001) / 2);
  });
});
