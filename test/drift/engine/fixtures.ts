/**
 * Builders for drift-engine tests: reference profiles from samples (as `mlwatch profile` would
 * build them), window snapshots, the drift config with the spec's defaults, and seeded samplers.
 */
import { driftSchema } from '../../../spec/src/schema';
import type { Random } from '../../../cli/src/demo/random';
import type { DriftVerdictConfig } from '../../../drift/src/engine/verdicts';
import type {
  CategoricalFeatureProfile,
  NumericFeatureProfile,
  ReferenceProfile,
} from '../../../drift/src/profile/reference-profile';
import { PROFILE_FORMAT } from '../../../drift/src/profile/reference-profile';
import { DECILE_PROBS } from '../../../drift/src/stats';
import type { WindowSnapshot } from '../../../drift/src/window-snapshot';

/** The profile's cap on `unique`, as the profile builder's default. */
export const UNIQUE_LIMIT = 1000;

/** The spec's drift section with its defaults, plus overrides. */
export function driftConfig(overrides: Record<string, unknown> = {}): DriftVerdictConfig {
  return driftSchema.parse(overrides);
}

/** A numeric feature profile of an ascending sample (the whole reference: count = sample size). */
export function numericProfileSorted(name: string, sorted: Float64Array): NumericFeatureProfile {
  const n = sorted.length;
  const edges = deciles(sorted);
  const counts = sortedBinCounts(edges, sorted);
  // Plain loops rather than Array.from: typed-array iteration is slow under Jest, and this runs 20,000 times.
  const sample = new Array<number>(n);
  let sum = 0;
  let unique = n > 0 ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number;
    sample[i] = v;
    sum += v;
    if (i > 0 && v !== sorted[i - 1]) unique++;
  }
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += ((sorted[i] as number) - mean) * ((sorted[i] as number) - mean);
  const proportions = new Array<number>(counts.length);
  for (let b = 0; b < counts.length; b++) proportions[b] = (counts[b] as number) / n;
  return {
    name,
    type: 'numeric',
    count: n,
    missing: 0,
    sample,
    edges: Array.from(edges),
    proportions,
    mean,
    std: Math.sqrt(squares / n),
    unique: Math.min(unique, UNIQUE_LIMIT),
  };
}

/**
 * NumPy's linear quantiles at 0.1 … 0.9 of an ascending sample, as the profile builder takes them
 * (stats' quantileEdges checks every value first, which Jest's slow global lookups make costly here).
 */
function deciles(sorted: Float64Array): Float64Array {
  const n = sorted.length;
  return Float64Array.from(DECILE_PROBS, (q) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const below = sorted[lo] as number;
    return lo + 1 < n ? below + ((sorted[lo + 1] as number) - below) * (h - lo) : below;
  });
}

/**
 * binCounts for an ascending sample, from the positions of the edges: bin b is [e_{b-1}, e_b) (a value on
 * an edge counts in the bin above it), so it holds the values below e_b minus those below e_{b-1}.
 */
function sortedBinCounts(edges: Float64Array, sorted: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let previous = 0;
  for (let b = 0; b <= edges.length; b++) {
    const upTo = b < edges.length ? countBelow(sorted, edges[b] as number) : sorted.length;
    counts[b] = upTo - previous;
    previous = upTo;
  }
  return counts;
}

/** The number of values < x in an ascending array. */
function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A numeric feature profile of a sample in any order. */
export function numericProfile(name: string, values: ArrayLike<number>): NumericFeatureProfile {
  return numericProfileSorted(name, Float64Array.from(values).sort());
}

/** A categorical feature profile from reference counts per category (`__other__` included when given). */
export function categoricalProfile(name: string, categories: Record<string, number>): CategoricalFeatureProfile {
  const count = Object.values(categories).reduce((a, b) => a + b, 0);
  return { name, type: 'categorical', count, missing: 0, categories };
}

/** A reference profile of one model from its feature profiles (and outputs). */
export function referenceProfile(
  model: string,
  features: ReferenceProfile['features'],
  outputs?: ReferenceProfile['outputs'],
): ReferenceProfile {
  return {
    format: PROFILE_FORMAT,
    model,
    source: { file: 'reference.csv', rows: Math.max(...features.map((f) => f.count + f.missing)) },
    sample_limit: 50_000,
    unique_limit: UNIQUE_LIMIT,
    features,
    ...(outputs !== undefined ? { outputs } : {}),
  };
}

/** Columns of a window snapshot; size defaults to the longest column. */
export interface SnapshotColumns {
  numeric?: Record<string, Float64Array>;
  categorical?: Record<string, Int32Array>;
  predictedClasses?: Int32Array;
  outputs?: Float64Array;
  confidences?: Float64Array;
  size?: number;
}

