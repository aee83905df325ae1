import { Random } from '../../../cli/src/demo/random';
import { runFeatureTest } from '../../../drift/src/engine/feature-test';
import { prepareCategoricalReference, prepareNumericReference } from '../../../drift/src/engine/prepared-reference';
import { WASSERSTEIN_ZERO_STD_SCALE } from '../../../drift/src/engine/sample-tests';
import { evenSample } from '../../../drift/src/profile/build-profile';
import {
  andersonKsamp,
  binCounts,
  chi2Contingency,
  cramerVonMises2samp,
  jensenShannon,
  ks2samp,
  psi,
  proportionsWithEpsilon,
  wasserstein,
} from '../../../drift/src/stats';
import { Stream, categoricalProfile, numericProfile } from './fixtures';

const stream = new Stream(new Random(42));
const referenceValues = stream.normals(3000, 10, 2);
const reference = prepareNumericReference(numericProfile('x', referenceValues), 'feature "x"');
const windowValues = stream.normals(400, 10.3, 2);
const numericWindow = { kind: 'numeric', values: windowValues } as const;

describe('sample tests on numeric features', () => {
  test('ks matches ks2samp on the same data, and its effect size is D', () => {
    const result = runFeatureTest('ks', reference, numericWindow);
    const expected = ks2samp(windowValues, referenceValues, { method: 'asymp' });
    expect(result).toEqual({
      test: 'ks',
      statistic: expected.statistic,
      pvalue: expected.pvalue,
      effectSize: expected.statistic,
    });
  });

  test('ks uses the exact p-value while n1·n2 stays small', () => {
    const small = prepareNumericReference(numericProfile('y', referenceValues.subarray(0, 500)), 'feature "y"');
    const window = windowValues.subarray(0, 200);
    const expected = ks2samp(window, referenceValues.subarray(0, 500));
    expect(expected.method).toBe('exact');
    expect(runFeatureTest('ks', small, { kind: 'numeric', values: window }).pvalue).toBe(expected.pvalue);
  });

  test('ks against a profile that keeps a subsample takes the p-value of the whole reference, D within 1/(2k) of its D', () => {
    const full = stream.normals(40_000, 10, 2).sort();
    const k = 4000;
    const subsampled = prepareNumericReference(
      { ...numericProfile('s', evenSample(full, k)), count: full.length },
      'feature "s"',
    );
    const window = stream.normals(3000, 10.1, 2);
    const result = runFeatureTest('ks', subsampled, { kind: 'numeric', values: window });
    const whole = ks2samp(window, full, { method: 'asymp' });
    expect(Math.abs(result.statistic - whole.statistic)).toBeLessThanOrEqual(1 / (2 * k));
    // Here p ≈ 0.072 against the whole reference; the 1/(2k) move of D moves it by about 1% of itself.
    expect(Math.abs((result.pvalue as number) / whole.pvalue - 1)).toBeLessThan(0.05);
    // Taken at the sample's own size, the p-value would be several times larger: the test would lose power.
    expect(ks2samp(window, evenSample(full, k), { method: 'asymp' }).pvalue).toBeGreaterThan(3 * whole.pvalue);
  });

  test('cvm and anderson match their statistics and report KS D as effect size', () => {
    // The raw ECDF gap (exact mode would round it to h / lcm(n1, n2)).
    const d = ks2samp(windowValues, referenceValues, { method: 'asymp' }).statistic;
    const cvm = cramerVonMises2samp(windowValues, referenceValues);
    expect(runFeatureTest('cvm', reference, numericWindow)).toEqual({
      test: 'cvm',
      statistic: cvm.statistic,
      pvalue: cvm.pvalue,
      effectSize: d,
    });
    const ad = andersonKsamp(windowValues, referenceValues);
    // AD's capped significance level stands in for its p-value.
    expect(runFeatureTest('anderson', reference, numericWindow)).toEqual({
      test: 'anderson',
      statistic: ad.statistic,
      pvalue: ad.significanceLevel,
      effectSize: d,
    });
  });

  test('cvm and anderson refuse infinite or too few window values with the messages of their raw forms', () => {
    const infinite = { kind: 'numeric', values: Float64Array.of(1, 2, Infinity) } as const;
    expect(() => runFeatureTest('cvm', reference, infinite)).toThrow(
      'cramerVonMises2samp(a): value at index 2 is not a finite number (got Infinity)',
    );
    expect(() => runFeatureTest('anderson', reference, infinite)).toThrow(
      'andersonKsamp(a): value at index 2 is not a finite number (got Infinity)',
    );
    expect(() => runFeatureTest('cvm', reference, { kind: 'numeric', values: Float64Array.of(1) })).toThrow(
      'cramerVonMises2samp(a): needs at least 2 observations, got 1',
    );
  });

  test('wasserstein is divided by the reference standard deviation and has no p-value', () => {
    const result = runFeatureTest('wasserstein', reference, numericWindow);
    expect(result.pvalue).toBeNull();
    expect(result.statistic).toBeCloseTo(wasserstein(windowValues, referenceValues) / reference.std, 12);
    expect(result.effectSize).toBe(result.statistic);
  });

  test('wasserstein on a constant reference divides by a small fixed scale instead of 0', () => {
    const constant = prepareNumericReference(numericProfile('c', [5, 5, 5, 5]), 'feature "c"');
    expect(constant.std).toBe(0);
    expect(runFeatureTest('wasserstein', constant, { kind: 'numeric', values: Float64Array.of(5, 5) }).statistic).toBe(
      0,
    );
    const moved = runFeatureTest('wasserstein', constant, {
      kind: 'numeric',
      values: Float64Array.of(5.01, 5.01),
    }).statistic;
    expect(moved).toBeCloseTo(0.01 / WASSERSTEIN_ZERO_STD_SCALE, 9);
  });

  test('the window may arrive in any order: the tests sort their own copy', () => {
    const reversed = Float64Array.from(windowValues).reverse();
    expect(runFeatureTest('ks', reference, { kind: 'numeric', values: reversed })).toEqual(
      runFeatureTest('ks', reference, numericWindow),
    );
    expect(Array.from(reversed)).toEqual(Array.from(windowValues).reverse());
  });
});

