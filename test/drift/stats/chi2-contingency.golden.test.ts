import { chi2Contingency } from '../../../drift/src/stats/chi2-contingency';
import { expectRelClose, loadGolden } from './golden-fixtures';

interface Chi2Case {
  name: string;
  ref_counts: number[];
  cur_counts: number[];
  correction: boolean;
  chi2: number;
  p: number;
  dof: number;
}

interface Chi2Edge {
  name: string;
  ref_counts: number[];
  cur_counts: number[];
  correction: boolean;
  error?: string;
}

const golden = loadGolden<Chi2Case, Chi2Edge>('chi2_contingency.json');

describe('chi2Contingency matches scipy.stats.chi2_contingency', () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = chi2Contingency(c.ref_counts, c.cur_counts, { correction: c.correction });
    expect(result.dof).toBe(c.dof);
    if (c.chi2 === 0) expect(result.statistic).toBe(0);
    else expectRelClose(result.statistic, c.chi2, 1e-12);
    // An underflowed SciPy p-value may come out as 0 or as a tiny subnormal-range value here.
    if (c.p === 0) expect(result.pvalue).toBeLessThan(1e-300);
    else expectRelClose(result.pvalue, c.p, 1e-9);
  });
});

describe('chi2Contingency rejects the tables SciPy cannot test', () => {
  test.each(golden.edge_cases.map((c) => [c.name, c] as const))(
    '%s throws a RangeError naming the zero expected frequency',
    (_name, c) => {
      expect(() => chi2Contingency(c.ref_counts, c.cur_counts, { correction: c.correction })).toThrow(
        /chi2Contingency: expected frequency is 0 at \(\d, \d\)/,
      );
    },
  );
});
