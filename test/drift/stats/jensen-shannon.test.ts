import { jensenShannon } from '../../../drift/src/stats/jensen-shannon';

describe('jensenShannon', () => {
  test('identical distributions are at distance exactly 0', () => {
    expect(jensenShannon([0.2, 0.3, 0.5], [0.2, 0.3, 0.5])).toBe(0);
  });

  test('distributions on disjoint supports are at distance exactly 1 (base 2)', () => {
    expect(jensenShannon([1, 1, 0, 0], [0, 0, 3, 1])).toBe(1);
  });

  test('renormalises, so counts and proportions give the same distance', () => {
    expect(jensenShannon([10, 30, 60], [50, 25, 25])).toBeCloseTo(
      jensenShannon([0.1, 0.3, 0.6], [0.5, 0.25, 0.25]),
      15,
    );
  });

  test('matches sqrt(JSD / 2) with the base-2 logarithm on a small example', () => {
    // p = (1, 0), q = (1/2, 1/2): m = (3/4, 1/4).
    const kl = (a: number[], m: number[]): number =>
      a.reduce((s, x, i) => (x > 0 ? s + x * Math.log2(x / (m[i] as number)) : s), 0);
    const m = [0.75, 0.25];
    const expected = Math.sqrt((kl([1, 0], m) + kl([0.5, 0.5], m)) / 2);
    expect(jensenShannon([1, 0], [0.5, 0.5])).toBeCloseTo(expected, 15);
  });

  test('near-identical inputs never give NaN from a slightly negative divergence', () => {
    for (let i = 1; i < 200; i++) {
      const p = [i, 1e6 - i, 3];
      const q = [i * (1 + 1e-15), 1e6 - i, 3];
      const d = jensenShannon(p, q);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(1e-7);
    }
  });

  test('rejects mismatched lengths, empty vectors, zero totals and negative weights', () => {
    expect(() => jensenShannon([1, 2], [1])).toThrow('jensenShannon: p and q must have the same length (got 2 and 1)');
    expect(() => jensenShannon([], [])).toThrow('needs at least one bin');
    expect(() => jensenShannon([0, 0], [1, 1])).toThrow('jensenShannon: p sums to 0 (empty sample)');
    expect(() => jensenShannon([1, 1], [0, 0])).toThrow('jensenShannon: q sums to 0 (empty sample)');
    expect(() => jensenShannon([1, -1, 1], [1, 1, 1])).toThrow(
      'jensenShannon(p): entry 1 must be a finite number >= 0 (got -1)',
    );
    expect(() => jensenShannon([1, Number.NaN], [1, 1])).toThrow(RangeError);
  });
});
