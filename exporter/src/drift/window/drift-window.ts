import type { FeatureSpec, ModelSpec } from '../../../../spec/src/schema';
import type { WindowSnapshot } from '../../../../drift/src/window-snapshot';
import type { SnapshotBuffers } from './snapshot-buffers';

/** How a window is bounded: by count always, by age when `maxAgeMs` is set. */
export interface WindowBounds {
  capacity: number;
  maxAgeMs: number | null;
}

/** One event as the window stores it; the caller resolves classes to codes. */
export interface WindowEvent {
  features: Readonly<Record<string, unknown>>;
  /** Index of the predicted class, or -1 (failed prediction, regression). */
  classIndex: number;
  /** Regression output, or NaN. */
  output: number;
  /** Confidence, or NaN when unknown. */
  confidence: number;
}

/** A window's fresh events, oldest first, column by column: what a state snapshot keeps of it. */
export interface WindowEvents {
  readonly size: number;
  /** Numeric feature values by feature name (NaN when missing). */
  readonly numeric: ReadonlyMap<string, Float64Array>;
  /** Category codes by feature name (spec index, the category count for unseen, -1 when missing). */
  readonly categorical: ReadonlyMap<string, Int32Array>;
  readonly classes: Int32Array;
  readonly outputs: Float64Array;
  readonly confidences: Float64Array;
  /** Arrival times, epoch milliseconds. */
  readonly arrivals: Float64Array;
}

interface NumericColumn {
  readonly name: string;
  readonly values: Float64Array;
}

interface CategoricalColumn {
  readonly name: string;
  readonly codes: Int32Array;
  /** Spec category → code; unseen categories get `otherCode`. */
  readonly codeOf: ReadonlyMap<string, number>;
  readonly otherCode: number;
}

/**
 * The most recent events of one model (or model version) in typed-array ring buffers:
 * memory is fixed by the capacity whatever the traffic, and recording an event writes
 * one slot per column without allocating.
 */
export class DriftWindow {
  private readonly numeric: NumericColumn[] = [];
  private readonly categorical: CategoricalColumn[] = [];
  private readonly classes: Int32Array;
  private readonly outputs: Float64Array;
  private readonly confidences: Float64Array;
  private readonly arrivals: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(
    readonly model: ModelSpec,
    readonly bounds: WindowBounds,
    readonly version?: string,
  ) {
    const n = bounds.capacity;
    for (const feature of model.features) {
      if (feature.type === 'numeric') this.numeric.push({ name: feature.name, values: new Float64Array(n) });
      else this.categorical.push(categoricalColumn(feature, n));
    }
    this.classes = new Int32Array(n);
    this.outputs = new Float64Array(n);
    this.confidences = new Float64Array(n);
    this.arrivals = new Float64Array(n);
  }

  /** Adds one event, overwriting the oldest when full. `nowMs` is the arrival time. */
  record(event: WindowEvent, nowMs: number): void {
    const slot = this.claim(event.classIndex, event.output, event.confidence, nowMs);
    const row = event.features;
    for (const column of this.numeric) {
      const value = row[column.name];
      column.values[slot] = typeof value === 'number' ? value : Number.NaN;
    }
    for (const column of this.categorical) {
      const value = row[column.name];
      column.codes[slot] = typeof value === 'string' ? (column.codeOf.get(value) ?? column.otherCode) : -1;
    }
  }

  /**
   * Takes the next ring slot (overwriting the oldest event when full) for an event whose feature
   * values the caller writes into the columns of `featureColumns` at that slot, in the same turn;
   * writes the outputs and the arrival time. The recorder's per-model loop uses it to fill the
   * window in the same pass that counts and bins the features.
   */
  claim(classIndex: number, output: number, confidence: number, nowMs: number): number {
    const slot = this.next;
    this.classes[slot] = classIndex;
    this.outputs[slot] = output;
    this.confidences[slot] = confidence;
    this.arrivals[slot] = nowMs;
    this.next = slot + 1 === this.bounds.capacity ? 0 : slot + 1;
    if (this.filled < this.bounds.capacity) this.filled++;
    return slot;
  }

  /**
   * The ring column of each feature by spec index: numeric values (NaN when missing) in `numeric`,
   * category codes (spec index, the category count for unseen, -1 when missing) in `categorical`.
   */
  featureColumns(): { numeric: (Float64Array | null)[]; categorical: (Int32Array | null)[] } {
    const numeric = this.model.features.map((f) => this.numeric.find((c) => c.name === f.name)?.values ?? null);
    const categorical = this.model.features.map((f) => this.categorical.find((c) => c.name === f.name)?.codes ?? null);
    return { numeric, categorical };
  }

  /** Events currently held that are not older than the age bound at `nowMs`. */
  size(nowMs: number): number {
    return this.filled - this.staleCount(nowMs);
  }

