/** Something the simulator sends later: a label or an outcome, due at a moment. */
export interface Due {
  /** When it is due (Unix ms). */
  readonly dueAtMs: number;
}

/** A slot of the heap: the item and its arrival number, so items due at the same moment leave in arrival order. */
interface Slot<T> {
  readonly item: T;
  readonly seq: number;
}

/**
 * The events not sent yet, earliest due first, in a binary heap of fixed capacity: memory stays
 * bounded however far the exporter falls behind, and an event that does not fit is refused (the
 * caller counts it). Events due at the same moment leave in the order they came, so events
 * pushed with one delay for all (labels) leave first in, first out; events with delays of their
 * own (outcomes) leave in the order they fall due.
 */
export class DelayedQueue<T extends Due> {
  private readonly heap: Slot<T>[] = [];
  private arrivals = 0;

  /** `what` names the queue in errors ("label queue"). */
  constructor(
    readonly capacity: number,
    what = 'queue',
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`${what} capacity: expected a whole number of at least 1, got ${capacity}`);
  }

  get size(): number {
    return this.heap.length;
  }

  /** Adds an event; false (and nothing kept) when the queue is full. */
  push(item: T): boolean {
    if (this.heap.length === this.capacity) return false;
    this.heap.push({ item, seq: this.arrivals++ });
    this.siftUp(this.heap.length - 1);
    return true;
  }

  /** When the earliest event is due (Unix ms), or undefined when none waits. */
  oldestDueAtMs(): number | undefined {
    return this.heap[0]?.item.dueAtMs;
  }

  /** How many events are due at `nowMs`, counting at most `max` (visits only due slots, so at most `max` of them). */
  dueCount(nowMs: number, max: number): number {
    let due = 0;
    const pending = [0];
    while (pending.length > 0 && due < max) {
      const index = pending.pop() as number;
      const slot = this.heap[index];
      // A slot not due hides its whole subtree: its children are due no earlier.
      if (slot === undefined || slot.item.dueAtMs > nowMs) continue;
      due++;
      pending.push(2 * index + 1, 2 * index + 2);
    }
    return due;
  }

  /** Removes and returns up to `max` of the earliest events, due or not. */
  take(max: number): T[] {
    const taken: T[] = [];
    while (this.heap.length > 0 && taken.length < max) {
      taken.push((this.heap[0] as Slot<T>).item);
      const last = this.heap.pop() as Slot<T>;
      if (this.heap.length > 0) {
        this.heap[0] = last;
        this.siftDown(0);
      }
    }
    return taken;
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a] as Slot<T>;
    const y = this.heap[b] as Slot<T>;
    return x.item.dueAtMs < y.item.dueAtMs || (x.item.dueAtMs === y.item.dueAtMs && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const x = this.heap[a] as Slot<T>;
    this.heap[a] = this.heap[b] as Slot<T>;
    this.heap[b] = x;
  }

  private siftUp(index: number): void {
    let at = index;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(at, parent)) return;
      this.swap(at, parent);
      at = parent;
    }
  }

  private siftDown(index: number): void {
    let at = index;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let first = at;
      if (left < this.heap.length && this.before(left, first)) first = left;
      if (right < this.heap.length && this.before(right, first)) first = right;
      if (first === at) return;
      this.swap(at, first);
      at = first;
    }
  }
}
