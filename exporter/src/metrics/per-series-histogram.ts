import type { PromMetric, PromMetricSnapshot, PromSample } from './prom-metric';
import { indexByLabels, labelKey, type CarriedSeries } from './carried-metric';

type LabelSet = Readonly<Record<string, string>>;

/** One series of a {@link PerSeriesHistogram}: its labels and its own bucket bounds. */
export interface BoundedSeries {
  readonly labels: LabelSet;
  /** Strictly increasing upper bounds (the `+Inf` bucket is implied). */
  readonly upperBounds: readonly number[];
}

/**
 * A histogram whose label sets are all known up front and whose series may each have their own
 * buckets (a regression model's value or error buckets come from its spec or its reference), in
 * typed arrays, observed by series index. Prometheus accepts different `le` sets per series of
 * one family; each series' quantiles read its own.
 */
export class PerSeriesHistogram implements PromMetric {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bucketCounts: Float64Array;
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  /** By series: where its buckets start in bucketCounts; one entry more, so each series ends where the next starts. */
  private readonly offsets: Int32Array;
  private seriesByLabels: Map<string, number> | undefined;

  constructor(
    public name: string,
    readonly help: string,
    private readonly series: readonly BoundedSeries[],
  ) {
    this.offsets = new Int32Array(series.length + 1);
    series.forEach(({ upperBounds }, s) => {
      for (let i = 1; i < upperBounds.length; i++) {
        if (!((upperBounds[i] as number) > (upperBounds[i - 1] as number)))
          throw new RangeError(`${name}: bucket bounds must increase strictly, got ${upperBounds.join(', ')}`);
      }
      this.offsets[s + 1] = (this.offsets[s] as number) + upperBounds.length;
    });
    this.bucketCounts = new Float64Array(this.offsets[series.length] as number);
    this.sums = new Float64Array(series.length);
    this.counts = new Float64Array(series.length);
  }

  /** Records one value in the series at index `series`; the caller guarantees a finite value. */
  observe(series: number, value: number): void {
    const bounds = (this.series[series] as BoundedSeries).upperBounds;
    let bucket = 0;
    while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++;
    if (bucket < bounds.length) {
      const slot = (this.offsets[series] as number) + bucket;
      this.bucketCounts[slot] = (this.bucketCounts[slot] as number) + 1;
    }
    this.sums[series] = (this.sums[series] as number) + value;
    this.counts[series] = (this.counts[series] as number) + 1;
  }

  /** Number of observations in one series; for tests and reports. */
  count(series: number): number {
    return this.counts[series] ?? 0;
  }

  /** Sum of the observations in one series; for tests and reports. */
  sum(series: number): number {
    return this.sums[series] ?? 0;
  }

  /** Every series' bounds: counts only carry between histograms with the same buckets. */
  get shape(): string {
    return this.series.map((s) => s.upperBounds.join(',')).join(';');
  }

  /** Every series' per-bucket counts, then its sum and count (see CarriedMetric). */
  carryOut(): CarriedSeries[] {
    return this.series.map(({ labels }, s) => ({
      labels,
      values: [
        ...this.bucketCounts.subarray(this.offsets[s], this.offsets[s + 1]),
        this.sums[s] ?? 0,
        this.counts[s] ?? 0,
      ],
    }));
  }

  /** Sets the series with exactly `labels` from {@link carryOut}'s numbers; false when it cannot. */
  carryIn(labels: LabelSet, values: readonly number[]): boolean {
    this.seriesByLabels ??= indexByLabels(this.series.map((s) => s.labels));
    const s = this.seriesByLabels.get(labelKey(labels));
    if (s === undefined) return false;
    const width = (this.series[s] as BoundedSeries).upperBounds.length;
    if (values.length !== width + 2) return false;
    this.bucketCounts.set(values.slice(0, width), this.offsets[s]);
    this.sums[s] = values[width] ?? 0;
    this.counts[s] = values[width + 1] ?? 0;
    return true;
  }

  get(): Promise<PromMetricSnapshot> {
    const values: PromSample[] = [];
    this.series.forEach(({ labels, upperBounds }, s) => {
      let cumulative = 0;
      const offset = this.offsets[s] as number;
      upperBounds.forEach((bound, b) => {
        cumulative += this.bucketCounts[offset + b] ?? 0;
        values.push({ labels: { ...labels, le: bound }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      const count = this.counts[s] ?? 0;
      values.push({ labels: { ...labels, le: '+Inf' }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: this.sums[s] ?? 0, metricName: `${this.name}_sum` });
      values.push({ labels, value: count, metricName: `${this.name}_count` });
    });
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }
}
