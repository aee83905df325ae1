import type { PromMetricSnapshot, PromMetric } from './prom-metric';

/**
 * A counter whose label sets are all known up front, stored in a Float64Array.
 * The hot path increments by series index, so no label hashing happens per event
 * (prom-client hashes labels on every call, even through `labels()` children).
 */
export class FixedCounter implements PromMetric {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  private readonly values: Float64Array;

  constructor(
    public name: string,
    readonly help: string,
    private readonly labelSets: ReadonlyArray<Readonly<Record<string, string>>>,
  ) {
    this.values = new Float64Array(labelSets.length);
  }

  /** Adds `amount` (default 1) to the series at `series`, an index into the label sets. */
  inc(series: number, amount = 1): void {
    this.values[series]! += amount;
  }

  /** Current value of one series; for tests and reports. */
  value(series: number): number {
    return this.values[series] ?? 0;
  }

  async get(): Promise<PromMetricSnapshot> {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.labelSets.map((labels, i) => ({ labels, value: this.values[i] ?? 0 })),
    };
  }
}
