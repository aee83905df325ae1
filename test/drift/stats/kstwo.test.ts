import fc from 'fast-check';
import { kstwoSf } from '../../../drift/src/stats/kstwo';
import { roundHalfEven } from '../../../drift/src/stats/round-half-even';
import { smirnovSf } from '../../../drift/src/stats/smirnov';
import { expectRelClose } from './golden-fixtures';

// Reference values from scipy.stats.kstwo.sf / scipy.special.smirnov (SciPy 1.17.1, whose
// kstwo and smirnov code paths are those of 1.10.1), one or more per algorithm branch.
const KSTWO_SPOTS: [n: number, d: number, sf: number, branch: string][] = [
  [10, 0.07, 0.9999999619492741, 'Ruben-Gambino, n d <= 1, n <= 140'],
  [200, 0.004, 1.0, 'Ruben-Gambino, n d <= 1, n > 140'],
  [5, 0.85, 0.0001518750000000001, 'Ruben-Gambino, n d >= n - 1'],
  [20, 0.6, 2.0483011649719853e-7, 'd >= 0.5: 2 * smirnov'],
  [50, 0.1, 0.6623112704658186, 'n <= 140, n d^2 <= 0.754693: Durbin matrix'],
  [140, 0.05, 0.8576480297656114, 'n = 140: Durbin matrix'],
  [100, 0.15, 0.019839242125643017, 'n <= 140, n d^2 <= 4: Pomeranz'],
  [100, 0.25, 5.408871776434847e-6, 'n <= 140, n d^2 > 4: 2 * smirnov'],
  [10000, 0.2, 0.0, 'n > 140, n d^2 >= 370: exactly 0'],
  [1000, 0.06, 0.001428597887952891, 'n > 140, n d^2 >= 2.2: 2 * smirnov'],
  [1000, 0.01, 0.9999496745370611, 'n > 140, n d^1.5 <= 1.4: Durbin matrix'],
  [141, 0.05, 0.854845693009663, 'n = 141: Pelz-Good'],
  [1000, 0.04, 0.07933956059000224, 'n > 140: Pelz-Good'],
  [200000, 0.002, 0.39995085369038097, 'n > 100000: Pelz-Good'],
  [500000, 0.003, 0.00024632301239186754, 'n = 500000: 2 * smirnov over ~500000 terms'],
];

const SMIRNOV_SPOTS: [n: number, x: number, sf: number][] = [
  [1, 0.3, 0.7],
  [10, 0.05, 0.9224335892010742],
  [10, 0.5, 0.003888705],
  [50, 0.2, 0.01571942744940561],
  [1000, 0.03, 0.16203171395455085],
  [10, 0.95, 9.765625000000086e-14],
];

describe('kstwoSf matches scipy.stats.kstwo.sf', () => {
  test.each(KSTWO_SPOTS)('n = %d, d = %d gives %d (%s)', (n, d, sf) => {
    if (sf === 0) expect(kstwoSf(d, n)).toBe(0);
    else expectRelClose(kstwoSf(d, n), sf, 1e-9);
  });

  test('is 1 for d <= 0 and 0 for d >= 1', () => {
    expect(kstwoSf(0, 10)).toBe(1);
    expect(kstwoSf(-0.5, 10)).toBe(1);
    expect(kstwoSf(1, 10)).toBe(0);
    expect(kstwoSf(1.5, 10)).toBe(0);
  });

  test('is NaN when n is not a positive integer or d is NaN (n = 0 is the n1 = n2 = 1 asymp case)', () => {
    expect(kstwoSf(0.5, 0)).toBeNaN();
    expect(kstwoSf(0.5, -3)).toBeNaN();
    expect(kstwoSf(0.5, 2.5)).toBeNaN();
    expect(kstwoSf(NaN, 10)).toBeNaN();
  });

  test('is non-increasing in d for every n, across all algorithm boundaries', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const sLo = kstwoSf(lo, n);
          const sHi = kstwoSf(hi, n);
          // Allow for rounding where two algorithms meet.
          return sHi <= sLo + 1e-12 && sLo >= 0 && sLo <= 1;
        },
      ),
    );
  });

  test('is non-increasing on a fine grid of d for n = 140 and n = 141 (both sides of the small-n switch)', () => {
    for (const n of [140, 141]) {
      let prev = 1;
      for (let d = 0; d <= 1; d += 1 / 128) {
        const sf = kstwoSf(d, n);
        expect(sf).toBeLessThanOrEqual(prev + 1e-12);
        prev = sf;
      }
    }
  });
});

describe('smirnovSf matches scipy.special.smirnov', () => {
  test.each(SMIRNOV_SPOTS)('n = %d, x = %d gives %d', (n, x, sf) => {
    expectRelClose(smirnovSf(n, x), sf, 1e-9);
  });

  test('is 1 at x = 0, 0 at x = 1 and NaN outside its domain', () => {
    expect(smirnovSf(10, 0)).toBe(1);
    expect(smirnovSf(10, 1)).toBe(0);
    expect(smirnovSf(10, -0.1)).toBeNaN();
    expect(smirnovSf(0, 0.5)).toBeNaN();
  });
});

describe('roundHalfEven rounds like numpy.round', () => {
  test.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [-0.5, -0],
    [-1.5, -2],
    [-2.5, -2],
    [2.4999999999999996, 2],
    [2.5000000000000004, 3],
    [12.5, 12],
    [187.5, 188],
    [1e17, 1e17],
  ])('%d rounds to %d', (x, want) => {
    expect(roundHalfEven(x)).toBe(want);
  });

  test('never differs from Math.round by more than the half-way correction', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const r = roundHalfEven(x);
        return Math.abs(r - x) <= 0.5 && (Math.abs(r - x) < 0.5 || r % 2 === 0);
      }),
    );
  });
});
