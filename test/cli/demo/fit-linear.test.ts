import { fitLinear, solveCholesky } from '../../../cli/src/demo/fit-linear';

describe('fitLinear', () => {
  test('without a penalty it recovers the exact coefficients of noiseless data', () => {
    // y = 3 + 2·a − 0.5·b over a small grid.
    const rows: number[][] = [];
    for (let a = -2; a <= 2; a++) for (let b = -1; b <= 3; b++) rows.push([a, b]);
    const x = Float64Array.from(rows.flat());
    const y = Float64Array.from(rows, ([a, b]) => 3 + 2 * (a as number) - 0.5 * (b as number));
    const fit = fitLinear(x, y, 2, 0);
    expect(fit.intercept).toBeCloseTo(3, 12);
    expect([...fit.weights].map((w) => Number(w.toFixed(12)))).toEqual([2, -0.5]);
  });

  test('a penalty shrinks the weights but not the intercept', () => {
    // One centred column x = ±1, y = 10 + 4x: with lambda the weight is 4 / (1 + lambda), the intercept stays 10.
    const x = Float64Array.from([-1, 1, -1, 1]);
    const y = Float64Array.from([6, 14, 6, 14]);
    const fit = fitLinear(x, y, 1, 1);
    expect(fit.intercept).toBeCloseTo(10, 12);
    expect(fit.weights[0]).toBeCloseTo(2, 12);
  });

  test('singular normal equations are refused naming the column', () => {
    // A column of zeros with no penalty.
    expect(() => fitLinear(new Float64Array(3), Float64Array.from([1, 2, 3]), 1, 0)).toThrow(
      'the normal equations are singular at column 1 (add a penalty)',
    );
  });

  test('solveCholesky solves a hand-checked 2×2 system', () => {
    // [[4, 2], [2, 3]] β = [10, 8]  →  β = [1.75, 1.5]
    const beta = solveCholesky(Float64Array.from([4, 2, 2, 3]), Float64Array.from([10, 8]), 2);
    expect(beta[0]).toBeCloseTo(1.75, 12);
    expect(beta[1]).toBeCloseTo(1.5, 12);
  });
});
