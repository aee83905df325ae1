/** One sample as prom-client's registry renders it. */
export interface PromSample {
  labels: Readonly<Record<string, string | number>>;
  value: number;
  /** Full sample name, for the `_bucket`/`_sum`/`_count` lines of a histogram. */
  metricName?: string;
}

/** What a metric's `get()` returns to prom-client's registry. */
export interface PromMetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  aggregator: 'sum';
  values: PromSample[];
}

/**
 * The shape prom-client's Registry accepts from `registerMetric`: our typed-array
 * metrics implement it so they render alongside prom-client's own metrics.
 */
export interface PromMetric {
  name: string;
  readonly help: string;
  readonly type: PromMetricSnapshot['type'];
  readonly aggregator: 'sum';
  get(): Promise<PromMetricSnapshot>;
}
