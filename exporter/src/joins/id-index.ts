import { randomInt } from 'node:crypto';

/**
 * Where each id of the recent-id store sits in its ring: an open-addressing hash table (linear
 * probing, backward-shift deletion) over typed arrays, keyed by a seeded 32-bit hash of the id and
 * confirmed by comparing the id itself, so a hash collision costs a probe, never a wrong answer.
 *
 * Why not a Map: a Map of 100,000 id strings cost about 1.3 µs per ingested event (hashing a fresh
 * string, inserting, deleting the evicted one, rehashing as entries come and go); this table costs a
 * fraction of that and allocates nothing per id. The seed is random per process, so which ids share
 * a bucket cannot be chosen by a client (a flood of colliding ids would make every probe long).
 */
export class IdIndex {
  /**
   * Two numbers a bucket, side by side so a probe reads one cache line: at 2b the ring position + 1
   * (0 for an empty bucket), at 2b + 1 the hash of the id there, so a probe compares ids only when
   * their hashes match.
   */
  private table = new Int32Array(0);
  /** Buckets - 1 (a power of two minus one); -1 before the first rebuild. */
  private mask = -1;
  /** By ring position: the id, or undefined; the store's array, read here to confirm a match. */
  private ids: readonly (string | undefined)[] = [];
  private readonly seed = randomInt(0x7fffffff);

  /** The ring position of `id`, whose {@link hashOf} is `hash`, or -1. */
  find(id: string, hash: number): number {
    if (this.mask < 0) return -1;
    for (let bucket = hash & this.mask; ; bucket = (bucket + 1) & this.mask) {
      const slot = this.table[2 * bucket] as number;
      if (slot === 0) return -1;
      if (this.table[2 * bucket + 1] === hash && this.ids[slot - 1] === id) return slot - 1;
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
   * Indexes a new ring: `ids` and their `hashes` by ring position, `length` positions in all; at most
   * half the buckets are then ever used, so a probe that misses ends after about two buckets.
   */
  rebuild(ids: readonly (string | undefined)[], hashes: Int32Array, length: number): void {
    this.ids = ids;
    let buckets = 8;
    while (buckets < 2 * length) buckets *= 2;
    this.table = new Int32Array(2 * buckets);
    this.mask = buckets - 1;
    for (let position = 0; position < ids.length; position++)
      if (ids[position] !== undefined) this.add(hashes[position] as number, position);
  }

  /**
   * A seeded hash of the id's UTF-16 code units: two FNV-1a style lanes (xor, then multiply) mixed at
   * the end, about 2 ns per character; the seed enters every step through the lanes' state.
   */
  hashOf(id: string): number {
    let a = 0x811c9dc5 ^ this.seed;
    let b = 0x41c6ce57 ^ this.seed;
    for (let i = 0; i < id.length; i++) {
      const unit = id.charCodeAt(i);
      a = Math.imul(a ^ unit, 0x01000193);
      b = Math.imul(b ^ unit, 0x5bd1e995);
    }
    // The lanes joined (one turned by half a word), then murmur3's finaliser: every bit of the result,
    // the low ones that choose the bucket too, depends on every bit of both lanes.
    let h = a ^ ((b << 16) | (b >>> 16));
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return h ^ (h >>> 16);
  }
}
