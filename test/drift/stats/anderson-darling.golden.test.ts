import { andersonKsamp } from '../../../drift/src/stats/anderson-darling';
import { expectRelClose, loadGolden } from './golden-fixtures';

interface AdCase {
  name: string;
  a: number[];
  b: number[];
  statistic: number;
  critical_values: number[];
  significance_level: number;
  significance_status: 'capped_at_0.25' | 'floored_at_0.001' | 'interpolated';
}

interface AdEdge {
  name: string;
  a: number[];
  b: number[];
  error?: string;
  statistic_is_nan?: boolean;
}

const golden = loadGolden<AdCase, AdEdge>('anderson_ksamp.json');

describe('andersonKsamp matches scipy.stats.anderson_ksamp (midrank)', () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = andersonKsamp(c.a, c.b);
    expectRelClose(result.statistic, c.statistic, 1e-10);
    expect(Array.from(result.criticalValues)).toEqual(c.critical_values);
    expect(result.significanceStatus).toBe(c.significance_status);
    expectRelClose(result.significanceLevel, c.significance_level, 1e-8);
  });
});

describe('andersonKsamp rejects the samples SciPy cannot test', () => {
  const messages: Record<string, RegExp> = {
    N3_nan: /at least 4 observations in total \(got 3\)/,
    N3_nan_b: /at least 4 observations in total \(got 3\)/,
    all_values_equal: /at least two distinct values/,
    empty_sample: /andersonKsamp\(a\): needs at least 1 observation, got 0/,
  };
  test.each(golden.edge_cases.map((c) => [c.name, c] as const))('%s throws a RangeError', (name, c) => {
    const message = messages[name];
    expect(message).toBeDefined();
    expect(() => andersonKsamp(c.a, c.b)).toThrow(message);
  });
});
