import { IdArena } from './id-arena';
import type { IdKey } from './id-key';

/**
 * Where each id of the recent-id store sits in its ring: an open-addressing hash table (linear
 * probing, backward-shift deletion) over typed arrays, keyed by a keyed 32-bit hash of the id (see
 * IdKey) and confirmed by comparing the packed id itself, so a hash collision costs a probe, never
 * a wrong answer.
 *
 * Why not a Map: a Map of 100,000 id strings cost about 1.3 µs per ingested event (hashing a fresh
 * string, inserting, deleting the evicted one, rehashing as entries come and go); this table costs a
 * fraction of that and allocates nothing per id.
 */
export class IdIndex {
  /**
   * Two numbers a bucket, side by side so a probe reads one cache line: at 2b the ring position + 1
   * (0 for an empty bucket), at 2b + 1 the hash of the id there, so a probe compares ids only when
   * their hashes match.
   */
  private table: Int32Array = new Int32Array(0);
  /** Buckets - 1 (a power of two minus one); -1 before the first rebuild. */
  private mask = -1;
  /** By ring position: the ids; the store's arena, read here to confirm a match. */
  private ids = new IdArena(0);

  /**
   * Numbers in the table of a ring of `positions`: two per bucket, and at least twice as many buckets
   * as positions (a power of two), so at most half are ever used and a probe that misses ends after
   * about two buckets.
   */
  static tableLength(positions: number): number {
    let buckets = 8;
    while (buckets < 2 * positions) buckets *= 2;
    return 2 * buckets;
  }

  /** The ring position of the id loaded in `key`, whose hash is `hash`, or -1. */
  find(key: IdKey, hash: number): number {
    if (this.mask < 0) return -1;
    for (let bucket = hash & this.mask; ; bucket = (bucket + 1) & this.mask) {
      const slot = this.table[2 * bucket] as number;
      if (slot === 0) return -1;
      if (this.table[2 * bucket + 1] === hash && this.ids.matches(slot - 1, key)) return slot - 1;
    }
  }

  /** Records that an id of hash `hash`, not in the index, sits at ring `position`. */
  add(hash: number, position: number): void {
    let bucket = hash & this.mask;
    while (this.table[2 * bucket] !== 0) bucket = (bucket + 1) & this.mask;
    this.table[2 * bucket] = position + 1;
    this.table[2 * bucket + 1] = hash;
  }

  /** Forgets the id of hash `hash` at ring `position`, which the index holds. */
  delete(hash: number, position: number): void {
    let bucket = hash & this.mask;
    while (this.table[2 * bucket] !== position + 1) bucket = (bucket + 1) & this.mask;
    // Backward shift: each later entry of the run that may move into the hole does, so no probe
    // for it stops early at the hole; no tombstones, so probes stay as short as the load allows.
    for (let next = (bucket + 1) & this.mask; this.table[2 * next] !== 0; next = (next + 1) & this.mask) {
      const home = (this.table[2 * next + 1] as number) & this.mask;
      // The entry at `next` may move to `bucket` unless its home lies cyclically in (bucket, next].
      const stays = bucket <= next ? home > bucket && home <= next : home > bucket || home <= next;
      if (stays) continue;
      this.table[2 * bucket] = this.table[2 * next] as number;
      this.table[2 * bucket + 1] = this.table[2 * next + 1] as number;
      bucket = next;
    }
    this.table[2 * bucket] = 0;
  }

  /**
   * Indexes a new ring: `ids` and their `hashes` by ring position, in `table`, zeroed, of
   * IdIndex.tableLength(ids.length) numbers (the store's to allocate: it carves one buffer for the
   * ring and its index).
   */
  rebuild(ids: IdArena, hashes: Int32Array, table: Int32Array): void {
    if (table.length !== IdIndex.tableLength(ids.length))
      throw new Error(
        `IdIndex: a table of ${table.length} numbers for ${ids.length} positions, expected ${IdIndex.tableLength(ids.length)}`,
      );
    this.ids = ids;
    this.table = table;
    this.mask = table.length / 2 - 1;
    for (let position = 0; position < ids.length; position++)
      if (ids.has(position)) this.add(hashes[position] as number, position);
  }
}
