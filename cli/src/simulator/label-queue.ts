import type { Truth } from './ground-truth';

/** A label waiting for its moment: the truth of a prediction the exporter recorded. */
export interface PendingLabel {
  readonly predictionId: string;
  readonly truth: Truth;
  /** What the model predicted, for the quality the simulator measures itself. */
  readonly predicted: Truth;
  /** The scenario phase of the prediction. */
  readonly phase: string;
  /** When the label is due (Unix ms): the prediction's time plus the label delay. */
  readonly dueAtMs: number;
}

/**
 * The labels not sent yet, oldest first, in a ring of fixed capacity: memory stays bounded
 * however far the exporter falls behind, and a label that does not fit is refused (the
 * caller counts it). Labels are pushed in the order they fall due (one delay for all).
 */
export class LabelQueue {
  private readonly slots: (PendingLabel | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`label queue capacity: expected a whole number of at least 1, got ${capacity}`);
    this.slots = new Array<PendingLabel | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a label at the end; false (and nothing kept) when the queue is full. */
  push(label: PendingLabel): boolean {
    if (this.count === this.capacity) return false;
    this.slots[(this.head + this.count) % this.capacity] = label;
    this.count++;
    return true;
  }

  /** When the oldest label is due (Unix ms), or undefined when none waits. */
  oldestDueAtMs(): number | undefined {
    return this.count === 0 ? undefined : this.slots[this.head]?.dueAtMs;
  }

  /** How many labels are due at `nowMs`, counting at most `max`. */
  dueCount(nowMs: number, max: number): number {
    let due = 0;
    while (due < this.count && due < max && this.at(due).dueAtMs <= nowMs) due++;
    return due;
  }

  /** Removes and returns up to `max` of the oldest labels, due or not. */
  take(max: number): PendingLabel[] {
    const taken: PendingLabel[] = [];
    while (this.count > 0 && taken.length < max) {
      taken.push(this.at(0));
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
    return taken;
  }

  private at(offset: number): PendingLabel {
    return this.slots[(this.head + offset) % this.capacity] as PendingLabel;
  }
}
