import {
  binCounts,
  DECILE_PROBS,
  proportionsWithEpsilon,
  psi,
  quantileEdges,
  sampleQuantiles,
} from '../../../drift/src/stats/psi';
import { expectRelClose, loadGolden } from './golden-fixtures';

interface PsiCase {
  name: string;
  kind: 'binned' | 'categorical';
  reference?: number[];
  current?: number[];
  edges_inner?: number[];
  ref_counts: number[];
  cur_counts: number[];
  ref_props: number[];
  cur_props: number[];
  psi: number;
}

const golden = loadGolden<PsiCase>('psi.json');
const binned = golden.cases.filter((c) => c.kind === 'binned');
const categorical = golden.cases.filter((c) => c.kind === 'categorical');

function expectPsi(actual: number, expected: number): void {
  if (expected === 0) expect(actual).toBe(0);
  else expectRelClose(actual, expected, 1e-12);
}

describe('PSI on reference-decile bins matches the NumPy reference', () => {
  test.each(binned.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const sorted = Float64Array.from(c.reference ?? []).sort();
    const edges = quantileEdges(sorted, DECILE_PROBS);
    // The lerp formula is followed operation by operation, so the edges are bit-identical.
    expect(Array.from(edges)).toEqual(c.edges_inner);
    // Selecting the order statistics instead of sorting gives the same bits.
    expect(Array.from(sampleQuantiles(c.reference ?? [], DECILE_PROBS))).toEqual(c.edges_inner);
    const refCounts = binCounts(edges, c.reference ?? []);
    const curCounts = binCounts(edges, c.current ?? []);
    expect(Array.from(refCounts)).toEqual(c.ref_counts);
    expect(Array.from(curCounts)).toEqual(c.cur_counts);
    const refProps = proportionsWithEpsilon(refCounts);
    const curProps = proportionsWithEpsilon(curCounts);
    expect(Array.from(refProps)).toEqual(c.ref_props);
    expect(Array.from(curProps)).toEqual(c.cur_props);
    expectPsi(psi(refProps, curProps), c.psi);
  });
});

describe('PSI on category counts matches the NumPy reference', () => {
  test.each(categorical.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const refProps = proportionsWithEpsilon(c.ref_counts);
    const curProps = proportionsWithEpsilon(c.cur_counts);
    expect(Array.from(refProps)).toEqual(c.ref_props);
    expect(Array.from(curProps)).toEqual(c.cur_props);
    expectPsi(psi(refProps, curProps), c.psi);
    // The golden proportions, used as given, give the same value.
    expectPsi(psi(c.ref_props, c.cur_props), c.psi);
  });
});
