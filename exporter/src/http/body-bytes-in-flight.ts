/**
 * The bytes of request bodies being read, parsed and handled at once, against a cap: a body reserves
 * its bytes before it is read and releases them when its response closes. Large bodies may fill the
 * cap only up to the share kept for small ones, so a flood of large bodies cannot shut out predicts
 * and small batches.
 */
export class BodyBytesInFlight {
  private used = 0;
  private usedByLarge = 0;

  /**
   * @param cap most bytes reserved at once (`exporter.max_inflight_body_bytes`)
   * @param smallBytes bodies up to this size are small (`exporter.max_event_bytes`: one event's worth)
   */
  constructor(
    readonly cap: number,
    readonly smallBytes: number,
  ) {}

  /** Bytes reserved now. */
  get bytes(): number {
    return this.used;
  }

  /**
   * Reserves `bytes` and returns true, or returns false when they would pass the cap; a large body
   * must also leave a quarter of the cap to small ones, unless no other large body is in flight.
   */
  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.cap) return false;
    const large = bytes > this.smallBytes;
    if (large && this.usedByLarge > 0 && this.usedByLarge + bytes > this.cap - this.cap / SMALL_SHARE) return false;
    this.used += bytes;
    if (large) this.usedByLarge += bytes;
    return true;
  }

  /** Gives back what `tryReserve(bytes)` took. */
  release(bytes: number): void {
    this.used -= bytes;
    if (bytes > this.smallBytes) this.usedByLarge -= bytes;
  }
}

/** One part in this many of the cap is kept for small bodies. */
const SMALL_SHARE = 4;
