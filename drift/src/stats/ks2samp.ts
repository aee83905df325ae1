/**
 * Two-sided two-sample Kolmogorov–Smirnov test, matching `scipy.stats.ks_2samp`
 * (SciPy 1.10.1) value for value: statistic, p-value, method choice, location, sign.
 */
import { gcd, ksExactPvalue } from './ks-exact';
import { ksStatisticBucketed } from './ks-bucketed';
import { type KsReferenceIndex, type KsScratch, ksStatisticIndexed } from './ks-indexed';
import { RADIX_SUPPORTED, sortPooled } from './ks-pooled-sort';
import { sortedCopy } from './ks-sort';
import { KsExtremes, type KsStatistic, ksStatisticPresorted, ksStatisticSorted, scanPooled } from './ks-statistic';
import { kstwoSf } from './kstwo';
import { roundHalfEven } from './round-half-even';

/** How to compute the p-value; 'auto' is exact when max(n1, n2) <= 10000, as in SciPy. */
export type KsMethod = 'auto' | 'exact' | 'asymp';

/** Options of {@link ks2samp}. */
export interface Ks2sampOptions {
  /** P-value method (default 'auto'). */
  method?: KsMethod;
}

/** Result of {@link ks2samp}; field meanings follow SciPy's `KstestResult`. */
export interface Ks2sampResult {
  /** max |F_a - F_b|; in exact mode h / lcm(n1, n2), in asymp mode the raw ECDF difference. */
  statistic: number;
  /** Two-sided p-value in [0, 1]; NaN only for n1 = n2 = 1 in asymp mode (as SciPy). */
  pvalue: number;
  /** The method actually applied after SciPy's fallbacks. */
  method: 'exact' | 'asymp';
  /** Pooled data value where the statistic is first attained. */
  statisticLocation: number;
  /** +1 if F_a - F_b attains the statistic (ties too), -1 if F_b - F_a exceeds it. */
  statisticSign: 1 | -1;
}

/** SciPy's MAX_AUTO_N: 'auto' stays exact up to and including this larger sample size. */
const MAX_AUTO_N = 10_000;
/** From this many pooled values on, bucketing / radix sorting beat the built-in sort. */
const FAST_PATH_MIN_TOTAL = 4096;
/** SciPy gives up on exact mode when lcm(n1, n2) would not fit an int32. */
const INT32_MAX = 2_147_483_647;

/**
 * Two-sided two-sample KS test of `a` against `b` (plain or typed arrays of finite or
 * infinite numbers); throws a RangeError for an empty sample or a NaN value.
 */
export function ks2samp(a: ArrayLike<number>, b: ArrayLike<number>, options: Ks2sampOptions = {}): Ks2sampResult {
  const method = checkedMethod(options.method);
  if (a.length === 0) throw new RangeError('ks2samp: sample a is empty; both samples need at least one value');
  if (b.length === 0) throw new RangeError('ks2samp: sample b is empty; both samples need at least one value');
  const { statistic, location, sign } = computeStatistic(a, b);
  return { ...ksPvalue(statistic, a.length, b.length, method), statisticLocation: location, statisticSign: sign };
}

/** Options of {@link ks2sampIndexed}. */
export interface Ks2sampIndexedOptions extends Ks2sampOptions {
  /**
   * The size of the reference the indexed sample stands for, when it is an even quantile subsample of a
   * larger one (a profile's `count`; default: the sample's own size). The subsample's ECDF is within
   * 1/(2·sample size) of the full reference's, so D is too, and the p-value is the asymptotic one at this
   * size: the p-value of the window against the full reference rather than against a smaller sample.
   * Only method 'auto' or 'asymp' applies (the exact distribution needs both samples whole).
   */
  referenceSize?: number;
}

/** Result of {@link ks2sampPresorted}: {@link Ks2sampResult} without the location and sign. */
export type Ks2sampPresortedResult = Pick<Ks2sampResult, 'statistic' | 'pvalue' | 'method'>;

/**
 * {@link ks2samp} for two non-empty samples already sorted ascending and free of NaN (unchecked: the
 * caller owns that guarantee), e.g. a live window against a reference profile's sorted sample: same
 * statistic and p-value, without sorting or copying either sample.
 */
export function ks2sampPresorted(
  a: Float64Array,
  b: Float64Array,
  options: Ks2sampOptions = {},
): Ks2sampPresortedResult {
  const method = checkedMethod(options.method);
  if (a.length === 0) throw new RangeError('ks2sampPresorted: sample a is empty; both samples need at least one value');
  if (b.length === 0) throw new RangeError('ks2sampPresorted: sample b is empty; both samples need at least one value');
  return ksPvalue(ksStatisticPresorted(a, b), a.length, b.length, method);
}

