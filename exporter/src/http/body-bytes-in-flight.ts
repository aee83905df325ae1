/**
 * The bytes of request bodies being read, parsed and handled at once, against a cap: a body reserves
 * its bytes before it is read and releases them when its response closes.
 */
export class BodyBytesInFlight {
  private used = 0;

  /** @param cap most bytes reserved at once (`exporter.max_inflight_body_bytes`) */
  constructor(readonly cap: number) {}

  /** Bytes reserved now. */
  get bytes(): number {
    return this.used;
  }

  /** Reserves `bytes` and returns true, or returns false when they would pass the cap. */
  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.cap) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used -= bytes;
  }
}
