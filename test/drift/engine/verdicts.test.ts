import type { TestResult } from '../../../drift/src/engine/test-result';
import { decideVerdicts, effectSizeFloorOf, thresholdOf } from '../../../drift/src/engine/verdicts';
import { benjaminiHochberg, bonferroni } from '../../../drift/src/stats';
import { driftConfig } from './fixtures';

const ks = (pvalue: number, effectSize = 0.2): TestResult => ({
  test: 'ks',
  statistic: effectSize,
  pvalue,
  effectSize,
});
const distance = (test: 'psi' | 'jensenshannon' | 'wasserstein', value: number): TestResult => ({
  test,
  statistic: value,
  pvalue: null,
  effectSize: value,
});

describe('p-value tests', () => {
  test('p-values are adjusted together by Benjamini–Hochberg by default', () => {
    const ps = [0.01, 0.02, 0.03, 0.5];
    const verdicts = decideVerdicts(
      ps.map((p) => ks(p)),
      driftConfig(),
    );
    expect(verdicts.map((v) => v.adjustedPvalue)).toEqual(Array.from(benjaminiHochberg(ps)));
    expect(verdicts.map((v) => v.drifted)).toEqual([true, true, true, false]);
  });

  test('Bonferroni is stricter on the same p-values', () => {
    const ps = [0.01, 0.02, 0.03, 0.5];
    const verdicts = decideVerdicts(
      ps.map((p) => ks(p)),
      driftConfig({ correction: 'bonferroni' }),
    );
    expect(verdicts.map((v) => v.adjustedPvalue)).toEqual(Array.from(bonferroni(ps)));
    expect(verdicts.map((v) => v.drifted)).toEqual([true, false, false, false]);
  });

  test('drift needs the adjusted p-value strictly below alpha', () => {
    expect(decideVerdicts([ks(0.05)], driftConfig())[0]?.drifted).toBe(false);
    expect(decideVerdicts([ks(0.0499)], driftConfig())[0]?.drifted).toBe(true);
  });

  test('a significant result below the effect-size floor is not drift', () => {
    const config = driftConfig({ effect_size_floor: { ks: 0.1 } });
    const [small, large] = decideVerdicts([ks(1e-12, 0.099), ks(1e-12, 0.1)], config);
    expect(small).toEqual({ adjustedPvalue: 1e-12, threshold: 0.05, effectSizeFloor: 0.1, drifted: false });
    expect(large?.drifted).toBe(true);
  });

  test('each p-value test has its own floor: KS D for cvm and anderson, total variation for chi2', () => {
    const config = driftConfig({ effect_size_floor: { ks: 0.1, chi2: 0.2, cvm: 0.3, anderson: 0.4 } });
    expect(['ks', 'chi2', 'cvm', 'anderson'].map((t) => effectSizeFloorOf(t as 'ks', config))).toEqual([
      0.1, 0.2, 0.3, 0.4,
    ]);
  });
});

describe('distance tests', () => {
  test('drift when the distance reaches its threshold, equality included', () => {
    const config = driftConfig({ thresholds: { psi: 0.2, jensenshannon: 0.1, wasserstein: 0.1 } });
    const verdicts = decideVerdicts(
      [distance('psi', 0.2), distance('jensenshannon', 0.0999), distance('wasserstein', 0.5)],
      config,
    );
    expect(verdicts).toEqual([
      { adjustedPvalue: null, threshold: 0.2, effectSizeFloor: null, drifted: true },
      { adjustedPvalue: null, threshold: 0.1, effectSizeFloor: null, drifted: false },
      { adjustedPvalue: null, threshold: 0.1, effectSizeFloor: null, drifted: true },
    ]);
  });

  test('distances take no part in the correction: adding them leaves the adjusted p-values unchanged', () => {
    const config = driftConfig();
    const alone = decideVerdicts([ks(0.01), ks(0.04)], config).map((v) => v.adjustedPvalue);
    const mixed = decideVerdicts([distance('psi', 0.5), ks(0.01), distance('wasserstein', 0.01), ks(0.04)], config);
    expect([mixed[1]?.adjustedPvalue, mixed[3]?.adjustedPvalue]).toEqual(alone);
  });

  test('the reported threshold is alpha for p-value tests and the distance threshold otherwise', () => {
    const config = driftConfig({ alpha: 0.01, thresholds: { psi: 0.25 } });
    expect(thresholdOf('ks', config)).toBe(0.01);
    expect(thresholdOf('psi', config)).toBe(0.25);
    expect(effectSizeFloorOf('psi', config)).toBeNull();
  });
});

test('an empty family gives no verdicts', () => {
  expect(decideVerdicts([], driftConfig())).toEqual([]);
});
