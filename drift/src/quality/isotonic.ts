/**
 * Isotonic regression by pool-adjacent-violators, written here rather than installed: the npm
 * registry has no maintained isotonic-regression package (checked: none by that name, none in
 * the package index), and the fit is about forty lines.
 */
import type { ClassCalibration } from './calibration-map';

/**
 * The non-decreasing step function closest to `y` in weighted least squares, as a function of
 * `x` (any order; equal x values are pooled first, as scikit-learn's `IsotonicRegression`
 * does). Returned as knots: each block of equal fitted values keeps its smallest and largest x,
 * so that `calibrate` (linear between knots, flat beyond the ends) evaluates what
 * `IsotonicRegression(out_of_bounds='clip')` predicts.
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): ClassCalibration {
  const n = x.length;
  if (n === 0 || y.length !== n || (weights !== undefined && weights.length !== n))
    throw new RangeError(`fitIsotonic: expected as many x as y (and weights), at least one, got ${n} and ${y.length}`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number));
  // One block per run of equal x, then merged while a block's mean is below the one before it.
  const low: number[] = [];
  const high: number[] = [];
  const sum: number[] = [];
  const weight: number[] = [];
  for (const i of order) {
    const xi = x[i] as number;
    const wi = weights === undefined ? 1 : (weights[i] as number);
    const top = low.length - 1;
    if (top >= 0 && high[top] === xi) {
      sum[top] = (sum[top] as number) + wi * (y[i] as number);
      weight[top] = (weight[top] as number) + wi;
    } else {
      low.push(xi);
      high.push(xi);
      sum.push(wi * (y[i] as number));
      weight.push(wi);
    }
    poolViolators(low, high, sum, weight);
  }
  const knots: ClassCalibration = { x: [], y: [] };
  for (let b = 0; b < low.length; b++) {
    const value = (sum[b] as number) / (weight[b] as number);
    knots.x.push(low[b] as number);
    knots.y.push(value);
    if (high[b] !== low[b]) {
      knots.x.push(high[b] as number);
      knots.y.push(value);
    }
  }
  return knots;
}

/**
 * Merges the last block into the one before it while its mean is not higher (compared as cross
 * products, so no division): equal means merge too, since they are one step of the fit and two
 * knots describe it. The x ties are merged by the caller before a new block starts.
 */
function poolViolators(low: number[], high: number[], sum: number[], weight: number[]): void {
  for (let top = low.length - 1; top > 0; top--) {
    const below = top - 1;
    // mean(top) > mean(below) ⟺ sum_t·w_b > sum_b·w_t, weights being positive.
    if ((sum[top] as number) * (weight[below] as number) > (sum[below] as number) * (weight[top] as number)) return;
    sum[below] = (sum[below] as number) + (sum[top] as number);
    weight[below] = (weight[below] as number) + (weight[top] as number);
    high[below] = high[top] as number;
    low.pop();
    high.pop();
    sum.pop();
    weight.pop();
  }
}
