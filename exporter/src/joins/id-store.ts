import { ID_STORE_EVICTION_REASONS, type IdStoreEvictionReason } from '../../../spec/src/conventions';
import type { FixedCounter } from '../metrics/fixed-counter';
import { IdArena } from './id-arena';
import { IdIndex } from './id-index';
import { IdKey } from './id-key';

/** What the store keeps of one prediction: what a label or an outcome joining to it later needs. */
export interface RememberedPrediction {
  readonly id: string;
  /** Index of the prediction's model version in the series layout (see VersionSlot.index). */
  readonly slot: number;
  /** Index of the predicted class in the model's classes, or -1 (errors, regression). */
  readonly classIndex: number;
  /** The regression output, or NaN. */
  readonly output: number;
  /** Raw probability of the predicted class, or NaN when unknown (kept as a float32: a label join needs no more). */
  readonly confidence: number;
  /** When the exporter first saw the id, in Unix milliseconds. */
  readonly timeMs: number;
}

/**
 * The store's entries oldest first as columns (see IdStore.columns), one element per entry (four
 * words): a snapshot's data without a string or object per id.
 */
export interface IdColumns {
  readonly count: number;
  /** Entry i's packed id at [4i, 4i + 4) (see IdKey); meaningless for a gap or an OUT_OF_LINE id. */
  readonly words: Int32Array;
  /** Entry i's IdKey kind, or 0 for a gap (an id taken anew since). */
  readonly kinds: Uint8Array;
  /** The OUT_OF_LINE ids, in entry order. */
  readonly outOfLine: string[];
  readonly slots: Int32Array;
  readonly classes: Int32Array;
  readonly outputs: Float64Array;
  readonly confidences: Float32Array;
  readonly times: Float64Array;
}

const CAPACITY = ID_STORE_EVICTION_REASONS.indexOf('capacity');
const AGE = ID_STORE_EVICTION_REASONS.indexOf('age');
/** Ring positions allocated first; the ring doubles up to the capacity, so a small load costs little memory. */
const INITIAL_LENGTH = 1024;
/** Bytes per ring position in the typed columns (times, outputs: 8; hashes, slots, classes, confidences: 4). */
const RING_BYTES_PER_POSITION = 2 * 8 + 4 * 4;

/**
 * The prediction ids seen recently, each with its model version, prediction and first-seen time:
 * a bounded map in insertion order. A retried event is found here and counted once (the first
 * write wins); the label and outcome joins look predictions up here. The oldest id leaves when
 * the store is full (`capacity`) or when it is older than `maxAgeSeconds`, counted by reason.
 *
 * Ids sit in a ring of typed arrays, as bytes (see IdArena), and a hash index over typed arrays
 * holds each id's ring position (see IdIndex), so claiming an id hashes it once, allocates nothing
 * and keeps no JS object per id (see IdKey): 66 bytes per UUID id at 1,000,000 (bench/README.md, labels figure 2).
 */
export class IdStore {
  private readonly index = new IdIndex();
  /** The id being claimed or looked up, packed once (its hash keys are this store's for its life). */
  private readonly key = new IdKey();
  /** Ids in the index now. */
  private indexed = 0;
  /** By ring position: the id, or none for a free position or one whose id was taken anew. */
  private ids = new IdArena(0);
  /** By ring position: the id's hash in the index. */
  private hashes = new Int32Array(0);
  private slots = new Int32Array(0);
  private classes = new Int32Array(0);
  private outputs = new Float64Array(0);
  private confidences = new Float32Array(0);
  private times = new Float64Array(0);
  /** The buffer every column and the index table are views of. */
  private buffer = new ArrayBuffer(0);
  /** Ring position of the oldest entry. */
  private head = 0;
  /** Ring positions in use, from `head` on. */
  private used = 0;
  /** How long an id is kept at most, in milliseconds; +Infinity when only the capacity bounds it. */
  readonly maxAgeMs: number;

  constructor(
    /** Ids kept at most; 0 keeps none, and every id is then new. */
    readonly capacity: number,
    maxAgeSeconds: number | null,
    /** `mlwatch_id_store_evictions_total`, one series per ID_STORE_EVICTION_REASONS entry. */
    private readonly evictions: FixedCounter,
  ) {
    this.maxAgeMs = maxAgeSeconds === null ? Number.POSITIVE_INFINITY : maxAgeSeconds * 1000;
  }

