import { wasserstein } from '../../../drift/src/stats/wasserstein';
import { expectRelClose, loadGolden } from './golden-fixtures';

interface WassersteinCase {
  name: string;
  a: number[];
  b: number[];
  distance: number;
}

const golden = loadGolden<WassersteinCase>('wasserstein.json');

describe('wasserstein matches scipy.stats.wasserstein_distance', () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const distance = wasserstein(c.a, c.b);
    if (c.distance === 0) expect(distance).toBe(0);
    else expectRelClose(distance, c.distance, 1e-12);
  });
});