describe('count tests on numeric features use the reference decile bins', () => {
  const windowCounts = Array.from(binCounts(reference.edges, windowValues));

  test('psi compares the window bin shares with the profile proportions', () => {
    const result = runFeatureTest('psi', reference, numericWindow);
    expect(result.pvalue).toBeNull();
    expect(result.statistic).toBeCloseTo(
      psi(proportionsWithEpsilon(reference.binCounts), proportionsWithEpsilon(windowCounts)),
      12,
    );
  });

  test('jensenshannon compares the same bins', () => {
    expect(runFeatureTest('jensenshannon', reference, numericWindow).statistic).toBe(
      jensenShannon(reference.binCounts, windowCounts),
    );
  });

  test('chi2 tests the bin counts against the reference counts (proportion × reference size)', () => {
    const expected = chi2Contingency(reference.binCounts, windowCounts);
    expect(runFeatureTest('chi2', reference, numericWindow)).toMatchObject({
      test: 'chi2',
      statistic: expected.statistic,
      pvalue: expected.pvalue,
    });
  });

  test('chi2 on a few-valued numeric feature drops the bins that duplicate edges leave empty on both sides', () => {
    const fewValued = prepareNumericReference(numericProfile('n', [0, 0, 0, 0, 0, 1, 1, 1, 2, 2]), 'feature "n"');
    const values = Float64Array.of(0, 1, 2, 2, 2, 2);
    const result = runFeatureTest('chi2', fewValued, { kind: 'numeric', values });
    const windowCounts = Array.from(binCounts(fewValued.edges, values));
    const kept = Array.from(fewValued.binCounts, (count, i) => [count, windowCounts[i] as number]).filter(
      ([r, w]) => (r as number) + (w as number) > 0,
    );
    // The case must exercise the dropping: some bins are empty on both sides.
    expect(kept.length).toBeLessThan(fewValued.binCounts.length);
    const expected = chi2Contingency(
      kept.map(([r]) => r as number),
      kept.map(([, w]) => w as number),
    );
    expect(result).toMatchObject({ statistic: expected.statistic, pvalue: expected.pvalue });
    // Kept empty bins would make both NaN, which would compare equal above.
    expect([Number.isFinite(expected.statistic), Number.isFinite(expected.pvalue)]).toEqual([true, true]);
  });
});

describe('count tests on categorical features', () => {
  const labels = ['a', 'b', 'c'];
  const ref = prepareCategoricalReference(categoricalProfile('c', { a: 500, b: 300, c: 200 }), labels);

  test('chi2 effect size is the total variation distance between the shares', () => {
    // Shares 0.5/0.3/0.2/0 against 0.4/0.3/0.3/0: half the L1 distance is 0.1.
    const result = runFeatureTest('chi2', ref, { kind: 'categorical', counts: Float64Array.of(40, 30, 30, 0) });
    expect(result.effectSize).toBeCloseTo(0.1, 12);
    expect(result.statistic).toBe(chi2Contingency([500, 300, 200], [40, 30, 30]).statistic);
  });

  test('a new category (__other__) in the window is itself drift', () => {
    const result = runFeatureTest('chi2', ref, { kind: 'categorical', counts: Float64Array.of(250, 150, 100, 100) });
    expect(result.pvalue).toBeLessThan(1e-10);
    expect(result.effectSize).toBeCloseTo(100 / 600, 12);
    expect(
      runFeatureTest('jensenshannon', ref, { kind: 'categorical', counts: Float64Array.of(250, 150, 100, 100) })
        .statistic,
    ).toBeGreaterThan(0.2);
  });

  test('a sample test on categories is refused', () => {
    expect(() => runFeatureTest('ks', ref, { kind: 'categorical', counts: Float64Array.of(1, 1, 1, 0) })).toThrow(
      'drift test "ks" needs numeric values',
    );
  });
});
