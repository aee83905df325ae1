import type { PromMetric, PromMetricSnapshot } from './prom-metric';

/** A label-less gauge read from a function at scrape time, for a size the hot path should not keep setting. */
export class ReadGauge implements PromMetric {
  readonly type = 'gauge';
  readonly aggregator = 'sum';

  constructor(
    public name: string,
    readonly help: string,
    private readonly read: () => number,
  ) {}

  get(): Promise<PromMetricSnapshot> {
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [{ labels: {}, value: this.read() }],
    });
  }
}
