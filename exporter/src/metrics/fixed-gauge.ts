import type { PromMetric, PromMetricSnapshot } from './prom-metric';

type LabelSet = Readonly<Record<string, string>>;

/** A gauge whose label sets are all known up front, stored in a Float64Array and set by series index. */
export class FixedGauge implements PromMetric {
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  private readonly values: Float64Array;

  constructor(
    public name: string,
    readonly help: string,
    private readonly labelSets: readonly LabelSet[],
    initial = 0,
  ) {
    this.values = new Float64Array(labelSets.length).fill(initial);
  }

  /** Sets the series at index `series`. */
  set(series: number, value: number): void {
    this.values[series] = value;
  }

  /** Current value of one series; for tests and reports. */
  value(series: number): number {
    return this.values[series] ?? Number.NaN;
  }

  async get(): Promise<PromMetricSnapshot> {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.labelSets.map((labels, i) => ({ labels, value: this.values[i] ?? Number.NaN })),
    };
  }
}
