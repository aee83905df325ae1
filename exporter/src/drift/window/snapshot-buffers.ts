/**
 * Reusable column arrays for window snapshots. A caller that evaluates one snapshot at a time
 * (the drift monitor) passes the same buffers to every snapshot of every window, so an
 * evaluation stops allocating a window-sized copy of each column; the buffers grow to the
 * widest window and largest size seen and stay there.
 */
import { ScratchArray, float64Scratch, int32Scratch } from '../../../../drift/src/stats/scratch-array';

/** Column buffers handed out in order; a snapshot taken into them is valid until the next one. */
export class SnapshotBuffers {
  private readonly floats: ScratchArray<Float64Array>[] = [];
  private readonly ints: ScratchArray<Int32Array>[] = [];
  private nextFloat = 0;
  private nextInt = 0;

  /** Starts a new snapshot: every buffer may be handed out again (the previous snapshot is overwritten). */
  reset(): void {
    this.nextFloat = 0;
    this.nextInt = 0;
  }

  /** The next Float64 column of `length` values (contents unspecified). */
  float64(length: number): Float64Array {
    if (this.nextFloat === this.floats.length) this.floats.push(float64Scratch());
    return (this.floats[this.nextFloat++] as ScratchArray<Float64Array>).take(length);
  }

  /** The next Int32 column of `length` values (contents unspecified). */
  int32(length: number): Int32Array {
    if (this.nextInt === this.ints.length) this.ints.push(int32Scratch());
    return (this.ints[this.nextInt++] as ScratchArray<Int32Array>).take(length);
  }
}
