/**
 * The two-sample KS statistic, its location and sign, from sorted data.
 *
 * Matches SciPy's `ks_2samp`: F_a - F_b is evaluated (right-continuous ECDFs,
 * `count / n` as doubles, so the same roundings) at every pooled value; the
 * location is the value where the extreme is first reached scanning
 * `concat(sorted(a), sorted(b))`, NumPy's argmax/argmin order. That order puts
 * all of a's values first, so extremes seen at a's values and at b's values are
 * tracked apart, each keeping its smallest value (strict updates, ascending scan).
 */

/** The largest ECDF gap and where it happens, SciPy conventions. */
export interface KsStatistic {
  /** max |F_a - F_b| over the pooled values, in [0, 1]. */
  statistic: number;
  /** Pooled data value at which the statistic is first attained. */
  location: number;
  /** +1 when F_a - F_b reaches the statistic (ties included), -1 when F_b - F_a exceeds it. */
  sign: 1 | -1;
}

/** Running extremes of F_a - F_b at values of a and at values of b, fed in ascending value order. */
export class KsExtremes {
  private maxA = -Infinity;
  private maxAAt = NaN;
  private minA = Infinity;
  private minAAt = NaN;
  private maxB = -Infinity;
  private maxBAt = NaN;
  private minB = Infinity;
  private minBAt = NaN;

  /** Records the gap `diff` at value `v`, which occurs in a (`inA`) and/or in b (`inB`). */
  see(diff: number, v: number, inA: boolean, inB: boolean): void {
    // Test the rarely-true comparison first so the branch predicts well.
    if (diff > this.maxA && inA) {
      this.maxA = diff;
      this.maxAAt = v;
    }
    if (diff < this.minA && inA) {
      this.minA = diff;
      this.minAAt = v;
    }
    if (diff > this.maxB && inB) {
      this.maxB = diff;
      this.maxBAt = v;
    }
    if (diff < this.minB && inB) {
      this.minB = diff;
      this.minBAt = v;
    }
  }

  /** SciPy's rule: the negative gap wins only when strictly larger; on equal gaps a's location wins. */
  result(): KsStatistic {
    // SciPy clips -min(F_a - F_b) into [0, 1]; the max is never negative (both ECDFs end at 1).
    const maxS = Math.max(this.maxA, this.maxB);
    const minS = Math.min(Math.max(-Math.min(this.minA, this.minB), 0), 1);
    if (minS > maxS) return { statistic: minS, location: this.minA <= this.minB ? this.minAAt : this.minBAt, sign: -1 };
    return { statistic: maxS, location: this.maxA >= this.maxB ? this.maxAAt : this.maxBAt, sign: 1 };
  }
}

/**
 * Feeds `ext` the gaps at the distinct values of values[from, to), a sorted run of pooled
 * values tagged 1 (from a) or 0 (from b), given i0 values of a and j0 of b below the run.
 */
export function scanPooled(
  values: Float64Array,
  fromA: Uint8Array,
  from: number,
  to: number,
  counts: { i0: number; j0: number; n1: number; n2: number },
  ext: KsExtremes,
): void {
  const { n1, n2 } = counts;
  let i = counts.i0;
  let j = counts.j0;
  let p = from;
  while (p < to) {
    const v = values[p] as number;
    const iBefore = i;
    const jBefore = j;
    // Consume every copy of v (right-continuous ECDFs); arithmetic instead of branching on the tag.
    do {
      const t = fromA[p] as number;
      i += t;
      j += 1 - t;
      p++;
    } while (p < to && values[p] === v);
    ext.see(i / n1 - j / n2, v, i > iBefore, j > jBefore);
  }
}

/** From two non-empty ascending arrays, by a merge walk (the small-sample path). */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): KsStatistic {
  const n1 = a.length;
  const n2 = b.length;
  const ext = new KsExtremes();
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const ai = i < n1 ? (a[i] as number) : Infinity;
    const bj = j < n2 ? (b[j] as number) : Infinity;
    const v = ai <= bj ? ai : bj;
    const inA = i < n1 && ai === v;
    const inB = j < n2 && bj === v;
    if (inA)
      do i++;
      while (i < n1 && a[i] === v);
    if (inB)
      do j++;
      while (j < n2 && b[j] === v);
    ext.see(i / n1 - j / n2, v, inA, inB);
  }
  return ext.result();
}

/**
 * max |F_a - F_b| of two non-empty ascending NaN-free arrays, without location or sign: the same double
 * as {@link ksStatisticSorted}'s statistic, but b is only walked, not compared value by value with a
 * (the engine's case: a small sorted window against a large pre-sorted reference). Order is not checked.
 */
export function ksStatisticPresorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let best = 0;
  let i = 0;
  let j = 0;
  while (i < n1) {
    const v = a[i] as number;
    while (j < n2 && (b[j] as number) < v) j++;
    // Just below v, F_b - F_a peaks at the last b value under v (or at the previous a value: same gap).
    const below = j / n2 - i / n1;
    if (below > best) best = below;
    do i++;
    while (i < n1 && a[i] === v);
    while (j < n2 && b[j] === v) j++;
    // At v itself F_a - F_b peaks (right-continuous ECDFs); b values up to the next a value only lower it.
    const at = i / n1 - j / n2;
    if (at > best) best = at;
  }
  return best;
}
