import { evalQuadratic, fitQuadratic } from '../../../drift/src/stats/quadratic-fit';

describe('fitQuadratic', () => {
  test('recovers an exact parabola', () => {
    const x = [-2, -1, 0, 1, 2, 3.5];
    const [c2, c1, c0] = fitQuadratic(
      x,
      x.map((v) => 3 * v * v - 2 * v + 0.5),
    );
    expect(c2).toBeCloseTo(3, 12);
    expect(c1).toBeCloseTo(-2, 12);
    expect(c0).toBeCloseTo(0.5, 12);
  });

  test('gives the least-squares parabola through noisy points (values from np.polyfit)', () => {
    const coefficients = fitQuadratic([0, 1, 2, 3, 4], [1, 0, 2, 4, 9]);
    // np.polyfit([0, 1, 2, 3, 4], [1, 0, 2, 4, 9], 2) = [6/7, -10/7, 32/35] up to rounding.
    expect(coefficients[0]).toBeCloseTo(6 / 7, 13);
    expect(coefficients[1]).toBeCloseTo(-10 / 7, 13);
    expect(coefficients[2]).toBeCloseTo(32 / 35, 13);
    expect(evalQuadratic(coefficients, 2)).toBeCloseTo(24 / 7 - 20 / 7 + 32 / 35, 13);
  });

  test('needs three points with three distinct abscissas', () => {
    expect(() => fitQuadratic([1, 2], [1, 2])).toThrow('fitQuadratic: needs at least 3 points (got 2)');
    expect(() => fitQuadratic([1, 1, 2, 2], [1, 2, 3, 4])).toThrow('x needs at least 3 distinct values');
    expect(() => fitQuadratic([1, 2, 3], [1, 2])).toThrow('must have the same length');
  });
});
