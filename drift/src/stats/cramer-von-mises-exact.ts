/** Frequency table of the path sums reaching one lattice point: ascending distinct sums and how many paths give each. */
interface Cell {
  sums: Float64Array;
  counts: Float64Array;
  length: number;
}

const EMPTY: Cell = { sums: new Float64Array(0), counts: new Float64Array(0), length: 0 };

/**
 * Exact P(U' >= u) for the two-sample Cramér–von Mises rank statistic U (Anderson 1962, eq. 10) with sample sizes
 * m and n, counting all C(m+n, m) arrangements (Xiao, Gordon & Yakovlev 2006, Algorithm 1).
 */
export function cramerVonMisesExactPValue(u: number, m: number, n: number): number {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 1 || n < 1) {
    throw new RangeError(`cramerVonMisesExactPValue: sample sizes must be positive integers (got ${m} and ${n})`);
  }
  const arrangements = binomial(m + n, m);
  // Beyond 2^53 the path counts stop being exact integers (and the table gets too large to build anyway).
  if (arrangements > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(
      `cramerVonMisesExactPValue: C(${m + n}, ${m}) arrangements are too many for the exact distribution`,
    );
  }
  const lcm = (m / gcd(m, n)) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  // U in Anderson's scale becomes ζ, a threshold on sums of (a·v - b·u)² along the lattice path (Xiao et al., eq. 2–3).
  // Every input is a small integer or a multiple of 1/4, so the quotient is never within rounding of an integer.
  const zeta = Math.floor((lcm * lcm * (m + n) * (6 * u - mn * (4 * mn - 1))) / (6 * mn * mn));

  // cells[v] holds g_{i,v}: after step i it describes the paths from (0, 0) to (i, v) (Xiao et al., eq. 11).
  const cells: Cell[] = [{ sums: Float64Array.of(0), counts: Float64Array.of(1), length: 1 }];
  for (let v = 1; v <= m; v++) cells.push(EMPTY);
  for (let i = 0; i <= n; i++) {
    let previous = EMPTY;
    for (let v = 0; v <= m; v++) {
      const step = a * v - b * i;
      // A path reaches (i, v) from (i - 1, v) (the old cells[v]) or from (i, v - 1) (just updated).
      previous = mergeShifted(previous, cells[v] as Cell, step * step);
      cells[v] = previous;
    }
  }

  const last = cells[m] as Cell;
  let tail = 0;
  for (let j = 0; j < last.length; j++) if ((last.sums[j] as number) >= zeta) tail += last.counts[j] as number;
  // Path counts are exact integers below 2^53, so only the division rounds.
  return tail / arrangements;
}

// Merges two ascending frequency tables, adding the counts of equal sums, then adds `shift` to every sum.
function mergeShifted(x: Cell, y: Cell, shift: number): Cell {
  const capacity = x.length + y.length;
  const sums = new Float64Array(capacity);
  const counts = new Float64Array(capacity);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.length || j < y.length) {
    const sx = i < x.length ? (x.sums[i] as number) : Infinity;
    const sy = j < y.length ? (y.sums[j] as number) : Infinity;
    if (sx === sy) {
      sums[k] = sx + shift;
      counts[k++] = (x.counts[i++] as number) + (y.counts[j++] as number);
    } else if (sx < sy) {
      sums[k] = sx + shift;
      counts[k++] = x.counts[i++] as number;
    } else {
      sums[k] = sy + shift;
      counts[k++] = y.counts[j++] as number;
    }
  }
  return { sums, counts, length: k };
}

function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

// C(n, k) by the multiplicative formula; each partial product is an exact integer C(n-k+i, i).
function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}
