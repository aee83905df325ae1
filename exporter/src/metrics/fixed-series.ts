import type { PromMetric, PromMetricSnapshot } from './prom-metric';
import { indexByLabels, labelKey as labelKeyOf, type CarriedSeries } from './carried-metric';

type LabelSet = Readonly<Record<string, string>>;

/**
 * One value per label set, all known up front, in a Float64Array addressed by series
 * index: the hot path never hashes label values (prom-client does on every call, even
 * through `labels()` children). Counters and gauges differ only in how they change it.
 */
export abstract class FixedSeries implements PromMetric {
  abstract readonly type: 'counter' | 'gauge';
  readonly aggregator = 'sum';
  protected readonly values: Float64Array;
  readonly shape = 'series';
  private seriesByLabels: Map<string, number> | undefined;

  constructor(
    public name: string,
    readonly help: string,
    private readonly labelSets: readonly LabelSet[],
    initial: number,
  ) {
    this.values = new Float64Array(labelSets.length).fill(initial);
  }

  /** Current value of one series; for tests and reports. */
  value(series: number): number {
    return this.values[series] ?? Number.NaN;
  }

  /** Every series' labels and value (see CarriedMetric). */
  carryOut(): CarriedSeries[] {
    return this.labelSets.map((labels, i) => ({ labels, values: [this.values[i] ?? Number.NaN] }));
  }

  /** Sets the series with exactly `labels` to `values[0]`; false when there is none (see CarriedMetric). */
  carryIn(labels: LabelSet, values: readonly number[]): boolean {
    this.seriesByLabels ??= indexByLabels(this.labelSets);
    const series = this.seriesByLabels.get(labelKeyOf(labels));
    const value = values[0];
    if (series === undefined || values.length !== 1 || value === undefined) return false;
    this.values[series] = value;
    return true;
  }

  get(): Promise<PromMetricSnapshot> {
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.labelSets.map((labels, i) => ({ labels, value: this.values[i] ?? Number.NaN })),
    });
  }
}
