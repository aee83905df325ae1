import fc from 'fast-check';
import { andersonKsamp } from '../../../drift/src/stats/anderson-darling';
import { chi2Contingency } from '../../../drift/src/stats/chi2-contingency';
import { cramerVonMises2samp } from '../../../drift/src/stats/cramer-von-mises';
import { jensenShannon } from '../../../drift/src/stats/jensen-shannon';
import { benjaminiHochberg, bonferroni } from '../../../drift/src/stats/multiple-testing';
import { binCounts, psi, psiFromCounts, proportionsWithEpsilon, quantileEdges } from '../../../drift/src/stats/psi';
import { wasserstein } from '../../../drift/src/stats/wasserstein';

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const sample = (minLength: number, maxLength: number) => fc.array(finite, { minLength, maxLength });
// Small integers produce the ties that real categorical-ish numeric features have.
const tiedSample = (minLength: number, maxLength: number) =>
  fc.array(fc.integer({ min: 0, max: 6 }), { minLength, maxLength });
const countPair = fc
  .integer({ min: 1, max: 12 })
  .chain((k) =>
    fc.tuple(
      fc.array(fc.nat(500), { minLength: k, maxLength: k }),
      fc.array(fc.nat(500), { minLength: k, maxLength: k }),
    ),
  );
const pValues = fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.05)), {
  maxLength: 60,
});

const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
const inUnitInterval = (p: number): boolean => p >= 0 && p <= 1;

describe('symmetry', () => {
  test('the Jensen–Shannon distance is symmetric and lies in [0, 1]', () => {
    fc.assert(
      fc.property(countPair, ([p, q]) => {
        fc.pre(sum(p) > 0 && sum(q) > 0);
        const d = jensenShannon(p, q);
        expect(jensenShannon(q, p)).toBe(d);
        expect(inUnitInterval(d)).toBe(true);
      }),
    );
  });

  test('the Wasserstein distance is symmetric and non-negative', () => {
    fc.assert(
      fc.property(sample(1, 40), sample(1, 40), (a, b) => {
        const d = wasserstein(a, b);
        expect(wasserstein(b, a)).toBe(d);
        expect(d).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('p-values lie in [0, 1]', () => {
  test('chi-square homogeneity, with and without correction', () => {
    fc.assert(
      fc.property(countPair, fc.boolean(), ([ref, cur], correction) => {
        // Tables with an all-zero category or an empty sample are rejected by design.
        fc.pre(ref.every((r, j) => r + (cur[j] as number) > 0) && sum(ref) > 0 && sum(cur) > 0);
        const { pvalue, statistic } = chi2Contingency(ref, cur, { correction });
        expect(inUnitInterval(pvalue)).toBe(true);
        expect(statistic).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  test('Cramér–von Mises, exact (small samples)', () => {
    fc.assert(
      fc.property(tiedSample(2, 9), sample(2, 9), (a, b) => {
        const result = cramerVonMises2samp(a, b);
        expect(result.method).toBe('exact');
        expect(inUnitInterval(result.pvalue)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  test('Cramér–von Mises, asymptotic (larger samples)', () => {
    fc.assert(
      fc.property(tiedSample(21, 80), sample(2, 80), (a, b) => {
        const result = cramerVonMises2samp(a, b);
        expect(result.method).toBe('asymptotic');
        expect(inUnitInterval(result.pvalue)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  test('Anderson–Darling significance level stays within the table [0.001, 0.25]', () => {
    fc.assert(
      fc.property(tiedSample(1, 40), sample(1, 40), (a, b) => {
        fc.pre(a.length + b.length >= 4 && new Set([...a, ...b]).size >= 2);
        const { significanceLevel } = andersonKsamp(a, b);
        expect(significanceLevel).toBeGreaterThanOrEqual(0.001);
        expect(significanceLevel).toBeLessThanOrEqual(0.25);
      }),
    );
  });

  test('Bonferroni and Benjamini–Hochberg adjusted p-values', () => {
    fc.assert(
      fc.property(pValues, (ps) => {
        expect(Array.from(bonferroni(ps)).every(inUnitInterval)).toBe(true);
        expect(Array.from(benjaminiHochberg(ps)).every(inUnitInterval)).toBe(true);
      }),
    );
  });
});

describe('Benjamini–Hochberg', () => {
  test('is monotone along the sorted raw p-values, never below the raw p and never above Bonferroni', () => {
    fc.assert(
      fc.property(pValues, (ps) => {
        const adjusted = benjaminiHochberg(ps);
        const bonf = bonferroni(ps);
        const order = ps.map((_, i) => i).sort((i, j) => (ps[i] as number) - (ps[j] as number) || i - j);
        for (let r = 1; r < order.length; r++) {
          expect(adjusted[order[r] as number]).toBeGreaterThanOrEqual(adjusted[order[r - 1] as number] as number);
        }
        ps.forEach((p, i) => {
          expect(adjusted[i]).toBeGreaterThanOrEqual(p);
          expect(adjusted[i]).toBeLessThanOrEqual(bonf[i] as number);
        });
      }),
    );
  });
});

describe('identical samples give a statistic of 0', () => {
  test('Jensen–Shannon on identical weights', () => {
    fc.assert(
      fc.property(countPair, ([p]) => {
        fc.pre(sum(p) > 0);
        expect(jensenShannon(p, p.slice())).toBe(0);
      }),
    );
  });

  test('Wasserstein on a sample and a permutation of it', () => {
    fc.assert(
      fc.property(sample(1, 60), (a) => {
        expect(wasserstein(a, a.slice().reverse())).toBe(0);
      }),
    );
  });

  test('PSI on identical counts and on a sample binned against its own deciles', () => {
    fc.assert(
      fc.property(countPair, sample(1, 80), ([counts], values) => {
        fc.pre(sum(counts) > 0);
        expect(psiFromCounts(counts, counts.slice())).toBe(0);
        const edges = quantileEdges(Float64Array.from(values).sort());
        const props = proportionsWithEpsilon(binCounts(edges, values));
        expect(psi(props, props.slice())).toBe(0);
      }),
    );
  });
});
