/**
 * Least-squares coefficients [c2, c1, c0] (highest power first, like `np.polyfit(x, y, 2)`) of the parabola
 * c2·x² + c1·x + c0 through at least three points with at least three distinct x.
 */
export function fitQuadratic(x: readonly number[], y: readonly number[]): [number, number, number] {
  const n = x.length;
  if (y.length !== n)
    throw new RangeError(`fitQuadratic: x and y must have the same length (got ${n} and ${y.length})`);
  if (n < 3) throw new RangeError(`fitQuadratic: needs at least 3 points (got ${n})`);
  // Vandermonde columns [x², x, 1], each scaled to unit norm as np.polyfit does, to keep the problem well conditioned.
  const columns = [x.map((v) => v * v), x.slice(), x.map(() => 1)];
  const scales = columns.map((col) => Math.sqrt(col.reduce((s, v) => s + v * v, 0)));
  columns.forEach((col, j) => col.forEach((v, i) => (col[i] = v / (scales[j] as number))));
  const rhs = y.slice();

  // Householder QR (Golub & Van Loan, Matrix Computations, Alg. 5.2.1), applied to the right-hand side as we go.
  const r = [0, 0, 0].map(() => [0, 0, 0]);
  for (let j = 0; j < 3; j++) {
    const col = columns[j] as number[];
    let norm = 0;
    for (let i = j; i < n; i++) norm += (col[i] as number) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) throw new RangeError('fitQuadratic: x needs at least 3 distinct values');
    const alpha = (col[j] as number) > 0 ? -norm : norm;
    const v = col.map((value, i) => (i < j ? 0 : i === j ? value - alpha : value));
    const vv = v.reduce((s, value) => s + value * value, 0);
    const reflect = (target: number[]): void => {
      let dot = 0;
      for (let i = j; i < n; i++) dot += (v[i] as number) * (target[i] as number);
      const f = (2 * dot) / vv;
      for (let i = j; i < n; i++) target[i] = (target[i] as number) - f * (v[i] as number);
    };
    for (let c = j; c < 3; c++) reflect(columns[c] as number[]);
    reflect(rhs);
    for (let c = j; c < 3; c++) (r[j] as number[])[c] = (columns[c] as number[])[j] as number;
  }
  // Back-substitution R·c = Qᵀy, then undo the column scaling.
  const coef = [0, 0, 0];
  for (let row = 2; row >= 0; row--) {
    let s = rhs[row] as number;
    for (let c = row + 1; c < 3; c++) s -= ((r[row] as number[])[c] as number) * (coef[c] as number);
    coef[row] = s / ((r[row] as number[])[row] as number);
  }
  return [
    (coef[0] as number) / (scales[0] as number),
    (coef[1] as number) / (scales[1] as number),
    (coef[2] as number) / (scales[2] as number),
  ];
}

/** Evaluates c2·x² + c1·x + c0 by Horner's rule, as `np.polyval`. */
export function evalQuadratic(coefficients: readonly [number, number, number], x: number): number {
  return (coefficients[0] * x + coefficients[1]) * x + coefficients[2];
}
