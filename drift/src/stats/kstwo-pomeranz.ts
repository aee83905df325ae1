/**
 * Pomeranz's recursion for the two-sided one-sample KS CDF, P(D_n <= d), which
 * SciPy (after Simard & L'Ecuyer 2011) uses for n <= 140 and moderate n·d².
 */
import { SCALE_EXPONENT, TWO_POW_128, TWO_POW_MINUS_128, clipProbability, ldexp } from './kstwo-scale';

/** Constants of one Pomeranz evaluation: t = n d split into integer and fractional parts. */
interface Grid {
  n: number;
  ll: number;
  ceilf: number;
  roundf: number;
}

// Pomeranz (1974), CACM Algorithm 487: each of the 2n + 1 rows is the previous row
// convolved with truncated Poisson weights (g/n)^m/m!, (2g/n)^m/m! or ((1-2g)/n)^m/m!;
// P(D_n <= d) = n! · (last entry). Only a contiguous band of each row is non-zero.
/** P(D_n <= d) by Pomeranz's recursion; cost O(n · (nd)²). */
export function kstwoCdfPomeranz(n: number, d: number): number {
  const t = n * d;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const grid: Grid = { n, ll, ceilf: f > 0 ? 1 : 0, roundf: f > 0.5 ? 1 : 0 };
  const width = 2 * (ll + 1);
  const gPow = poissonWeights(width, g / n);
  const twoGPow = poissonWeights(width, (2 * g) / n);
  const oneMinus2GPow = poissonWeights(width, (1 - 2 * g) / n);

  let v0 = new Float64Array(width);
  let v1 = new Float64Array(width);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0; // index of the first stored entry of each row
  let expnt = 0;
  let [j1] = bandLimits(0, grid);
  let j2: number;
  for (let i = 1; i <= 2 * n + 1; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    [j1, j2] = bandLimits(i, grid);
    const weights = i === 1 || i === 2 * n + 1 ? gPow : i % 2 === 1 ? twoGPow : oneMinus2GPow;
    const len = j2 - k1 + 1;
    if (len > 0) {
      convolveInto(v1, v0, k1 - v0s, weights, len, j1 - k1, j2 - j1 + 1);
      if (rowMax(v1) > 0 && rowMax(v1) < TWO_POW_MINUS_128) {
        for (let q = 0; q < width; q++) v1[q] = (v1[q] as number) * TWO_POW_128;
        expnt -= SCALE_EXPONENT;
      }
      v1s = v0s + j1 - k1;
    }
  }
  let ans = v1[n - v1s] as number;
  // Multiply by n!, lowering ans before it overflows.
  for (let q = 1; q <= n; q++) {
    if (Math.abs(ans) > TWO_POW_128) {
      ans *= TWO_POW_MINUS_128;
      expnt += SCALE_EXPONENT;
    }
    ans *= q;
  }
  return clipProbability(expnt !== 0 ? ldexp(ans, expnt) : ans);
}

/** (rate)^m / m! for m = 0 .. count-1: Poisson weights without the e^-rate factor. */
function poissonWeights(count: number, rate: number): Float64Array {
  const out = new Float64Array(count);
  out[0] = 1;
  for (let m = 1; m < count; m++) out[m] = ((out[m - 1] as number) * rate) / m;
  return out;
}

/** First and last non-zero index of row i (Pomeranz's j1, j2), clamped to [0, n]. */
function bandLimits(i: number, { n, ll, ceilf, roundf }: Grid): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      // i odd
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/**
 * out[0..outLen) = entries [from, from+outLen) of the full convolution of
 * src[start .. start+len) (clipped to src) with weights[0 .. len).
 */
function convolveInto(
  out: Float64Array,
  src: Float64Array,
  start: number,
  weights: Float64Array,
  len: number,
  from: number,
  outLen: number,
): void {
  const segLen = Math.min(len, src.length - start);
  for (let c = 0; c < outLen; c++) {
    const idx = from + c;
    let s = 0;
    for (let p = Math.max(0, idx - len + 1); p <= Math.min(idx, segLen - 1); p++) {
      s += (src[start + p] as number) * (weights[idx - p] as number);
    }
    out[c] = s;
  }
}

function rowMax(row: Float64Array): number {
  let mx = -Infinity;
  for (let q = 0; q < row.length; q++) if ((row[q] as number) > mx) mx = row[q] as number;
  return mx;
}
