import { fitIsotonic } from '../../../drift/src/quality/isotonic';
import { calibrate } from '../../../drift/src/quality/calibration-map';

describe('fitIsotonic (pool-adjacent-violators)', () => {
  test('matches a hand-computed fit: violators pooled into their mean, equal steps merged', () => {
    // By hand: 0 | 1,0 → ½ | ½,0 → ⅓ over 0.2–0.4 | 1,0 → ½ over 0.5–0.6 | 1,1 → 1 over 0.7–0.8.
    const fit = fitIsotonic([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], [0, 1, 0, 0, 1, 0, 1, 1]);
    expect(fit.x).toEqual([0.1, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8]);
    expect(fit.y).toEqual([0, 1 / 3, 1 / 3, 0.5, 0.5, 1, 1]);
  });

  test('the fit is what the step function gives at every data point, in any input order', () => {
    const x = [0.8, 0.1, 0.5, 0.3, 0.7, 0.2, 0.6, 0.4];
    const y = [1, 0, 1, 0, 1, 1, 0, 0];
    const fit = fitIsotonic(x, y);
    expect(x.map((p) => calibrate(fit, p))).toEqual([1, 0, 0.5, 1 / 3, 1, 1 / 3, 0.5, 1 / 3]);
  });

  test('equal x values are pooled first, then pooled with their neighbours', () => {
    expect(fitIsotonic([0.3, 0.3, 0.1], [1, 0, 0])).toEqual({ x: [0.1, 0.3], y: [0, 0.5] });
    expect(fitIsotonic([0.3, 0.3, 0.1], [0, 0, 1])).toEqual({ x: [0.1, 0.3], y: [1 / 3, 1 / 3] });
  });

  test('a decreasing sample is one block at its mean; an increasing one keeps every point', () => {
    expect(fitIsotonic([1, 2, 3, 4], [1, 1, 0, 0])).toEqual({ x: [1, 4], y: [0.5, 0.5] });
    expect(fitIsotonic([1, 2, 3], [0, 0.5, 1])).toEqual({ x: [1, 2, 3], y: [0, 0.5, 1] });
  });

  test('weights count as repeated rows', () => {
    expect(fitIsotonic([1, 2], [1, 0], [3, 1])).toEqual({ x: [1, 2], y: [0.75, 0.75] });
    expect(fitIsotonic([1, 2], [1, 0], [3, 1])).toEqual(fitIsotonic([1, 1, 1, 2], [1, 1, 1, 0]));
  });

  test('refuses empty or mismatched input, naming the sizes', () => {
    expect(() => fitIsotonic([], [])).toThrow(
      'fitIsotonic: expected as many x as y (and weights), at least one, got 0 and 0',
    );
    expect(() => fitIsotonic([1, 2], [1])).toThrow('got 2 and 1');
  });
});
