/**
 * Fits ridge regression (least squares with an L2 penalty on the weights, not on the
 * intercept) to a design matrix by solving its normal equations with a Cholesky
 * factorisation. Sequential arithmetic only, so the result is deterministic.
 */

/** Result of fitting: intercept and one weight per design column. */
export interface LinearFit {
  intercept: number;
  weights: Float64Array;
}

/**
 * Minimises mean squared error + lambda * |w|^2 over a row-major design matrix `x`
 * (rows × `width`) and targets `y`.
 */
export function fitLinear(x: Float64Array, y: Float64Array, width: number, lambda: number): LinearFit {
  const n = y.length;
  if (n === 0) throw new RangeError('fitLinear() needs at least one row');
  const size = width + 1; // index 0 is the intercept
  // Normal equations (AᵀA/n + λ·D) β = Aᵀy/n, with A = [1 | x] and D the identity but for the intercept.
  const gram = new Float64Array(size * size);
  const rhs = new Float64Array(size);
  const row = new Float64Array(size);
  for (let i = 0; i < n; i++) {
    row[0] = 1;
    for (let j = 0; j < width; j++) row[j + 1] = x[i * width + j] as number;
    const target = y[i] as number;
    for (let a = 0; a < size; a++) {
      const ra = row[a] as number;
      if (ra === 0) continue;
      rhs[a] = (rhs[a] as number) + ra * target;
      for (let b = 0; b <= a; b++) gram[a * size + b] = (gram[a * size + b] as number) + ra * (row[b] as number);
    }
  }
  for (let a = 0; a < size; a++) {
    rhs[a] = (rhs[a] as number) / n;
    for (let b = 0; b <= a; b++) {
      const value = (gram[a * size + b] as number) / n + (a === b && a > 0 ? lambda : 0);
      gram[a * size + b] = value;
      gram[b * size + a] = value;
    }
  }
  const beta = solveCholesky(gram, rhs, size);
  return { intercept: beta[0] as number, weights: beta.subarray(1) };
}

/** Solves M β = v for a symmetric positive-definite M (row-major, size × size). */
export function solveCholesky(m: Float64Array, v: Float64Array, size: number): Float64Array {
  const l = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i * size + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[i * size + k] as number) * (l[j * size + k] as number);
      if (i === j) {
        // A column that is all zeros (a category never seen) with no penalty would make M singular.
        if (!(sum > 0)) throw new RangeError(`the normal equations are singular at column ${i} (add a penalty)`);
        l[i * size + i] = Math.sqrt(sum);
      } else l[i * size + j] = sum / (l[j * size + j] as number);
    }
  }
  const z = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = v[i] as number;
    for (let k = 0; k < i; k++) sum -= (l[i * size + k] as number) * (z[k] as number);
    z[i] = sum / (l[i * size + i] as number);
  }
  const beta = new Float64Array(size);
  for (let i = size - 1; i >= 0; i--) {
    let sum = z[i] as number;
    for (let k = i + 1; k < size; k++) sum -= (l[k * size + i] as number) * (beta[k] as number);
    beta[i] = sum / (l[i * size + i] as number);
  }
  return beta;
}
