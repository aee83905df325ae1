import { benjaminiHochberg, bonferroni } from '../../../drift/src/stats/multiple-testing';
import { loadGolden } from './golden-fixtures';

interface MultipleTestsCase {
  name: string;
  m: number;
  pvalues: number[];
  bonferroni: number[];
  bh: number[];
}

const golden = loadGolden<MultipleTestsCase>('multipletests.json');

describe('bonferroni and benjaminiHochberg match the NumPy reference bit for bit', () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(c.pvalues).toHaveLength(c.m);
    expect(Array.from(bonferroni(c.pvalues))).toEqual(c.bonferroni);
    expect(Array.from(benjaminiHochberg(c.pvalues))).toEqual(c.bh);
  });
});
