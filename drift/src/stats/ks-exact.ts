/**
 * Exact two-sided p-values of the two-sample KS test, P(D_{n1,n2} >= h / lcm(n1, n2)),
 * counted over the lattice paths from (0, 0) to (n1, n2), as SciPy 1.10 does.
 */

/** Exact two-sided p-value for sample sizes n1, n2 and integer gap h = D * lcm(n1, n2). */
export function ksExactPvalue(n1: number, n2: number, h: number): number {
  if (h <= 0) return 1;
  if (n1 === n2) return probOutsideSquare(n1, h);
  return probOutsideInsideMethod(n1, n2, gcd(n1, n2), h);
}

/** Greatest common divisor of two positive integers (Euclid). */
export function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// Hodges (1958) eq. for n1 = n2 = n: P = 2 Σ_{k>=1} (-1)^(k-1) C(2n, n-kh) / C(2n, n),
// evaluated Horner-style as 2 A1 (1 - A2 (1 - A3 (...))) with A_k the ratio of
// consecutive terms, which avoids the alternating sum's cancellation.
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    // h factors (n - kh - j) / (n + kh + j + 1), in SciPy's operation order.
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

// Hodges' (1958) "inside method" with Viehmann's (2021, arXiv:2102.08037) recursion
// for 1 - p: A(x, y) = (x A(x-1, y) + y A(x, y-1)) / (x + y), A = 1 outside the band
// |n x - m y| < h g, so A(m, n) is directly the probability of leaving the band.
function probOutsideInsideMethod(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const mg = m / g;
  const ng = n / g;
  // One column of A lives in a sliding window [minj, maxj) of y values.
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    // The band closed: every path has left it.
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((a[jj + minj - lastminj] as number) * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    // Cells the window slid past are outside the band again.
    if (lastlen > curlen) a.fill(1, curlen, lastlen);
  }
  return a[maxj - minj - 1] as number;
}
