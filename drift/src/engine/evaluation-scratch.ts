/**
 * The work arrays of drift evaluations, kept from one evaluation to the next. Allocated per
 * feature, a wide model's window-sized sort and index arrays add up to tens of MiB per
 * evaluation that the allocator keeps after they are freed; borrowed from here, they are
 * allocated once, at the largest window's size, and reused by every feature and evaluation.
 */
import { AndersonScratch } from '../stats/anderson-darling';
import { KsScratch } from '../stats/ks-indexed';
import type { PooledSortScratch } from '../stats/ks-pooled-sort';
import { float64Scratch } from '../stats/scratch-array';

/** Work arrays for one evaluation at a time; an evaluation claims them and releases them when it ends. */
export class EvaluationScratch {
  /** A numeric column without its missing values. */
  readonly present = float64Scratch();
  /** KS's bucket counts and candidate values. */
  readonly ks = new KsScratch();
  /** Wasserstein's per-gap terms. */
  readonly terms = float64Scratch();
  /** Anderson–Darling's pooled-size terms. */
  readonly anderson = new AndersonScratch();
  private claimed = false;

  /** The sorted copy of a window, shared by the sample tests (one test runs at a time). */
  get sort(): PooledSortScratch {
    return this.ks.sort;
  }

  /** Lends the arrays to one evaluation; throws a RangeError while another one (an async evaluation in progress) holds them. */
  claim(): void {
    if (this.claimed)
      throw new RangeError(
        'EvaluationScratch: already in use by another evaluation; give each concurrent evaluation its own',
      );
    this.claimed = true;
  }

  /** Returns the arrays after an evaluation, finished or failed. */
  release(): void {
    this.claimed = false;
  }
}
