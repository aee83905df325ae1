import fc from 'fast-check';
import { orderStatistics } from '../../../drift/src/stats/order-statistics';

describe('orderStatistics', () => {
  test('returns the values at the requested ranks of the sorted sample, in the order asked', () => {
    expect(Array.from(orderStatistics([5, 1, 4, 2, 3], [4, 0, 2]))).toEqual([5, 1, 3]);
  });

  test('handles ties, repeated ranks and a single value', () => {
    expect(Array.from(orderStatistics([2, 2, 1, 2, 1], [0, 1, 2, 2, 4]))).toEqual([1, 1, 2, 2, 2]);
    expect(Array.from(orderStatistics([7], [0]))).toEqual([7]);
  });

  test('does not modify its input', () => {
    const values = [3, 1, 2];
    orderStatistics(values, [0]);
    expect(values).toEqual([3, 1, 2]);
  });

  test('a rank outside the sample is an error naming it', () => {
    expect(() => orderStatistics([1, 2], [2])).toThrow('orderStatistics: rank 2 is outside [0, 1]');
  });

  test('agrees with a full sort for any sample and ranks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (values, rawRanks) => {
          const sorted = Float64Array.from(values).sort();
          const ranks = rawRanks.map((r) => r % values.length);
          expect(Array.from(orderStatistics(values, ranks))).toEqual(ranks.map((r) => sorted[r]));
        },
      ),
    );
  });
});
