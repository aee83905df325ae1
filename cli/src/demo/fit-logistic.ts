/**
 * Fits L2-regularised logistic regression to a design matrix by full-batch
 * gradient descent with Nesterov momentum and adaptive restart. Everything is
 * sequential arithmetic from a zero start, so the result is deterministic.
 */
import { sigmoid } from '../../../exporter/src/model/logistic-model';

const DEFAULT_TOLERANCE = 1e-7;
/** The logistic loss curves at most 1/4 per unit of squared input: it bounds the step size. */
const MAX_SIGMOID_SLOPE = 0.25;
const POWER_ITERATIONS = 100;

/** Result of fitting: intercept, one weight per design column, and how the descent went. */
export interface LogisticFit {
  intercept: number;
  weights: Float64Array;
  epochs: number;
  learningRate: number;
  /** Final mean log-loss plus the L2 term. */
  objective: number;
}

/** Stopping rules and penalty of a fit. */
export interface FitOptions {
  /** L2 penalty on the weights (the intercept is not penalised). */
  lambda: number;
  /** Upper bound on gradient steps. */
  maxEpochs: number;
  /** The descent stops once every gradient component is below this; 1e-7 by default. */
  tolerance?: number;
}

/**
 * Minimises mean log-loss + lambda/2 * |w|^2 over a row-major design matrix `x`
 * (rows × `width`) with Nesterov's accelerated gradient and adaptive restart.
 */
export function fitLogistic(x: Float64Array, y: Float64Array, width: number, options: FitOptions): LogisticFit {
  const size = width + 1; // index 0 is the intercept
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const learningRate = 1 / (MAX_SIGMOID_SLOPE * largestEigenvalue(x, width) + options.lambda);
  let theta = new Float64Array(size);
  let lookahead = new Float64Array(size);
  const gradient = new Float64Array(size);
  let momentum = 0;
  let epochs = 0;
  while (epochs < options.maxEpochs) {
    computeGradient(x, y, width, lookahead, options.lambda, gradient);
    if (maxAbs(gradient) < tolerance) {
      theta = lookahead; // the point whose gradient is flat
      break;
    }
    const next = new Float64Array(size);
    let progress = 0;
    for (let j = 0; j < size; j++) {
      next[j] = (lookahead[j] as number) - learningRate * (gradient[j] as number);
      progress += (gradient[j] as number) * ((next[j] as number) - (theta[j] as number));
    }
    // Restart the momentum when it points uphill (O'Donoghue & Candès): it removes the oscillations.
    momentum = progress > 0 ? 0 : momentum + 1;
    const beta = momentum / (momentum + 3);
    lookahead = Float64Array.from(next, (value, j) => value + beta * (value - (theta[j] as number)));
    theta = next;
    epochs++;
  }
  const objective = objectiveAt(x, y, width, theta, options.lambda);
  return { intercept: theta[0] as number, weights: theta.subarray(1), epochs, learningRate, objective };
}

/** Writes the gradient of the objective at `theta` into `out`. */
function computeGradient(
  x: Float64Array,
  y: Float64Array,
  width: number,
  theta: Float64Array,
  lambda: number,
  out: Float64Array,
): void {
  out.fill(0);
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const offset = i * width;
    const residual = sigmoid(linear(x, offset, width, theta)) - (y[i] as number);
    out[0] = (out[0] as number) + residual;
    for (let j = 0; j < width; j++) out[j + 1] = (out[j + 1] as number) + residual * (x[offset + j] as number);
  }
  out[0] = (out[0] as number) / n;
  for (let j = 1; j <= width; j++) out[j] = (out[j] as number) / n + lambda * (theta[j] as number);
}

function objectiveAt(x: Float64Array, y: Float64Array, width: number, theta: Float64Array, lambda: number): number {
  let loss = 0;
  for (let i = 0; i < y.length; i++) {
    const z = linear(x, i * width, width, theta);
    // log(1 + e^z) - y*z, computed without overflow.
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - (y[i] as number) * z;
  }
  let penalty = 0;
  for (let j = 1; j < theta.length; j++) penalty += (theta[j] as number) ** 2;
  return loss / y.length + (lambda / 2) * penalty;
}

function linear(x: Float64Array, offset: number, width: number, theta: Float64Array): number {
  let z = theta[0] as number;
  for (let j = 0; j < width; j++) z += (x[offset + j] as number) * (theta[j + 1] as number);
  return z;
}

/** Largest eigenvalue of (1/n)·[1 x]ᵀ[1 x] by power iteration from a fixed start (deterministic). */
function largestEigenvalue(x: Float64Array, width: number): number {
  const n = x.length / width || 1;
  let vector = new Float64Array(width + 1).fill(1 / Math.sqrt(width + 1));
  let eigenvalue = 1;
  for (let iteration = 0; iteration < POWER_ITERATIONS; iteration++) {
    const product = new Float64Array(width + 1);
    for (let i = 0; i < n; i++) {
      const z = linear(x, i * width, width, vector);
      product[0] = (product[0] as number) + z / n;
      for (let j = 0; j < width; j++)
        product[j + 1] = (product[j + 1] as number) + (z * (x[i * width + j] as number)) / n;
    }
    eigenvalue = Math.sqrt(product.reduce((sum, value) => sum + value * value, 0));
    if (eigenvalue === 0) return 1;
    vector = product.map((value) => value / eigenvalue);
  }
  // Power iteration approaches from below; a margin keeps the step safely inside 2/L.
  return eigenvalue * 1.05;
}

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}
