/** Below this length NumPy adds sequentially; up to the block size it uses eight interleaved accumulators. */
const UNROLL = 8;
const BLOCK = 128;

/**
 * Sums `length` values from `start` in exactly NumPy's order (`np.sum` on a contiguous float64 array),
 * so statistics built on sums round the same way as the SciPy reference values.
 */
export function pairwiseSum(values: ArrayLike<number>, start = 0, length = values.length - start): number {
  return 0 + blockSum(values, start, length);
}

// NumPy's pairwise_sum (numpy/core/src/umath/loops_utils.h): recursive halving at multiples of 8,
// eight partial sums inside a block, tree-combined, remainder added last.
function blockSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < UNROLL) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i] as number;
    return res;
  }
  if (n <= BLOCK) {
    let r0 = a[start] as number;
    let r1 = a[start + 1] as number;
    let r2 = a[start + 2] as number;
    let r3 = a[start + 3] as number;
    let r4 = a[start + 4] as number;
    let r5 = a[start + 5] as number;
    let r6 = a[start + 6] as number;
    let r7 = a[start + 7] as number;
    const whole = n - (n % UNROLL);
    let i = UNROLL;
    for (; i < whole; i += UNROLL) {
      const p = start + i;
      r0 += a[p] as number;
      r1 += a[p + 1] as number;
      r2 += a[p + 2] as number;
      r3 += a[p + 3] as number;
      r4 += a[p + 4] as number;
      r5 += a[p + 5] as number;
      r6 += a[p + 6] as number;
      r7 += a[p + 7] as number;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i] as number;
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % UNROLL;
  return blockSum(a, start, half) + blockSum(a, start + half, n - half);
}
