import {
  binCounts,
  DECILE_PROBS,
  proportionsWithEpsilon,
  psi,
  psiFromCounts,
  PSI_EPSILON,
  quantileEdges,
} from '../../../drift/src/stats/psi';

describe('quantileEdges', () => {
  test('the decile probabilities are the doubles k/10', () => {
    // k/10 rounds to the same double as the decimal literal, unlike 0.1 * k (0.30000000000000004).
    expect(DECILE_PROBS).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  });

  test('with 11 sorted values every decile edge is one of the values', () => {
    const sorted = Float64Array.from({ length: 11 }, (_, i) => i * 1.5);
    expect(Array.from(quantileEdges(sorted))).toEqual([1.5, 3, 4.5, 6, 7.5, 9, 10.5, 12, 13.5]);
  });

  test('interpolates linearly between neighbours (Hyndman & Fan type 7)', () => {
    expect(Array.from(quantileEdges([0, 10], [0, 0.25, 0.5, 0.75, 1]))).toEqual([0, 2.5, 5, 7.5, 10]);
  });

  test('a single reference value makes every edge that value', () => {
    expect(Array.from(quantileEdges([4.2]))).toEqual(new Array(9).fill(4.2));
  });

  test('tied reference values give duplicate edges, which are kept', () => {
    expect(Array.from(quantileEdges([1, 1, 1, 1, 2]))).toEqual([1, 1, 1, 1, 1, 1, 1, 1.2000000000000002, 1.6]);
  });

  test('rejects empty, unsorted or non-finite references and probabilities outside [0, 1]', () => {
    expect(() => quantileEdges([])).toThrow('quantileEdges: the reference sample is empty');
    expect(() => quantileEdges([2, 1])).toThrow('quantileEdges: sortedRef is not sorted ascending at index 1');
    expect(() => quantileEdges([1, Number.NaN])).toThrow(
      'quantileEdges: value at index 1 is not a finite number (got NaN)',
    );
    expect(() => quantileEdges([1, 2], [1.5])).toThrow('quantileEdges: probs[0] must be in [0, 1] (got 1.5)');
  });
});

describe('binCounts', () => {
  test('a value equal to an edge goes to the bin above it', () => {
    expect(Array.from(binCounts([1, 2], [0.5, 1, 1.5, 2, 2.5]))).toEqual([1, 2, 2]);
  });

  test('values beyond the outer edges land in the first and last bins', () => {
    expect(Array.from(binCounts([0, 1], [-1e300, 1e300, -Infinity, Infinity]))).toEqual([2, 0, 2]);
  });

  test('bins between duplicate edges stay empty', () => {
    expect(Array.from(binCounts([1, 1, 1, 2], [0, 1, 1, 1.5, 3]))).toEqual([1, 0, 0, 3, 1]);
  });

  test('no edges means a single bin and no values means zero counts', () => {
    expect(Array.from(binCounts([], [1, 2, 3]))).toEqual([3]);
    expect(Array.from(binCounts([1, 2], []))).toEqual([0, 0, 0]);
  });

  test('returns a Uint32Array of edges.length + 1 counts', () => {
    const counts = binCounts(Float64Array.of(0, 1, 2), Float64Array.of(0.5));
    expect(counts).toBeInstanceOf(Uint32Array);
    expect(counts).toHaveLength(4);
  });

  test('rejects NaN values and NaN or unsorted edges', () => {
    expect(() => binCounts([1, 2], [0, Number.NaN])).toThrow('binCounts: value at index 1 is NaN');
    expect(() => binCounts([2, 1], [0])).toThrow('binCounts: edges are not sorted ascending at index 1');
    expect(() => binCounts([Number.NaN], [0])).toThrow('binCounts: edge 0 is NaN');
  });
});

describe('proportionsWithEpsilon', () => {
  test('replaces exact zeros by 1e-4 and does not renormalise', () => {
    const props = proportionsWithEpsilon([1, 0, 3]);
    expect(Array.from(props)).toEqual([0.25, PSI_EPSILON, 0.75]);
    expect(props.reduce((s, p) => s + p, 0)).toBeGreaterThan(1);
  });

  test('keeps small nonzero proportions below the epsilon', () => {
    const counts = new Array<number>(10).fill(0);
    counts[0] = 1;
    counts[1] = 19999;
    expect(proportionsWithEpsilon(counts)[0]).toBe(5e-5);
  });

  test('rejects empty vectors, zero totals and negative counts', () => {
    expect(() => proportionsWithEpsilon([])).toThrow('counts are empty');
    expect(() => proportionsWithEpsilon([0, 0])).toThrow('counts sum to 0 (empty sample)');
    expect(() => proportionsWithEpsilon([1, -1])).toThrow(RangeError);
  });
});

describe('psi', () => {
  test('identical and proportional distributions give exactly 0', () => {
    expect(psiFromCounts([5, 10, 0, 20], [5, 10, 0, 20])).toBe(0);
    expect(psiFromCounts([1, 2, 3], [10, 20, 30])).toBe(0);
  });

  test('a bin empty on both sides contributes nothing', () => {
    expect(psi([0.5, 0, 0.5], [0.25, 0, 0.75])).toBe(psi([0.5, 0.5], [0.25, 0.75]));
  });

  test('raw zero proportions are replaced by the epsilon, so the value stays finite', () => {
    expect(psi([1, 0], [0, 1])).toBe(psi([1, PSI_EPSILON], [PSI_EPSILON, 1]));
    expect(Number.isFinite(psi([1, 0], [0, 1]))).toBe(true);
  });

  test('matches the definition Σ (c - r) ln(c / r) on a small example', () => {
    const expected = (0.4 - 0.5) * Math.log(0.4 / 0.5) + (0.6 - 0.5) * Math.log(0.6 / 0.5);
    expect(psi([0.5, 0.5], [0.4, 0.6])).toBeCloseTo(expected, 15);
  });

  test('rejects mismatched, empty or negative proportion vectors', () => {
    expect(() => psi([0.5, 0.5], [1])).toThrow('psi: refProps and curProps must have the same length (got 2 and 1)');
    expect(() => psi([], [])).toThrow('psi: needs at least one bin');
    expect(() => psi([1.2, -0.2], [0.5, 0.5])).toThrow(
      'psi(refProps): entry 1 must be a finite number >= 0 (got -0.2)',
    );
  });
});
