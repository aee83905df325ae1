import { ks2samp } from '../../../drift/src/stats/ks2samp';
import { expectAbsClose, expectRelClose, loadGolden } from './golden-fixtures';

interface KsCase {
  name: string;
  a: number[];
  b: number[];
  method: 'auto' | 'exact' | 'asymp';
  method_used: 'exact' | 'asymp';
  statistic: number;
  pvalue: number;
  statistic_location: number;
  statistic_sign: 1 | -1;
}

interface KsEdge {
  name: string;
  a: number[];
  b: number[];
  method: 'auto' | 'exact' | 'asymp';
  statistic?: number;
  statistic_location?: number;
  statistic_sign?: 1 | -1;
  pvalue_is_nan?: boolean;
  error?: string;
}

const golden = loadGolden<KsCase, KsEdge>('ks_2samp.json');

describe('ks2samp matches scipy.stats.ks_2samp (SciPy 1.10.1, two-sided)', () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = ks2samp(c.a, c.b, { method: c.method });
    expect(r.method).toBe(c.method_used);
    expect(r.statisticSign).toBe(c.statistic_sign);
    expectAbsClose(r.statistic, c.statistic, 1e-12);
    expectAbsClose(r.statisticLocation, c.statistic_location, 1e-12);
    if (c.pvalue === 0) expect(r.pvalue === 0 || r.pvalue < 1e-300).toBe(true);
    else expectRelClose(r.pvalue, c.pvalue, 1e-9);
  });
});

describe('ks2samp handles the inputs SciPy answers with NaN or an error', () => {
  const nanCases = golden.edge_cases.filter((c) => c.pvalue_is_nan === true);
  test.each(nanCases.map((c) => [c.name, c] as const))('%s: statistic as SciPy, p-value NaN on purpose', (_name, c) => {
    const r = ks2samp(c.a, c.b, { method: c.method });
    expect(r.statistic).toBe(c.statistic);
    expect(r.statisticLocation).toBe(c.statistic_location);
    expect(r.statisticSign).toBe(c.statistic_sign);
    expect(r.method).toBe('asymp');
    expect(r.pvalue).toBeNaN();
  });

  const errorCases = golden.edge_cases.filter((c) => c.error !== undefined);
  test.each(errorCases.map((c) => [c.name, c] as const))(
    '%s throws a RangeError naming the empty sample',
    (_name, c) => {
      const empty = c.a.length === 0 ? 'a' : 'b';
      expect(() => ks2samp(c.a, c.b, { method: c.method })).toThrow(RangeError);
      expect(() => ks2samp(c.a, c.b, { method: c.method })).toThrow(`sample ${empty} is empty`);
    },
  );

  test('the edge-case file holds the cases these tests expect', () => {
    expect(nanCases.length).toBe(2);
    expect(errorCases.length).toBe(1);
  });
});