  /** Bytes of the ring and its index (one buffer; ids kept as strings apart), for tests and the bench. */
  get bufferBytes(): number {
    return this.buffer.byteLength;
  }

  /** Ids kept as strings because they do not pack (see IdKey). */
  get stringIds(): number {
    return this.ids.outOfLineCount;
  }

  /** Ids remembered now (an expired id counts until the next claim evicts it). */
  get size(): number {
    return this.indexed;
  }

  /**
   * Remembers `id` with its prediction unless it is remembered already: true when the id is new
   * (the event is to be counted), false for a duplicate, whose own prediction is ignored.
   * `confidence` is the predicted class's raw probability, NaN when unknown.
   */
  claim(id: string, slot: number, classIndex: number, output: number, nowMs: number, confidence = Number.NaN): boolean {
    if (this.capacity === 0) return true;
    return this.claimLoaded(this.key.load(id), slot, classIndex, output, nowMs, confidence);
  }

  /**
   * Claims, as `claim` does, an id already packed: entry `entry` of a snapshot's columns (see
   * `columns`), `kind` and the words of `words` from 4 × entry, or `text` for an OUT_OF_LINE id.
   * The caller has checked the kind and words (isPackedKind, wordsFitKind).
   */
  claimPacked(
    kind: number,
    words: Int32Array,
    entry: number,
    text: string,
    slot: number,
    classIndex: number,
    output: number,
    nowMs: number,
    confidence: number,
  ): boolean {
    if (this.capacity === 0) return true;
    const hash = this.key.loadPacked(kind, words, 4 * entry, text);
    return this.claimLoaded(hash, slot, classIndex, output, nowMs, confidence);
  }

  /** `claim` of the id loaded in `key`, whose hash is `hash`. */
  private claimLoaded(
    hash: number,
    slot: number,
    classIndex: number,
    output: number,
    nowMs: number,
    confidence: number,
  ): boolean {
    const oldest = nowMs - this.maxAgeMs;
    if (this.used > 0 && (this.times[this.head] as number) < oldest) this.expire(oldest);
    const seen = this.index.find(this.key, hash);
    if (seen >= 0) {
      if ((this.times[seen] as number) >= oldest) return false;
      // Expired but not at the head (the clock stepped back): the id is new again, its old position a gap.
      this.forget(seen);
      this.evictions.inc(AGE);
    }
    if (this.used === this.ids.length) {
      if (this.used < this.capacity) this.grow();
      else this.evictOldest(CAPACITY);
    }
    let position = this.head + this.used;
    if (position >= this.ids.length) position -= this.ids.length;
    this.ids.set(position, this.key);
    this.hashes[position] = hash;
    this.slots[position] = slot;
    this.classes[position] = classIndex;
    this.outputs[position] = output;
    this.confidences[position] = confidence;
    this.times[position] = nowMs;
    this.index.add(hash, position);
    this.indexed++;
    this.used++;
    return true;
  }

  /** The remembered prediction of `id`, or undefined when it is unknown or older than the maximum age at `nowMs`. */
  get(id: string, nowMs: number): RememberedPrediction | undefined {
    const position = this.index.find(this.key, this.key.load(id));
    if (position < 0 || (this.times[position] as number) < nowMs - this.maxAgeMs) return undefined;
    return this.at(position, id);
  }

  /**
   * Every used ring position oldest first as columns, each copied in bulk as its two runs (head to
   * the end, then the start to head): no string or object per id, so a snapshot of a million ids
   * costs copies of a few tens of MB, not a million strings. Gaps (kind 0) and entries past the
   * maximum age are included; a restore skips them.
   */
  columns(): IdColumns {
    const count = this.used;
    const tail = Math.min(count, this.ids.length - this.head);
    const words = new Int32Array(4 * count);
    const kinds = new Uint8Array(count);
    const outOfLine: string[] = [];
    this.ids.copyOut(this.head, tail, words, kinds, 0, outOfLine);
    this.ids.copyOut(0, count - tail, words, kinds, tail, outOfLine);
    return {
      count,
      words,
      kinds,
      outOfLine,
      slots: this.regrown(this.slots, new Int32Array(count), tail),
      classes: this.regrown(this.classes, new Int32Array(count), tail),
      outputs: this.regrown(this.outputs, new Float64Array(count), tail),
      confidences: this.regrown(this.confidences, new Float32Array(count), tail),
      times: this.regrown(this.times, new Float64Array(count), tail),
    };
  }

