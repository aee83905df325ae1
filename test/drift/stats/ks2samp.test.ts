import fc from 'fast-check';
import { ksStatisticBucketed } from '../../../drift/src/stats/ks-bucketed';
import { sortPooled } from '../../../drift/src/stats/ks-pooled-sort';
import { sortedCopy } from '../../../drift/src/stats/ks-sort';
import { KsExtremes, type KsStatistic, ksStatisticSorted, scanPooled } from '../../../drift/src/stats/ks-statistic';
import { ks2samp } from '../../../drift/src/stats/ks2samp';

/** Seeded normal draws (Park–Miller + Box–Muller), enough for deterministic test data. */
function normals(n: number, mean: number, seed: number): number[] {
  let s = seed;
  const u = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  return Array.from({ length: n }, () => mean + Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

function viaPooledSort(a: number[], b: number[]): KsStatistic {
  const { values, fromA } = sortPooled(a, b);
  const ext = new KsExtremes();
  scanPooled(values, fromA, 0, values.length, { i0: 0, j0: 0, n1: a.length, n2: b.length }, ext);
  return ext.result();
}

/** Same statistic and sign, same location value (-0 and +0 are one value, as in NumPy's comparisons). */
function expectSameStatistic(actual: KsStatistic, expected: KsStatistic): void {
  expect(actual.statistic).toBe(expected.statistic);
  expect(actual.sign).toBe(expected.sign);
  expect(actual.location === expected.location).toBe(true);
}

describe('ks2samp on hand-checked inputs', () => {
  test('ties across samples are counted with right-continuous ECDFs', () => {
    // F_a(1) = 2/3, F_b(1) = 1/3; both reach 1 at 2.
    const r = ks2samp([1, 1, 2], [1, 2, 2]);
    expect(r).toEqual({ statistic: 1 / 3, pvalue: 1, method: 'exact', statisticLocation: 1, statisticSign: 1 });
    expect(ks2samp([1, 1, 2], [1, 2, 2], { method: 'asymp' }).pvalue).toBeCloseTo(0.9444444444444444, 15);
  });

  test('infinite values are ordinary extreme values', () => {
    // scipy.stats.ks_2samp([-inf, 0, inf], [1, 2]): D = 2/3 at 0, p = 0.6.
    const r = ks2samp([-Infinity, 0, Infinity], [1, 2]);
    expect(r.statistic).toBe(2 / 3);
    expect(r.statisticLocation).toBe(0);
    expect(r.statisticSign).toBe(1);
    expect(r.pvalue).toBeCloseTo(0.6, 15);
  });

  test('-0 and +0 are the same value', () => {
    expect(ks2samp([-0, 1], [0, 1])).toMatchObject({ statistic: 0, pvalue: 1 });
  });

  test('the sign is -1 only when F_b - F_a is strictly larger', () => {
    expect(ks2samp([2, 3], [0, 1]).statisticSign).toBe(-1);
    expect(ks2samp([0, 1], [2, 3]).statisticSign).toBe(1);
    // Gaps of 1/2 in both directions: the tie goes to +1, as in SciPy.
    expect(ks2samp([0, 3], [1, 2])).toMatchObject({ statistic: 0.5, statisticSign: 1, statisticLocation: 0 });
  });

  test('n1 = n2 = 1 in asymp mode returns p = NaN on purpose (effective n is round(0.5) = 0), as SciPy does', () => {
    const r = ks2samp([0.3], [1.7], { method: 'asymp' });
    expect(r.statistic).toBe(1);
    expect(r.pvalue).toBeNaN();
    // The default (exact) mode has an answer: with one value each, D = 1 always, so p = 1.
    expect(ks2samp([0.3], [1.7]).pvalue).toBe(1);
  });

  test("'exact' falls back to 'asymp' with the raw statistic when lcm(n1, n2) does not fit an int32", () => {
    const a = normals(50_000, 0, 1);
    const b = normals(49_999, 0.02, 2); // coprime sizes: lcm ≈ 2.5e9 > 2^31 - 1
    const exact = ks2samp(a, b, { method: 'exact' });
    const asymp = ks2samp(a, b, { method: 'asymp' });
    expect(exact).toEqual(asymp);
  });

  test("'auto' is exact up to max(n1, n2) = 10000 and asymptotic above", () => {
    expect(ks2samp(normals(10_000, 0, 3), normals(50, 0, 4)).method).toBe('exact');
    expect(ks2samp(normals(10_001, 0, 3), normals(50, 0, 4)).method).toBe('asymp');
  });
});

describe('ks2samp rejects bad input with a RangeError that names the problem', () => {
  test('an empty sample', () => {
    expect(() => ks2samp([], [1, 2])).toThrow(
      new RangeError('ks2samp: sample a is empty; both samples need at least one value'),
    );
    expect(() => ks2samp([1], new Float64Array(0))).toThrow(/sample b is empty/);
  });

  test('a NaN, naming the sample and index, on the small and the large path', () => {
    expect(() => ks2samp([1, 2], [3, NaN])).toThrow(
      new RangeError('ks2samp: b[1] is NaN; samples must not contain NaN'),
    );
    const big = normals(5000, 0, 5);
    big[1234] = NaN;
    expect(() => ks2samp(big, normals(5000, 0, 6))).toThrow(/ks2samp: a\[1234\] is NaN/);
  });

  test('an unknown method', () => {
    expect(() => ks2samp([1], [2], { method: 'two-sided' as never })).toThrow(
      /method must be 'auto', 'exact' or 'asymp'/,
    );
  });
});

describe('ks2samp input types', () => {
  test('typed arrays give the same answer as plain arrays, small and large', () => {
    for (const n of [40, 6000]) {
      const a = normals(n, 0, 7).map((x) => Math.fround(x));
      const b = normals(n + 3, 0.1, 8).map((x) => Math.fround(x));
      const plain = ks2samp(a, b);
      expect(ks2samp(Float64Array.from(a), Float64Array.from(b))).toEqual(plain);
      expect(ks2samp(Float32Array.from(a), Float32Array.from(b))).toEqual(plain);
    }
    const ints = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(ks2samp(Int32Array.from(ints), [2, 7, 1, 8])).toEqual(ks2samp(ints, [2, 7, 1, 8]));
  });

  test('the caller’s arrays are left untouched', () => {
    const a = [3, 1, 2];
    const b = new Float64Array([9, 7, 8]);
    ks2samp(a, b);
    expect(a).toEqual([3, 1, 2]);
    expect(Array.from(b)).toEqual([9, 7, 8]);
  });
});

describe('ks2samp properties', () => {
  const sample = fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 60 });
  const tied = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 60 });
  const method = fc.constantFrom('auto' as const, 'exact' as const, 'asymp' as const);

  test('swapping a and b keeps the statistic and flips the sign unless both gaps tie', () => {
    fc.assert(
      fc.property(fc.oneof(sample, tied), fc.oneof(sample, tied), method, (a, b, m) => {
        const ab = ks2samp(a, b, { method: m });
        const ba = ks2samp(b, a, { method: m });
        expect(ba.statistic).toBe(ab.statistic);
        expect(Object.is(ba.pvalue, ab.pvalue)).toBe(true);
        if (ab.statisticSign === 1 && ba.statisticSign === 1) return;
        expect(ba.statisticSign).toBe(-ab.statisticSign);
      }),
    );
  });

  test('the p-value lies in [0, 1] (NaN only for n1 = n2 = 1 in asymp mode) and D in [0, 1]', () => {
    fc.assert(
      fc.property(fc.oneof(sample, tied), fc.oneof(sample, tied), method, (a, b, m) => {
        const r = ks2samp(a, b, { method: m });
        expect(r.statistic).toBeGreaterThanOrEqual(0);
        expect(r.statistic).toBeLessThanOrEqual(1);
        if (m === 'asymp' && a.length === 1 && b.length === 1) expect(r.pvalue).toBeNaN();
        else expect(r.pvalue >= 0 && r.pvalue <= 1).toBe(true);
      }),
    );
  });

  test('identical samples (same values in any order) give D = 0 and p = 1', () => {
    fc.assert(
      fc.property(fc.oneof(sample, tied), (a) => {
        const r = ks2samp(a, [...a].reverse());
        expect(r.statistic).toBe(0);
        expect(r.pvalue).toBe(1);
        expect(r.statisticSign).toBe(1);
        // The first value of sorted(a); -0 and +0 count as the same value.
        expect(r.statisticLocation === Math.min(...a)).toBe(true);
      }),
    );
  });

  test('the merge walk, the pooled radix sort and the bucketed scan agree exactly', () => {
    const values = fc.oneof(
      fc.double({ noNaN: true }),
      fc.integer({ min: -3, max: 3 }),
      fc.double({ min: 1, max: 1 + 1e-9, noNaN: true }), // shares the high word: exercises the clean-up sorts
    );
    const big = fc.array(values, { minLength: 1, maxLength: 400 });
    fc.assert(
      fc.property(big, big, (a, b) => {
        const walk = ksStatisticSorted(sortedCopy(a, 'a'), sortedCopy(b, 'b'));
        expectSameStatistic(viaPooledSort(a, b), walk);
        const bucketed = ksStatisticBucketed(a, b);
        if (bucketed !== undefined) expectSameStatistic(bucketed, walk);
      }),
      { numRuns: 300 },
    );
  });

  test('the bucketed scan agrees with the merge walk on realistic (seeded normal, rounded) data', () => {
    let bucketedRuns = 0;
    const data = fc.record({
      seed: fc.integer({ min: 1, max: 2 ** 31 - 2 }),
      n1: fc.integer({ min: 1, max: 3000 }),
      n2: fc.integer({ min: 1, max: 3000 }),
      shift: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
      grid: fc.constantFrom(1, 10, 1000, 1e7),
    });
    fc.assert(
      fc.property(data, ({ seed, n1, n2, shift, grid }) => {
        const a = normals(n1, 0, seed).map((x) => Math.round(x * grid) / grid);
        const b = normals(n2, shift, seed + 1).map((x) => Math.round(x * grid) / grid);
        const bucketed = ksStatisticBucketed(a, b);
        if (bucketed === undefined) return;
        bucketedRuns++;
        expectSameStatistic(bucketed, ksStatisticSorted(sortedCopy(a, 'a'), sortedCopy(b, 'b')));
      }),
      { numRuns: 200 },
    );
    expect(bucketedRuns).toBeGreaterThan(50);
  });

  test('the three statistic paths agree on large shifted normal, heavy-tailed and tied samples', () => {
    const heavy = (n: number, seed: number): number[] =>
      normals(n, 0, seed).map((z, i) => z / Math.max(Math.abs(normals(1, 0, seed + i)[0] as number), 1e-3));
    const cases: [number[], number[]][] = [
      [normals(20_000, 0, 11), normals(15_000, 0.03, 12)],
      [heavy(5000, 13), heavy(7000, 14)],
      [normals(9000, 0, 15).map(Math.round), normals(8000, 0.2, 16).map(Math.round)],
    ];
    for (const [a, b] of cases) {
      const walk = ksStatisticSorted(sortedCopy(a, 'a'), sortedCopy(b, 'b'));
      expectSameStatistic(viaPooledSort(a, b), walk);
      const bucketed = ksStatisticBucketed(a, b);
      if (bucketed !== undefined) expectSameStatistic(bucketed, walk);
      const r = ks2samp(a, b);
      expectSameStatistic({ statistic: walk.statistic, location: r.statisticLocation, sign: r.statisticSign }, walk);
    }
  });
});
