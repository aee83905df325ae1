/**
 * Reference profiles turned into the typed arrays the tests read, once per profile rather than
 * once per evaluation: the sorted sample as a Float64Array (never re-sorted) with its KS bucket
 * index, bin edges, reference bin counts, and categorical counts in the window's code order.
 */
import { OTHER_CATEGORY } from '../../../spec/src/conventions';
import type { CategoricalFeatureProfile, NumericFeatureProfile } from '../profile/reference-profile';
import { indexKsReference, type KsReferenceIndex } from '../stats';

/** A numeric reference ready for the sample tests (sorted sample) and the binned tests (edges, counts). */
export interface NumericReference {
  readonly kind: 'numeric';
  /** The profile's sample, ascending and finite (checked once here). */
  readonly sorted: Float64Array;
  /**
   * Non-missing values of the reference (the profile's count): more than `sorted` holds when the profile
   * keeps an even subsample, which stands for all of them (its ECDF is within 1/(2·sample size) of theirs).
   */
  readonly count: number;
  /** The sample's bucket index, so KS never sorts a whole window. */
  readonly ksIndex: KsReferenceIndex;
  /** Inner bin edges (the reference deciles), ascending. */
  readonly edges: Float64Array;
  /** Reference count per bin: proportion × count, so chi-square sees the reference's real size. */
  readonly binCounts: Float64Array;
  /** Reference standard deviation, which normalises the Wasserstein distance. */
  readonly std: number;
}

/** A categorical reference: counts indexed like the window's codes (spec categories in order, then `__other__`). */
export interface CategoricalReference {
  readonly kind: 'categorical';
  /** Category names by code; the last one is `__other__`. */
  readonly labels: readonly string[];
  readonly counts: Float64Array;
}

export type PreparedReference = NumericReference | CategoricalReference;

// A module-level alias: the check below runs once per reference value, and global lookups are slow
// where code runs inside a vm context (Jest); a local binding costs nothing anywhere.
const isFiniteNumber = Number.isFinite;

/** Profiles are immutable once loaded, so their arrays are prepared once and shared by every evaluation. */
const numericCache = new WeakMap<NumericFeatureProfile, NumericReference>();

/**
 * The typed arrays of a numeric profile, cached per profile object; throws naming `where` (e.g. the feature)
 * when the sample is not ascending and finite or the proportions do not match the edges.
 */
export function prepareNumericReference(profile: NumericFeatureProfile, where: string): NumericReference {
  const cached = numericCache.get(profile);
  if (cached !== undefined) return cached;
  const sorted = checkedSortedSample(profile.sample, where);
  if (profile.count < sorted.length)
    throw new RangeError(
      `${where}: reference count ${profile.count} is smaller than its sample of ${sorted.length} values`,
    );
  const prepared: NumericReference = {
    kind: 'numeric',
    sorted,
    count: profile.count,
    ksIndex: indexKsReference(sorted),
    edges: checkedEdges(profile.edges, where),
    binCounts: binCountsOf(profile, where),
    std: profile.std,
  };
  numericCache.set(profile, prepared);
  return prepared;
}

/**
 * Reference counts in code order for the given category names (the spec's categories, or a model's
 * classes), with `__other__` last; profile categories the names do not list are folded into `__other__`,
 * as the window does with unseen values.
 */
export function prepareCategoricalReference(
  profile: CategoricalFeatureProfile,
  names: readonly string[],
): CategoricalReference {
  const labels = [...names, OTHER_CATEGORY];
  const index = new Map(labels.map((label, i) => [label, i] as const));
  const counts = new Float64Array(labels.length);
  const otherCode = labels.length - 1;
  for (const [category, count] of Object.entries(profile.categories)) {
    const code = index.get(category) ?? otherCode;
    counts[code] = (counts[code] as number) + count;
  }
  return { kind: 'categorical', labels, counts };
}

function checkedSortedSample(sample: readonly number[], where: string): Float64Array {
  const out = Float64Array.from(sample);
  for (let i = 0; i < out.length; i++) {
    const v = out[i] as number;
    if (!isFiniteNumber(v)) throw new RangeError(`${where}: reference sample[${i}] is not a finite number (got ${v})`);
    // The sample tests walk the reference without sorting it: an unsorted profile would give wrong answers silently.
    if (i > 0 && v < (out[i - 1] as number)) {
      throw new RangeError(
        `${where}: reference sample is not sorted ascending at index ${i} (${out[i - 1]} then ${v})`,
      );
    }
  }
  if (out.length === 0) throw new RangeError(`${where}: reference sample is empty`);
  return out;
}

function checkedEdges(edges: readonly number[], where: string): Float64Array {
  for (let i = 1; i < edges.length; i++) {
    if ((edges[i] as number) < (edges[i - 1] as number)) {
      throw new RangeError(
        `${where}: reference edges are not ascending at index ${i} (${edges[i - 1]} then ${edges[i]})`,
      );
    }
  }
  return Float64Array.from(edges);
}

function binCountsOf(profile: NumericFeatureProfile, where: string): Float64Array {
  const bins = profile.edges.length + 1;
  if (profile.proportions.length !== bins) {
    throw new RangeError(
      `${where}: reference has ${profile.edges.length} edges, so ${bins} proportions, but got ${profile.proportions.length}`,
    );
  }
  return Float64Array.from(profile.proportions, (p) => p * profile.count);
}
