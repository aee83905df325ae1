import { benjaminiHochberg, bonferroni } from '../../../drift/src/stats/multiple-testing';

describe('bonferroni', () => {
  test('multiplies by the number of tests and caps at 1', () => {
    expect(Array.from(bonferroni([0.01, 0.2, 0.5]))).toEqual([0.03, 0.6000000000000001, 1]);
  });

  test('an empty list of p-values gives an empty result', () => {
    expect(bonferroni([])).toHaveLength(0);
  });
});

describe('benjaminiHochberg', () => {
  test('adjusts p_(i) · m / i and keeps the input order', () => {
    expect(Array.from(benjaminiHochberg([0.04, 0.01, 0.03]))).toEqual([0.04, 0.03, 0.04]);
  });

  test('the running minimum from the largest p-value down enforces monotonicity', () => {
    // Raw p·m/i = 0.04, 0.05, 0.04: the middle one is lowered to 0.04.
    expect(Array.from(benjaminiHochberg([0.01, 0.025, 0.03]))).toEqual([0.03, 0.03, 0.03]);
  });

  test('tied p-values get equal adjusted values', () => {
    const adjusted = benjaminiHochberg([0.02, 0.5, 0.02, 0.02]);
    expect(adjusted[0]).toBe(adjusted[2]);
    expect(adjusted[0]).toBe(adjusted[3]);
  });

  test('zeros stay 0 and ones stay 1', () => {
    expect(Array.from(benjaminiHochberg([0, 1, 0]))).toEqual([0, 1, 0]);
  });

  test('an empty list of p-values gives an empty result', () => {
    expect(benjaminiHochberg([])).toHaveLength(0);
  });

  test('p-values outside [0, 1] or NaN are errors naming the index', () => {
    expect(() => benjaminiHochberg([0.1, 1.5])).toThrow(
      'benjaminiHochberg: p-value at index 1 must be in [0, 1] (got 1.5)',
    );
    expect(() => benjaminiHochberg([-0.1])).toThrow(RangeError);
    expect(() => bonferroni([Number.NaN])).toThrow('bonferroni: p-value at index 0 must be in [0, 1] (got NaN)');
  });
});
