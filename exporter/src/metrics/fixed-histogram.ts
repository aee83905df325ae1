import type { PromMetric, PromMetricSnapshot, PromSample } from './prom-metric';
import { indexByLabels, labelKey, type CarriedSeries } from './carried-metric';

type LabelSet = Readonly<Record<string, string>>;

/**
 * A histogram whose label sets are all known up front: per series, bucket counts,
 * a sum and a count in typed arrays, observed by series index without label hashing.
 */
export class FixedHistogram implements PromMetric {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bucketCounts: Float64Array;
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private readonly width: number;
  private seriesByLabels: Map<string, number> | undefined;

  constructor(
    public name: string,
    readonly help: string,
    readonly upperBounds: readonly number[],
    private readonly labelSets: readonly LabelSet[],
  ) {
    for (let i = 1; i < upperBounds.length; i++) {
      if (!((upperBounds[i] as number) > (upperBounds[i - 1] as number))) {
        throw new RangeError(`${name}: bucket bounds must increase strictly, got ${upperBounds.join(', ')}`);
      }
    }
    this.width = upperBounds.length;
    this.bucketCounts = new Float64Array(labelSets.length * this.width);
    this.sums = new Float64Array(labelSets.length);
    this.counts = new Float64Array(labelSets.length);
  }

  /** Records one value in the series at index `series`; the caller guarantees a finite value. */
  observe(series: number, value: number): void {
    const bounds = this.upperBounds;
    let bucket = 0;
    // Linear scan: about a dozen bounds, and most values land in the first few.
    while (bucket < this.width && value > (bounds[bucket] as number)) bucket++;
    if (bucket < this.width) {
      const slot = series * this.width + bucket;
      this.bucketCounts[slot] = (this.bucketCounts[slot] as number) + 1;
    }
    this.sums[series] = (this.sums[series] as number) + value;
    this.counts[series] = (this.counts[series] as number) + 1;
  }

  /** Number of observations in one series; for tests and reports. */
  count(series: number): number {
    return this.counts[series] ?? 0;
  }

  /** The bucket bounds: counts only carry between histograms with the same buckets. */
  get shape(): string {
    return this.upperBounds.join(',');
  }

  /** Every series' per-bucket counts, then its sum and count (see CarriedMetric). */
  carryOut(): CarriedSeries[] {
    return this.labelSets.map((labels, series) => ({
      labels,
      values: [
        ...this.bucketCounts.subarray(series * this.width, (series + 1) * this.width),
        this.sums[series] ?? 0,
        this.counts[series] ?? 0,
      ],
    }));
  }

  /** Sets the series with exactly `labels` from {@link carryOut}'s numbers; false when it cannot (see CarriedMetric). */
  carryIn(labels: LabelSet, values: readonly number[]): boolean {
    this.seriesByLabels ??= indexByLabels(this.labelSets);
    const series = this.seriesByLabels.get(labelKey(labels));
    if (series === undefined || values.length !== this.width + 2) return false;
    this.bucketCounts.set(values.slice(0, this.width), series * this.width);
    this.sums[series] = values[this.width] ?? 0;
    this.counts[series] = values[this.width + 1] ?? 0;
    return true;
  }

  get(): Promise<PromMetricSnapshot> {
    const values: PromSample[] = [];
    this.labelSets.forEach((labels, series) => {
      let cumulative = 0;
      for (let b = 0; b < this.width; b++) {
        cumulative += this.bucketCounts[series * this.width + b] ?? 0;
        values.push({
          labels: { ...labels, le: this.upperBounds[b] as number },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      }
      const count = this.counts[series] ?? 0;
      values.push({ labels: { ...labels, le: '+Inf' }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: this.sums[series] ?? 0, metricName: `${this.name}_sum` });
      values.push({ labels, value: count, metricName: `${this.name}_count` });
    });
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }
}
