/**
 * One reusable typed array that grows to the largest length asked of it: an evaluation that
 * runs test after test takes its work arrays from here instead of allocating them per test,
 * so the allocator is not left holding the freed copies of every feature's arrays.
 */

/** The typed arrays the statistics work in. */
export type WorkArray = Float64Array | Int32Array | Uint32Array | Uint8Array;

/** A grow-only work array; a view it hands out is valid until the next call to {@link take} or {@link zeroed}. */
export class ScratchArray<T extends WorkArray> {
  private buffer: T;

  constructor(private readonly make: (length: number) => T) {
    this.buffer = make(0);
  }

  /** A view of `length` elements with unspecified contents (the previous user's values). */
  take(length: number): T {
    if (this.buffer.length < length) this.buffer = this.make(length);
    // subarray on a typed array returns the same type; TypeScript only knows the union.
    return this.buffer.length === length ? this.buffer : (this.buffer.subarray(0, length) as T);
  }

  /** A view of `length` zeros, as a new array would be. */
  zeroed(length: number): T {
    const view = this.take(length);
    view.fill(0);
    return view;
  }
}

/** Grow-only Float64Array / Int32Array / Uint32Array / Uint8Array work arrays. */
export const float64Scratch = (): ScratchArray<Float64Array> => new ScratchArray((n) => new Float64Array(n));
export const int32Scratch = (): ScratchArray<Int32Array> => new ScratchArray((n) => new Int32Array(n));
export const uint32Scratch = (): ScratchArray<Uint32Array> => new ScratchArray((n) => new Uint32Array(n));
export const uint8Scratch = (): ScratchArray<Uint8Array> => new ScratchArray((n) => new Uint8Array(n));