  /**
   * Copies the fresh events, oldest first, for an evaluation that must not see later writes: into new
   * arrays, or into `buffers` (reset here), which makes the previous snapshot taken into them invalid.
   */
  snapshot(nowMs: number, buffers?: SnapshotBuffers): WindowSnapshot {
    const stale = this.staleCount(nowMs);
    const size = this.filled - stale;
    const first = (this.next - this.filled + stale + this.bounds.capacity) % this.bounds.capacity;
    const copy = <T extends Float64Array | Int32Array>(ring: T, make: (n: number) => T): T => {
      const out = make(size);
      const tail = Math.min(size, this.bounds.capacity - first);
      out.set(ring.subarray(first, first + tail), 0);
      if (tail < size) out.set(ring.subarray(0, size - tail), tail);
      return out;
    };
    buffers?.reset();
    const floats = (ring: Float64Array): Float64Array => copy(ring, (n) => buffers?.float64(n) ?? new Float64Array(n));
    const ints = (ring: Int32Array): Int32Array => copy(ring, (n) => buffers?.int32(n) ?? new Int32Array(n));
    const isRegression = this.model.task === 'regression';
    return {
      model: this.model.name,
      ...(this.version === undefined ? {} : { version: this.version }),
      size,
      numeric: new Map(this.numeric.map((c) => [c.name, floats(c.values)])),
      categorical: new Map(this.categorical.map((c) => [c.name, ints(c.codes)])),
      ...(isRegression ? { outputs: floats(this.outputs) } : { predictedClasses: ints(this.classes) }),
      confidences: floats(this.confidences),
    };
  }

  /** The fresh events at `nowMs`, oldest first, in new arrays (see {@link importEvents}). */
  exportEvents(nowMs: number): WindowEvents {
    const stale = this.staleCount(nowMs);
    const size = this.filled - stale;
    const first = (this.next - this.filled + stale + this.bounds.capacity) % this.bounds.capacity;
    const ordered = <T extends Float64Array | Int32Array>(ring: T): T => {
      const out = ring.slice(0, size) as T;
      const tail = Math.min(size, this.bounds.capacity - first);
      out.set(ring.subarray(first, first + tail), 0);
      if (tail < size) out.set(ring.subarray(0, size - tail), tail);
      return out;
    };
    return {
      size,
      numeric: new Map(this.numeric.map((c) => [c.name, ordered(c.values)])),
      categorical: new Map(this.categorical.map((c) => [c.name, ordered(c.codes)])),
      classes: ordered(this.classes),
      outputs: ordered(this.outputs),
      confidences: ordered(this.confidences),
      arrivals: ordered(this.arrivals),
    };
  }

  /**
   * Replaces the window's contents with `events` (oldest first), keeping the newest `capacity` of
   * them. Throws naming the column when `events` does not have this window's columns and length.
   */
  importEvents(events: WindowEvents): void {
    type Column = Float64Array | Int32Array;
    const pairs: Array<readonly [ring: Column, what: string, column: Column | undefined]> = [
      ...this.numeric.map((c) => [c.values, c.name, events.numeric.get(c.name)] as const),
      ...this.categorical.map((c) => [c.codes, c.name, events.categorical.get(c.name)] as const),
      [this.classes, 'classes', events.classes],
      [this.outputs, 'outputs', events.outputs],
      [this.confidences, 'confidences', events.confidences],
      [this.arrivals, 'arrivals', events.arrivals],
    ];
    // Check every column before writing any, so a bad snapshot leaves the window as it was.
    for (const [, what, column] of pairs) {
      if (column?.length !== events.size)
        throw new Error(`window column ${what}: expected ${events.size} values, got ${column?.length ?? 'none'}`);
    }
    const keep = Math.min(events.size, this.bounds.capacity);
    for (const [ring, , column] of pairs) if (column !== undefined) ring.set(column.subarray(events.size - keep), 0);
    this.filled = keep;
    this.next = keep % this.bounds.capacity;
  }

  /** Number of the oldest held events past the age bound; arrivals are in order, so they are a prefix. */
  private staleCount(nowMs: number): number {
    if (this.bounds.maxAgeMs === null || this.filled === 0) return 0;
    const cutoff = nowMs - this.bounds.maxAgeMs;
    const oldest = (this.next - this.filled + this.bounds.capacity) % this.bounds.capacity;
    // Binary search over the chronological order for the first fresh event.
    let lo = 0;
    let hi = this.filled;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.arrivals[(oldest + mid) % this.bounds.capacity] as number) < cutoff) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function categoricalColumn(feature: FeatureSpec, capacity: number): CategoricalColumn {
  const categories = feature.categories ?? [];
  return {
    name: feature.name,
    codes: new Int32Array(capacity),
    codeOf: new Map(categories.map((c, i) => [c, i])),
    otherCode: categories.length,
  };
}
