import {
  AUTO_FEW_UNIQUE_MAX,
  AUTO_SMALL_REFERENCE_MAX,
  autoDriftTest,
  resolveDriftTest,
} from '../../../drift/src/engine/choose-test';
import { AUTO_DRIFT_TESTS, DRIFT_TESTS, driftTestChoiceError } from '../../../spec/src/drift-tests';

const SMALL = AUTO_SMALL_REFERENCE_MAX;
const LARGE = AUTO_SMALL_REFERENCE_MAX + 1;
const FEW = AUTO_FEW_UNIQUE_MAX;
const MANY = AUTO_FEW_UNIQUE_MAX + 1;

describe('the auto rule', () => {
  test.each([
    ['numeric', SMALL, MANY, 'ks'],
    ['numeric', SMALL, FEW, 'chi2'],
    ['numeric', LARGE, MANY, 'wasserstein'],
    ['numeric', LARGE, FEW, 'jensenshannon'],
    ['categorical', SMALL, undefined, 'chi2'],
    ['categorical', LARGE, undefined, 'jensenshannon'],
  ] as const)('a %s reference of %i values with %s distinct values gets %s', (type, count, unique, expected) => {
    expect(autoDriftTest({ type, count, ...(unique === undefined ? {} : { unique }) })).toBe(expected);
  });

  test('the boundaries are inclusive: 1000 values is still small, 5 distinct values still few', () => {
    expect(autoDriftTest({ type: 'numeric', count: 1000, unique: 6 })).toBe('ks');
    expect(autoDriftTest({ type: 'numeric', count: 1001, unique: 6 })).toBe('wasserstein');
    expect(autoDriftTest({ type: 'numeric', count: 1000, unique: 5 })).toBe('chi2');
  });

  test('AUTO_DRIFT_TESTS (which the dashboards draw panels for) lists exactly what the rule picks for each type', () => {
    for (const type of ['numeric', 'categorical'] as const) {
      const picked = new Set(
        [SMALL, LARGE].flatMap((count) =>
          (type === 'numeric' ? [FEW, MANY] : [undefined]).map((unique) =>
            autoDriftTest({ type, count, ...(unique === undefined ? {} : { unique }) }),
          ),
        ),
      );
      expect([...picked].sort()).toEqual([...AUTO_DRIFT_TESTS[type]].sort());
    }
  });
});

describe('explicit choices', () => {
  test('an explicit drift_test wins over the auto rule', () => {
    expect(
      resolveDriftTest(
        { name: 'amount', type: 'numeric', drift_test: 'cvm' },
        { type: 'numeric', count: 50_000, unique: 1000 },
      ),
    ).toBe('cvm');
    expect(
      resolveDriftTest({ name: 'country', type: 'categorical', drift_test: 'psi' }, { type: 'categorical', count: 10 }),
    ).toBe('psi');
  });

  test('every count test is accepted on a numeric feature (it runs on the reference decile bins)', () => {
    for (const test of ['chi2', 'psi', 'jensenshannon'] as const) {
      expect(driftTestChoiceError({ name: 'age', type: 'numeric', drift_test: test })).toBeUndefined();
    }
  });

  test('every test is accepted on a numeric feature and auto on any feature', () => {
    for (const test of DRIFT_TESTS)
      expect(driftTestChoiceError({ name: 'age', type: 'numeric', drift_test: test })).toBeUndefined();
    expect(driftTestChoiceError({ name: 'country', type: 'categorical', drift_test: 'auto' })).toBeUndefined();
  });

  test.each(['ks', 'cvm', 'anderson', 'wasserstein'] as const)(
    '%s on a categorical feature is an error naming the feature and the alternatives',
    (test) => {
      const message = `feature "country": drift_test "${test}" needs a numeric feature, but "country" is categorical; use chi2, psi, jensenshannon or auto`;
      expect(driftTestChoiceError({ name: 'country', type: 'categorical', drift_test: test })).toBe(message);
      expect(() =>
        resolveDriftTest(
          { name: 'country', type: 'categorical', drift_test: test },
          { type: 'categorical', count: 100 },
        ),
      ).toThrow(message);
    },
  );
});
