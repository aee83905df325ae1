import fc from 'fast-check';
import { Random } from '../../../cli/src/demo/random';
import { KsScratch, indexKsReference, ksStatisticIndexed } from '../../../drift/src/stats/ks-indexed';
import { ksStatisticPresorted, ksStatisticSorted } from '../../../drift/src/stats/ks-statistic';
import { AndersonScratch, andersonKsamp, andersonKsampSorted } from '../../../drift/src/stats/anderson-darling';
import { cramerVonMises2samp, cramerVonMises2sampSorted } from '../../../drift/src/stats/cramer-von-mises';
import { ks2samp, ks2sampIndexed, ks2sampPresorted } from '../../../drift/src/stats/ks2samp';
import { kstwoSf } from '../../../drift/src/stats/kstwo';
import { pairwiseSum } from '../../../drift/src/stats/pairwise-sum';
import { wasserstein, wassersteinSorted } from '../../../drift/src/stats/wasserstein';

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
// Small integers give the ties (within and across samples) where ECDF code goes wrong.
const value = fc.oneof(finite, fc.integer({ min: -3, max: 3 }));
const sample = (maxLength: number) => fc.array(value, { minLength: 1, maxLength });
const sorted = (xs: readonly number[]): Float64Array => Float64Array.from(xs).sort();

/** The two-pass Wasserstein sum (pooled merge, then searchsorted-style counts) that wassersteinSorted replaced. */
function twoPassWasserstein(sa: Float64Array, sb: Float64Array): number {
  const pooled = Float64Array.from([...sa, ...sb]).sort();
  const terms = new Float64Array(pooled.length - 1);
  let ia = 0;
  let ib = 0;
  for (let t = 0; t < pooled.length - 1; t++) {
    const x = pooled[t] as number;
    while (ia < sa.length && (sa[ia] as number) <= x) ia++;
    while (ib < sb.length && (sb[ib] as number) <= x) ib++;
    terms[t] = Math.abs(ia / sa.length - ib / sb.length) * ((pooled[t + 1] as number) - x);
  }
  return pairwiseSum(terms);
}