  /** The predictions remembered at `nowMs`, oldest first, each with its id as a string; for tests (a snapshot reads `columns`). */
  entries(nowMs: number): RememberedPrediction[] {
    const oldest = nowMs - this.maxAgeMs;
    const entries: RememberedPrediction[] = [];
    for (let i = 0; i < this.used; i++) {
      const position = (this.head + i) % this.ids.length;
      const id = this.ids.get(position);
      if (id !== undefined && (this.times[position] as number) >= oldest) entries.push(this.at(position, id));
    }
    return entries;
  }

  private at(position: number, id: string): RememberedPrediction {
    return {
      id,
      slot: this.slots[position] as number,
      classIndex: this.classes[position] as number,
      output: this.outputs[position] as number,
      confidence: this.confidences[position] as number,
      timeMs: this.times[position] as number,
    };
  }

  /** Evicts from the head every entry first seen before `oldest`. */
  private expire(oldest: number): void {
    while (this.used > 0 && (this.times[this.head] as number) < oldest) this.evictOldest(AGE);
  }

  private evictOldest(reason: number): void {
    // A gap left by an id taken anew was counted when it was taken.
    if (this.ids.has(this.head)) {
      this.forget(this.head);
      this.evictions.inc(reason);
    }
    this.head = this.head + 1 === this.ids.length ? 0 : this.head + 1;
    this.used--;
  }

  /** Takes the id at ring `position` out of the index, leaving a gap. */
  private forget(position: number): void {
    this.index.delete(this.hashes[position] as number, position);
    this.indexed--;
    this.ids.clear(position);
  }

  /**
   * Doubles the ring (up to the capacity), oldest entry first at position 0; rare, so its O(n) is
   * amortised. Each column is copied as its two runs (head to the end, then the start to head).
   *
   * The new ring's columns and its index table are views of one ArrayBuffer, larger than any before
   * it: glibc's malloc maps a block that large on its own (it is above its mmap threshold, which
   * only rises to the largest block freed, at most 32 MiB) and unmaps it when freed, so the ring
   * outgrown goes back to the system whole. As separate arrays, the outgrown ones left about
   * 20 MiB of holes in the malloc heap at 1,000,000 ids (bench/README.md, labels figure 2).
   */
  private grow(): void {
    const length = Math.min(this.capacity, Math.max(INITIAL_LENGTH, this.ids.length * 2));
    const tableLength = IdIndex.tableLength(length);
    // Widest elements first, so every view starts aligned to its element size.
    const buffer = new ArrayBuffer(length * RING_BYTES_PER_POSITION + tableLength * 4 + IdArena.bytesFor(length));
    this.buffer = buffer;
    let offset = 0;
    /** The offset of the next `bytes` of the buffer. */
    const take = (bytes: number): number => (offset += bytes) - bytes;
    const tail = Math.min(this.used, this.ids.length - this.head);
    this.times = this.regrown(this.times, new Float64Array(buffer, take(8 * length), length), tail);
    this.outputs = this.regrown(this.outputs, new Float64Array(buffer, take(8 * length), length), tail);
    this.hashes = this.regrown(this.hashes, new Int32Array(buffer, take(4 * length), length), tail);
    this.slots = this.regrown(this.slots, new Int32Array(buffer, take(4 * length), length), tail);
    this.classes = this.regrown(this.classes, new Int32Array(buffer, take(4 * length), length), tail);
    this.confidences = this.regrown(this.confidences, new Float32Array(buffer, take(4 * length), length), tail);
    const table = new Int32Array(buffer, take(4 * tableLength), tableLength);
    const ids = new IdArena(length, buffer, offset);
    ids.copyFrom(this.ids, this.head, 0, tail);
    ids.copyFrom(this.ids, 0, tail, this.used - tail);
    this.ids = ids;
    this.head = 0;
    this.index.rebuild(ids, this.hashes, table);
  }

  /** `to` holding the used entries of the ring column `from`, oldest first; `tail` of them run from the head to the end (`to` may be longer). */
  private regrown<T extends Int32Array | Float32Array | Float64Array>(from: T, to: T, tail: number): T {
    to.set(from.subarray(this.head, this.head + tail));
    to.set(from.subarray(0, this.used - tail), tail);
    return to;
  }
}

/** Series index of `reason` in `mlwatch_id_store_evictions_total`. */
export function evictionSeries(reason: IdStoreEvictionReason): number {
  return ID_STORE_EVICTION_REASONS.indexOf(reason);
}
