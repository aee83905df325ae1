import { pairwiseSum } from './pairwise-sum';
import { requireNonNegative } from './sorted-sample';

/**
 * Jensen–Shannon distance in base 2 (the square root of the JS divergence, in [0, 1]) between two non-negative
 * weight vectors over the same bins or categories, as `scipy.spatial.distance.jensenshannon(p, q, base=2)`;
 * both vectors are renormalised to sum 1, so raw counts work too. Throws RangeError if either sums to 0.
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const k = p.length;
  if (q.length !== k)
    throw new RangeError(`jensenShannon: p and q must have the same length (got ${k} and ${q.length})`);
  if (k === 0) throw new RangeError('jensenShannon: needs at least one bin (got 0)');
  requireNonNegative(p, 'jensenShannon(p)');
  requireNonNegative(q, 'jensenShannon(q)');
  const pTotal = pairwiseSum(p);
  const qTotal = pairwiseSum(q);
  if (!(pTotal > 0)) throw new RangeError('jensenShannon: p sums to 0 (empty sample)');
  if (!(qTotal > 0)) throw new RangeError('jensenShannon: q sums to 0 (empty sample)');

  const left = new Float64Array(k);
  const right = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const pi = (p[i] as number) / pTotal;
    const qi = (q[i] as number) / qTotal;
    const m = (pi + qi) / 2;
    left[i] = relEntr(pi, m);
    right[i] = relEntr(qi, m);
  }
  const divergence = (pairwiseSum(left) + pairwiseSum(right)) / Math.LN2;
  // Rounding can leave a tiny negative divergence when p ≈ q; the distance is 0 there.
  return Math.sqrt(Math.max(0, divergence / 2));
}

// scipy.special.rel_entr: x ln(x / y), with 0 ln(0 / y) = 0; y > 0 whenever x > 0 here because m >= x / 2.
function relEntr(x: number, y: number): number {
  return x > 0 ? x * Math.log(x / y) : 0;
}