describe('KS on pre-sorted samples', () => {
  test('ksStatisticPresorted gives exactly the merge walk statistic, ties and infinities included', () => {
    const withInfinities = fc.oneof(value, fc.constantFrom(-Infinity, Infinity));
    fc.assert(
      fc.property(
        fc.array(withInfinities, { minLength: 1, maxLength: 60 }),
        fc.array(withInfinities, { minLength: 1, maxLength: 60 }),
        (a, b) => {
          const sa = sorted(a);
          const sb = sorted(b);
          expect(ksStatisticPresorted(sa, sb)).toBe(ksStatisticSorted(sa, sb).statistic);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('ks2sampPresorted returns the statistic, p-value and method of ks2samp', () => {
    fc.assert(
      fc.property(
        sample(80),
        sample(80),
        fc.constantFrom<'auto' | 'exact' | 'asymp'>('auto', 'exact', 'asymp'),
        (a, b, method) => {
          const full = ks2samp(a, b, { method });
          const fast = ks2sampPresorted(sorted(a), sorted(b), { method });
          expect(fast).toEqual({ statistic: full.statistic, pvalue: full.pvalue, method: full.method });
        },
      ),
    );
  });

  test('large samples take the asymptotic p-value, as ks2samp does', () => {
    const a = Float64Array.from({ length: 12_000 }, (_, i) => Math.sin(i) * 3);
    const b = Float64Array.from({ length: 3_000 }, (_, i) => Math.cos(i * 1.7) * 3 + 0.01);
    const fast = ks2sampPresorted(sorted(Array.from(a)), sorted(Array.from(b)));
    expect(fast).toEqual({ statistic: ks2samp(a, b).statistic, pvalue: ks2samp(a, b).pvalue, method: 'asymp' });
  });

  test('ks2sampPresorted rejects an empty sample, naming it', () => {
    expect(() => ks2sampPresorted(new Float64Array(0), Float64Array.of(1))).toThrow(
      'ks2sampPresorted: sample a is empty',
    );
    expect(() => ks2sampPresorted(Float64Array.of(1), new Float64Array(0))).toThrow(
      'ks2sampPresorted: sample b is empty',
    );
  });
});

describe('KS against an indexed reference', () => {
  /** Windows around a reference of the given shape: shifted, scaled, tied, or partly outside its range. */
  const windowAround = fc.tuple(
    fc.array(value, { minLength: 1, maxLength: 400 }),
    fc.double({ min: -3, max: 3, noNaN: true }),
    fc.constantFrom(1, 0.5, 2, 1e-3),
  );

  test('on arbitrary values, ties and outliers the statistic is exactly the merge walk statistic on the sorted window', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 2000 }),
        windowAround,
        (reference, [base, shift, scale]) => {
          const sb = sorted(reference);
          const window = Float64Array.from(base, (x) => x * scale + shift);
          expect(ksStatisticIndexed(window, indexKsReference(sb))).toBe(
            ksStatisticSorted(sorted(Array.from(window)), sb).statistic,
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  test('seeded normal samples, rounded to make ties, agree exactly when only candidate buckets are sorted', () => {
    // Windows of hundreds to thousands against references of thousands: about half take the candidate path.
    const shape = fc.record({
      seed: fc.integer(),
      n2: fc.integer({ min: 300, max: 6000 }),
      n1: fc.integer({ min: 100, max: 3000 }),
      shift: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
      decimals: fc.constantFrom(0, 1, 2, 12),
    });
    fc.assert(
      fc.property(shape, ({ seed, n2, n1, shift, decimals }) => {
        const random = new Random(seed);
        const unit = 10 ** decimals;
        const reference = sorted(Array.from({ length: n2 }, () => Math.round(random.normal() * unit) / unit));
        const window = Float64Array.from({ length: n1 }, () => Math.round((random.normal() + shift) * unit) / unit);
        expect(ksStatisticIndexed(window, indexKsReference(reference))).toBe(
          ksStatisticSorted(sorted(Array.from(window)), reference).statistic,
        );
      }),
      { numRuns: 150 },
    );
  });

  test('large continuous samples go through the candidate buckets and still agree exactly', () => {
    const reference = sorted(
      Array.from({ length: 50_000 }, (_, i) => Math.tan((i / 50_000 - 0.5) * 3.1) + Math.sin(i)),
    );
    const index = indexKsReference(reference);
    expect(index.buckets).toBe(8192);
    for (const shift of [0, 0.01, 0.3]) {
      const window = Float64Array.from({ length: 5000 }, (_, i) => Math.tan(Math.sin(i * 7.31) * 1.5) + shift);
      expect(ksStatisticIndexed(window, index)).toBe(
        ksStatisticSorted(sorted(Array.from(window)), reference).statistic,
      );
    }
  });

  test('one KsScratch reused across references and windows of any size gives the statistic of fresh work arrays', () => {
    const scratch = new KsScratch();
    const pair = fc.tuple(fc.array(value, { minLength: 1, maxLength: 3000 }), windowAround);
    fc.assert(
      fc.property(fc.array(pair, { minLength: 1, maxLength: 6 }), (pairs) => {
        for (const [reference, [base, shift, scale]] of pairs) {
          const index = indexKsReference(sorted(reference));
          const window = Float64Array.from(base, (x) => x * scale + shift);
          expect(ksStatisticIndexed(window, index, scratch)).toBe(ksStatisticIndexed(window, index));
        }
      }),
      { numRuns: 100 },
    );
    // The candidate path and the whole-window radix sort, after the property left the arrays dirty.
    const reference = sorted(
      Array.from({ length: 50_000 }, (_, i) => Math.tan((i / 50_000 - 0.5) * 3.1) + Math.sin(i)),
    );
    const index = indexKsReference(reference);
    for (const [n, shift] of [
      [5000, 0],
      [1200, 0.3],
      [5000, 40],
    ] as const) {
      const window = Float64Array.from({ length: n }, (_, i) => Math.tan(Math.sin(i * 7.31) * 1.5) + shift);
      expect(ksStatisticIndexed(window, index, scratch)).toBe(
        ksStatisticSorted(sorted(Array.from(window)), reference).statistic,
      );
    }
  });

  test('with a referenceSize, ks2sampIndexed keeps D and takes the asymptotic p-value at that size', () => {
    const window = Float64Array.from({ length: 300 }, (_, i) => Math.sin(i * 1.7) + 0.1);
    const sample = sorted(Array.from({ length: 1000 }, (_, i) => Math.sin(i * 2.3)));
    const index = indexKsReference(sample);
    const result = ks2sampIndexed(window, index, { referenceSize: 20_000 });
    expect(result.statistic).toBe(ksStatisticIndexed(window, index));
    // Effective n: round(300 · 20,000 / 20,300) = 296.
    expect(result).toEqual({ statistic: result.statistic, pvalue: kstwoSf(result.statistic, 296), method: 'asymp' });
    expect(ks2sampIndexed(window, index, { referenceSize: 1000 })).toEqual(ks2sampIndexed(window, index));
  });

  test('a referenceSize below the sample size, or the exact method on a subsample, is refused', () => {
    const index = indexKsReference(Float64Array.of(1, 2, 3, 4));
    const window = Float64Array.of(2.5, 3.5);
    expect(() => ks2sampIndexed(window, index, { referenceSize: 3 })).toThrow(
      "ks2sampIndexed: referenceSize must be a whole number >= the sample's 4 values, got 3",
    );
    expect(() => ks2sampIndexed(window, index, { referenceSize: 40, method: 'exact' })).toThrow(
      "ks2sampIndexed: method 'exact' needs the whole reference, but the sample holds 4 of 40 values",
    );
  });

  test('a constant reference falls back to sorting the window', () => {
    const index = indexKsReference(Float64Array.of(2, 2, 2));
    expect(index.buckets).toBe(0);
    expect(ksStatisticIndexed(Float64Array.of(3, 1, 2), index)).toBe(
      ksStatisticSorted(Float64Array.of(1, 2, 3), Float64Array.of(2, 2, 2)).statistic,
    );
  });

  test('ks2sampIndexed returns the p-value of ks2samp, and leaves the window unsorted', () => {
    const window = Float64Array.of(0.3, -1, 2, 0.5, 0.3);
    const reference = [0.1, 0.2, 0.25, 1, 1.5, 3];
    const full = ks2samp(window, reference);
    expect(ks2sampIndexed(window, indexKsReference(sorted(reference)))).toEqual({
      statistic: full.statistic,
      pvalue: full.pvalue,
      method: full.method,
    });
    expect(Array.from(window)).toEqual([0.3, -1, 2, 0.5, 0.3]);
    expect(() => ks2sampIndexed(new Float64Array(0), indexKsReference(sorted(reference)))).toThrow(
      'ks2sampIndexed: the window is empty',
    );
  });
});

describe('Wasserstein on pre-sorted samples', () => {
  test('the one-pass merge is bit-identical to the two-pass sum it replaced', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 60 }),
        fc.array(value, { minLength: 1, maxLength: 60 }),
        (a, b) => {
          const sa = sorted(a);
          const sb = sorted(b);
          expect(wassersteinSorted(sa, sb)).toBe(twoPassWasserstein(sa, sb));
          expect(wasserstein(a, b)).toBe(wassersteinSorted(sa, sb));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('wassersteinSorted rejects an empty sample with both sizes in the message', () => {
    expect(() => wassersteinSorted(new Float64Array(0), Float64Array.of(1))).toThrow(
      'wassersteinSorted: needs at least 1 observation per sample, got 0 and 1',
    );
  });
});

describe('Cramér–von Mises and Anderson–Darling on pre-sorted samples', () => {
  test('the sorted forms give exactly the results of the raw forms, one Anderson scratch serving every call', () => {
    const scratch = new AndersonScratch();
    fc.assert(
      fc.property(sample(300), sample(600), (a, b) => {
        const sa = sorted(a);
        const sb = sorted(b);
        if (a.length >= 2 && b.length >= 2)
          expect(cramerVonMises2sampSorted(sa, sb)).toEqual(cramerVonMises2samp(a, b));
        let raw: ReturnType<typeof andersonKsamp> | Error;
        try {
          raw = andersonKsamp(a, b);
        } catch (error) {
          raw = error as Error;
        }
        if (raw instanceof Error) expect(() => andersonKsampSorted(sa, sb, scratch)).toThrow(raw.message);
        else expect(andersonKsampSorted(sa, sb, scratch)).toEqual(raw);
      }),
      { numRuns: 300 },
    );
  });

  test('the sorted forms refuse samples that are too small with the messages of the raw forms', () => {
    expect(() => cramerVonMises2sampSorted(Float64Array.of(1), Float64Array.of(2, 3))).toThrow(
      'cramerVonMises2samp(a): needs at least 2 observations, got 1',
    );
    expect(() => cramerVonMises2sampSorted(Float64Array.of(1, 2), Float64Array.of(3))).toThrow(
      'cramerVonMises2samp(b): needs at least 2 observations, got 1',
    );
    expect(() => andersonKsampSorted(Float64Array.of(1, 2, 3), new Float64Array(0))).toThrow(
      'andersonKsamp(b): needs at least 1 observation, got 0',
    );
  });
});
