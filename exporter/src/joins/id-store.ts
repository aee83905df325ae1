import { ID_STORE_EVICTION_REASONS, type IdStoreEvictionReason } from '../../../spec/src/conventions';
import type { FixedCounter } from '../metrics/fixed-counter';
import { IdIndex } from './id-index';

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

const CAPACITY = ID_STORE_EVICTION_REASONS.indexOf('capacity');
const AGE = ID_STORE_EVICTION_REASONS.indexOf('age');
/** Ring positions allocated first; the ring doubles up to the capacity, so a small load costs little memory. */
const INITIAL_LENGTH = 1024;

/**
 * The prediction ids seen recently, each with its model version, prediction and first-seen time:
 * a bounded map in insertion order. A retried event is found here and counted once (the first
 * write wins); the label and outcome joins look predictions up here. The oldest id leaves when
 * the store is full (`capacity`) or when it is older than `maxAgeSeconds`, counted by reason.
 *
 * Ids sit in a ring of typed arrays and a hash index over typed arrays holds each id's ring
 * position (see IdIndex), so claiming an id hashes it once and allocates nothing.
 */
export class IdStore {
  private readonly index = new IdIndex();
  /** Ids in the index now. */
  private indexed = 0;
  /** By ring position: the id, or undefined for a free position or one whose id was taken anew. */
  private ids: (string | undefined)[] = [];
  /** By ring position: the id's hash in the index. */
  private hashes = new Int32Array(0);
  private slots = new Int32Array(0);
  private classes = new Int32Array(0);
  private outputs = new Float64Array(0);
  private confidences = new Float32Array(0);
  private times = new Float64Array(0);
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
    const oldest = nowMs - this.maxAgeMs;
    if (this.used > 0 && (this.times[this.head] as number) < oldest) this.expire(oldest);
    const hash = this.index.hashOf(id);
    const seen = this.index.find(id, hash);
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
    this.ids[position] = id;
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
    const position = this.index.find(id, this.index.hashOf(id));
    if (position < 0 || (this.times[position] as number) < nowMs - this.maxAgeMs) return undefined;
    return this.at(position, id);
  }

  /** The predictions remembered at `nowMs`, oldest first; for snapshots and tests. */
  entries(nowMs: number): RememberedPrediction[] {
    const oldest = nowMs - this.maxAgeMs;
    const entries: RememberedPrediction[] = [];
    for (let i = 0; i < this.used; i++) {
      const position = (this.head + i) % this.ids.length;
      const id = this.ids[position];
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
    if (this.ids[this.head] !== undefined) {
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
    this.ids[position] = undefined;
  }

  /** Doubles the ring (up to the capacity), oldest entry first at position 0; rare, so its O(n) is amortised. */
  private grow(): void {
    const length = Math.min(this.capacity, Math.max(INITIAL_LENGTH, this.ids.length * 2));
    const ids: (string | undefined)[] = new Array<string | undefined>(length).fill(undefined);
    const hashes = new Int32Array(length);
    const slots = new Int32Array(length);
    const classes = new Int32Array(length);
    const outputs = new Float64Array(length);
    const confidences = new Float32Array(length);
    const times = new Float64Array(length);
    for (let i = 0; i < this.used; i++) {
      const from = (this.head + i) % this.ids.length;
      ids[i] = this.ids[from];
      hashes[i] = this.hashes[from] as number;
      slots[i] = this.slots[from] as number;
      classes[i] = this.classes[from] as number;
      outputs[i] = this.outputs[from] as number;
      confidences[i] = this.confidences[from] as number;
      times[i] = this.times[from] as number;
    }
    this.ids = ids;
    this.hashes = hashes;
    this.slots = slots;
    this.classes = classes;
    this.outputs = outputs;
    this.confidences = confidences;
    this.times = times;
    this.head = 0;
    this.index.rebuild(ids, hashes, length);
  }
}

/** Series index of `reason` in `mlwatch_id_store_evictions_total`. */
export function evictionSeries(reason: IdStoreEvictionReason): number {
  return ID_STORE_EVICTION_REASONS.indexOf(reason);
}
