import { cramerVonMises2samp } from '../../../drift/src/stats/cramer-von-mises';
import { expectAbsClose, expectRelClose, loadGolden } from './golden-fixtures';

interface CvmCase {
  name: string;
  a: number[];
  b: number[];
  method_used: 'exact' | 'asymptotic';
  statistic: number;
  pvalue: number;
}

interface CvmEdge {
  name: string;
  a: number[];
  b: number[];
  error?: string;
}

const golden = loadGolden<CvmCase, CvmEdge>('cramervonmises_2samp.json');

describe("cramerVonMises2samp matches scipy.stats.cramervonmises_2samp(method='auto')", () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = cramerVonMises2samp(c.a, c.b);
    expect(result.method).toBe(c.method_used);
    expectAbsClose(result.statistic, c.statistic, 1e-12);
    if (c.method_used === 'exact') expectRelClose(result.pvalue, c.pvalue, 1e-12);
    else expectAbsClose(result.pvalue, c.pvalue, 1e-10);
  });

  test.each(golden.edge_cases.map((c) => [c.name, c] as const))(
    '%s throws a RangeError like SciPy raises ValueError',
    (_name, c) => {
      expect(() => cramerVonMises2samp(c.a, c.b)).toThrow(/needs at least 2 observations/);
    },
  );
});
