import { wasserstein } from '../../../drift/src/stats/wasserstein';

describe('wasserstein', () => {
  test('between two single points it is their distance', () => {
    expect(wasserstein([0], [1.5])).toBe(1.5);
    expect(wasserstein([-2], [3])).toBe(5);
  });

  test('identical samples, in any order, are at distance exactly 0', () => {
    expect(wasserstein([3, 1, 2, 2], [2, 1, 2, 3])).toBe(0);
  });

  test('shifting every value by c moves the distribution by |c|', () => {
    const a = [0.5, 1.25, 2, 7, -3];
    expect(
      wasserstein(
        a,
        a.map((x) => x + 2),
      ),
    ).toBeCloseTo(2, 14);
  });

  test('works on unsorted typed arrays without reordering them', () => {
    const a = Float64Array.of(3, 1, 2);
    const b = Int32Array.of(6, 4, 5);
    // 3 up to one rounding, bit-identical to SciPy's 3.0000000000000004.
    expect(wasserstein(a, b)).toBe(3.0000000000000004);
    expect(Array.from(a)).toEqual([3, 1, 2]);
  });

  test('is in the units of the data, not normalised', () => {
    expect(wasserstein([0, 1e6], [1e6, 2e6])).toBe(1e6);
  });

  test('rejects empty samples and non-finite values, naming the argument and index', () => {
    expect(() => wasserstein([], [1])).toThrow('wasserstein(a): needs at least 1 observation, got 0');
    expect(() => wasserstein([1], [2, Number.NaN])).toThrow(
      'wasserstein(b): value at index 1 is not a finite number (got NaN)',
    );
    expect(() => wasserstein([Infinity], [2])).toThrow(RangeError);
  });
});