/** A window snapshot of `model` holding the given columns. */
export function snapshot(model: string, columns: SnapshotColumns): WindowSnapshot {
  const numeric = new Map(Object.entries(columns.numeric ?? {}));
  const categorical = new Map(Object.entries(columns.categorical ?? {}));
  const lengths = [...numeric.values(), ...categorical.values()].map((c) => c.length);
  const size = columns.size ?? Math.max(0, ...lengths, columns.confidences?.length ?? 0);
  return {
    model,
    size,
    numeric,
    categorical,
    confidences: columns.confidences ?? new Float64Array(size).fill(NaN),
    ...(columns.predictedClasses !== undefined ? { predictedClasses: columns.predictedClasses } : {}),
    ...(columns.outputs !== undefined ? { outputs: columns.outputs } : {}),
  };
}

// Jest runs tests in a vm context where every lookup of a global such as Math costs ~20x a plain
// call; the samplers below run hundreds of millions of times, so they hold local references.
const { imul, log, sqrt, cos } = Math;
const TWO_PI = 2 * Math.PI;
const UINT32_TO_UNIT = 1 / 4294967296;

/**
 * A fast seeded stream for the statistical tests: xoshiro128** (the algorithm of the demo's Random),
 * seeded from a Random so one seed fixes everything, with local math so it stays fast under Jest.
 */
export class Stream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: Random) {
    this.s0 = seed.nextUint32() | 1;
    this.s1 = seed.nextUint32();
    this.s2 = seed.nextUint32();
    this.s3 = seed.nextUint32();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const result = imul(rotl(imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result * UINT32_TO_UNIT;
  }

  /** n normal draws (Box–Muller, cosine branch only: simple and still exact in law). */
  normals(n: number, mean = 0, std = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = mean + std * sqrt(-2 * log(1 - this.next())) * cos(TWO_PI * this.next());
    return out;
  }

  /** n uniform draws in [0, 1). */
  uniforms(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next();
    return out;
  }

  /**
   * A reference of nRef values (ascending) and a window of nWindow values from one continuous
   * distribution. With no drift a rank test such as KS only sees which of the N = nRef + nWindow pooled
   * positions the window takes, a uniformly random choice whatever the distribution; so the pooled values
   * are the grid (t + 1) / (N + 1) and only the split is drawn.
   * Exact in law for rank tests, and no sorting.
   */
  nullPair(nRef: number, nWindow: number): { reference: Float64Array; window: Float64Array } {
    const total = nRef + nWindow;
    const inWindow = this.subset(total, nWindow);
    const reference = new Float64Array(nRef);
    const window = new Float64Array(nWindow);
    let r = 0;
    let w = 0;
    for (let t = 0; t < total; t++) {
      const value = (t + 1) / (total + 1);
      if (inWindow[t] === 1) window[w++] = value;
      else reference[r++] = value;
    }
    return { reference, window };
  }

  /** A uniformly random k-subset of 0 … n - 1 as 0/1 marks, with k draws (Floyd's algorithm). */
  subset(n: number, k: number): Uint8Array {
    const marks = new Uint8Array(n);
    for (let j = n - k; j < n; j++) {
      const t = (this.next() * (j + 1)) | 0;
      if (marks[t] === 1) marks[j] = 1;
      else marks[t] = 1;
    }
    return marks;
  }

  /** n category codes drawn with the given shares (code i with probability shares[i] / sum). */
  codes(n: number, shares: readonly number[]): Int32Array {
    const { cumulative, guide } = guideTable(shares);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const u = this.next();
      let code = guide[(u * GUIDE_SIZE) | 0] as number;
      while (u >= (cumulative[code] as number)) code++;
      out[i] = code;
    }
    return out;
  }
}

/** Entries of a guide table: enough that the search after the lookup is almost always one step. */
const GUIDE_SIZE = 64;

/**
 * Cumulative shares (ending exactly at 1) and a guide table (Chen & Asau): guide[g] is the first code whose
 * cumulative share exceeds g / GUIDE_SIZE, so sampling starts its search there.
 */
function guideTable(shares: readonly number[]): { cumulative: Float64Array; guide: Int32Array } {
  const total = shares.reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(shares.length);
  let acc = 0;
  shares.forEach((share, i) => (cumulative[i] = acc += share / total));
  cumulative[shares.length - 1] = 1;
  const guide = new Int32Array(GUIDE_SIZE);
  let code = 0;
  for (let g = 0; g < GUIDE_SIZE; g++) {
    while ((cumulative[code] as number) <= g / GUIDE_SIZE) code++;
    guide[g] = code;
  }
  return { cumulative, guide };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Counts of codes 0 … k - 1 by name, as a categorical profile's `categories`. */
export function countsByName(codeArray: Int32Array, names: readonly string[]): Record<string, number> {
  const counts = new Int32Array(names.length);
  for (const code of codeArray) counts[code] = (counts[code] as number) + 1;
  return Object.fromEntries(names.map((name, code) => [name, counts[code] as number]));
}
