/**
 * The most recent labelled predictions of one model version, in a ring of typed arrays, for the
 * performance report: what was predicted, what the label said, the prediction's raw confidence
 * and the label's delay. Bounded by `drift.window_size`; adding costs O(1) and allocates nothing.
 */
export class LabelledWindow {
  private readonly predicted: Int32Array;
  private readonly actual: Int32Array;
  private readonly outputs: Float64Array;
  private readonly labels: Float64Array;
  private readonly confidences: Float64Array;
  /** Seconds; NaN for a stateless label (its prediction time is unknown). */
  private readonly delays: Float64Array;
  private next = 0;
  /** Entries held now (at most the capacity). */
  size = 0;
  /** Labels counted since start, joined and stateless. */
  joined = 0;
  stateless = 0;

  constructor(readonly capacity: number) {
    this.predicted = new Int32Array(capacity);
    this.actual = new Int32Array(capacity);
    this.outputs = new Float64Array(capacity);
    this.labels = new Float64Array(capacity);
    this.confidences = new Float64Array(capacity);
    this.delays = new Float64Array(capacity);
  }

  /** Adds one classification label (class indexes; `confidence` NaN when unknown, `delaySeconds` NaN for a stateless label). */
  addClass(predicted: number, actual: number, confidence: number, delaySeconds: number): void {
    const i = this.advance(delaySeconds);
    this.predicted[i] = predicted;
    this.actual[i] = actual;
    this.confidences[i] = confidence;
  }

  /** Adds one regression label. */
  addValue(output: number, label: number, delaySeconds: number): void {
    const i = this.advance(delaySeconds);
    this.outputs[i] = output;
    this.labels[i] = label;
  }

  /** Visits the entries held now, oldest first. */
  forEach(visit: (entry: LabelledEntry) => void): void {
    const start = this.size < this.capacity ? 0 : this.next;
    for (let k = 0; k < this.size; k++) {
      const i = (start + k) % this.capacity;
      visit({
        predicted: this.predicted[i] as number,
        actual: this.actual[i] as number,
        output: this.outputs[i] as number,
        label: this.labels[i] as number,
        confidence: this.confidences[i] as number,
        delaySeconds: this.delays[i] as number,
      });
    }
  }

  private advance(delaySeconds: number): number {
    if (Number.isNaN(delaySeconds)) this.stateless++;
    else this.joined++;
    const i = this.next;
    this.delays[i] = delaySeconds;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
    return i;
  }
}

/** One labelled prediction of a {@link LabelledWindow}. */
export interface LabelledEntry {
  readonly predicted: number;
  readonly actual: number;
  readonly output: number;
  readonly label: number;
  readonly confidence: number;
  readonly delaySeconds: number;
}