/**
 * {@link ks2sampPresorted} for a window in any order (non-empty, NaN-free; unchecked) against an indexed
 * reference: same statistic and p-value, without sorting the window (see ks-indexed.ts); `scratch`
 * lends the work arrays when one is given. The sizes are the window's and the reference sample's.
 */
export function ks2sampIndexed(
  window: Float64Array,
  reference: KsReferenceIndex,
  options: Ks2sampIndexedOptions = {},
  scratch?: KsScratch,
): Ks2sampPresortedResult {
  const method = checkedMethod(options.method);
  if (window.length === 0)
    throw new RangeError('ks2sampIndexed: the window is empty; both samples need at least one value');
  const sampleSize = reference.sorted.length;
  const referenceSize = options.referenceSize ?? sampleSize;
  if (referenceSize === sampleSize)
    return ksPvalue(ksStatisticIndexed(window, reference, scratch), window.length, sampleSize, method);
  if (!(Number.isInteger(referenceSize) && referenceSize > sampleSize)) {
    throw new RangeError(
      `ks2sampIndexed: referenceSize must be a whole number >= the sample's ${sampleSize} values, got ${referenceSize}`,
    );
  }
  if (method === 'exact')
    throw new RangeError(
      `ks2sampIndexed: method 'exact' needs the whole reference, but the sample holds ${sampleSize} of ${referenceSize} values`,
    );
  const statistic = ksStatisticIndexed(window, reference, scratch);
  return { statistic, pvalue: asympPvalue(statistic, window.length, referenceSize), method: 'asymp' };
}

/** The method a caller asked for, checked at run time: JavaScript callers and parsed options are not typed. */
function checkedMethod(method: unknown): KsMethod {
  const m = method ?? 'auto';
  if (m !== 'auto' && m !== 'exact' && m !== 'asymp') {
    throw new RangeError(`ks2samp: method must be 'auto', 'exact' or 'asymp', got ${JSON.stringify(m)}`);
  }
  return m;
}

/** The p-value of statistic D for sizes n1, n2 by SciPy's method rule (exact mode reports D as h / lcm). */
function ksPvalue(statistic: number, n1: number, n2: number, method: KsMethod): Ks2sampPresortedResult {
  if (useExact(method, n1, n2)) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(statistic * lcm);
    const d = h / lcm;
    const p = ksExactPvalue(n1, n2, h);
    // SciPy falls back to asymp (keeping d = h/lcm) when the exact sum breaks down.
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic: d, pvalue: p, method: 'exact' };
    return { statistic: d, pvalue: asympPvalue(d, n1, n2), method: 'asymp' };
  }
  return { statistic, pvalue: asympPvalue(statistic, n1, n2), method: 'asymp' };
}

/**
 * Large inputs: sort only the buckets that can hold the extremes, else a pooled radix
 * sort and one scan. Small inputs: built-in sort and a merge walk. All agree exactly.
 */
function computeStatistic(a: ArrayLike<number>, b: ArrayLike<number>): KsStatistic {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 + n2 < FAST_PATH_MIN_TOTAL || !RADIX_SUPPORTED)
    return ksStatisticSorted(sortedCopy(a, 'a'), sortedCopy(b, 'b'));
  const bucketed = ksStatisticBucketed(a, b);
  if (bucketed !== undefined) return bucketed;
  const { values, fromA } = sortPooled(a, b);
  const ext = new KsExtremes();
  scanPooled(values, fromA, 0, values.length, { i0: 0, j0: 0, n1, n2 }, ext);
  return ext.result();
}

/** SciPy's method rule: 'auto' by size; 'exact' unless lcm(n1, n2) overflows int32. */
function useExact(method: KsMethod, n1: number, n2: number): boolean {
  if (method === 'asymp') return false;
  if (method === 'auto') return Math.max(n1, n2) <= MAX_AUTO_N;
  const g = gcd(n1, n2);
  return n1 / g < INT32_MAX / (n2 / g);
}

/**
 * kstwo.sf(d, round_half_even(n1 n2 / (n1 + n2))). For n1 = n2 = 1 the effective n is
 * round(0.5) = 0 and the distribution does not exist: we return NaN, as SciPy does.
 */
function asympPvalue(d: number, n1: number, n2: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = roundHalfEven((m * n) / (m + n));
  return kstwoSf(d, en);
}
