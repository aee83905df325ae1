/**
 * Durbin's matrix formula for the two-sided one-sample KS CDF, P(D_n <= d),
 * in the Marsaglia–Tsang–Wang form SciPy uses for small n·d².
 */
import { SCALE_EXPONENT, TWO_POW_128, TWO_POW_MINUS_128, clipProbability, ldexp } from './kstwo-scale';

// Durbin (1968); Marsaglia, Tsang & Wang (2003), J. Stat. Softw. 8(18):
// P(D_n <= d) = n!/n^n · (H^n)[k,k] with d = (k - h)/n, H an m×m matrix, m = 2k - 1.
/** P(D_n <= d) by Durbin's matrix method; cost O(m³ log n) with m = 2⌈nd⌉ - 1. */
export function kstwoCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const m = 2 * k - 1;
  let h = durbinMatrix(m, k - nd);
  let power = identity(m);
  let expnt = 0; // power holds the true value / 2^expnt
  let hExpnt = 0; // likewise for h
  // Binary powering, rescaling h whenever its centre entry grows past 2^128.
  for (let nn = n; nn > 0; nn = Math.floor(nn / 2)) {
    if (nn % 2 === 1) {
      power = multiply(power, h, m);
      expnt += hExpnt;
    }
    h = multiply(h, h, m);
    hExpnt *= 2;
    if (Math.abs(h[(k - 1) * m + (k - 1)] as number) > TWO_POW_128) {
      for (let i = 0; i < h.length; i++) h[i] = (h[i] as number) / TWO_POW_128;
      hExpnt += SCALE_EXPONENT;
    }
  }
  let p = power[(k - 1) * m + (k - 1)] as number;
  // Multiply by n!/n^n one factor at a time, lifting p before it underflows.
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < TWO_POW_MINUS_128) {
      p *= TWO_POW_128;
      expnt -= SCALE_EXPONENT;
    }
  }
  return clipProbability(expnt !== 0 ? ldexp(p, expnt) : p);
}

/** Durbin's H for fractional offset h: Toeplitz 1/j! entries with corrected first column and last row. */
function durbinMatrix(m: number, h: number): Float64Array {
  const v = new Float64Array(m); // v[j-1] = (1 - h^j) / j!
  const w = new Float64Array(m); // w[j-1] = 1 / (j-1)!
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - Math.pow(h, j)) * fac;
  }
  const tt = Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m);
  v[m - 1] = (1 + tt) * fac;
  const hm = new Float64Array(m * m);
  for (let col = 1; col < m; col++) {
    for (let row = col - 1; row < m; row++) hm[row * m + col] = w[row - col + 1] as number;
  }
  for (let row = 0; row < m; row++) hm[row * m] = v[row] as number;
  for (let col = 0; col < m; col++) hm[(m - 1) * m + col] = v[m - 1 - col] as number;
  return hm;
}

function identity(m: number): Float64Array {
  const id = new Float64Array(m * m);
  for (let i = 0; i < m; i++) id[i * m + i] = 1;
  return id;
}

/** Row-major m×m product a·b. */
function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l] as number;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] = (out[i * m + j] as number) + ail * (b[l * m + j] as number);
    }
  }
  return out;
}
