import { jensenShannon } from '../../../drift/src/stats/jensen-shannon';
import { binCounts, quantileEdges } from '../../../drift/src/stats/psi';
import { expectAbsClose, loadGolden } from './golden-fixtures';

interface JsCase {
  name: string;
  kind: 'binned' | 'categorical';
  reference?: number[];
  current?: number[];
  ref_counts: number[];
  cur_counts: number[];
  p: number[];
  q: number[];
  distance: number;
}

const golden = loadGolden<JsCase>('jensenshannon.json');

describe('jensenShannon matches scipy.spatial.distance.jensenshannon(p, q, base=2)', () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expectAbsClose(jensenShannon(c.p, c.q), c.distance, 1e-12);
    // Counts give the same distance: the function renormalises.
    expectAbsClose(jensenShannon(c.ref_counts, c.cur_counts), c.distance, 1e-12);
    if (c.kind === 'binned') {
      const edges = quantileEdges(Float64Array.from(c.reference ?? []).sort());
      expect(Array.from(binCounts(edges, c.current ?? []))).toEqual(c.cur_counts);
    }
  });

  test('identical inputs give exactly 0 and disjoint supports exactly 1', () => {
    const identical = golden.cases.filter((c) => c.name.startsWith('cat_identical') || c.name === 'identical_500');
    const disjoint = golden.cases.filter((c) => c.name.startsWith('cat_disjoint_support'));
    // The golden cases this test is about, by name: a renamed case must not silently leave the test empty.
    expect(identical.map((c) => c.name)).toEqual(['identical_500', 'cat_identical_counts']);
    expect(disjoint.map((c) => c.name)).toEqual(['cat_disjoint_support', 'cat_disjoint_support_k4']);
    for (const c of identical) expect(jensenShannon(c.p, c.q)).toBe(0);
    for (const c of disjoint) expect(jensenShannon(c.p, c.q)).toBe(1);
  });
});
