import type { PromMetric, PromMetricSnapshot } from './prom-metric';

/**
 * A label-less gauge of requests in flight, kept as a plain number and read at
 * scrape time: it moves twice per request, so it avoids prom-client's per-call work.
 */
export class InFlightGauge implements PromMetric {
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  private current = 0;

  constructor(
    public name: string,
    readonly help: string,
  ) {}

  /** One more request in flight. */
  readonly begin = (): void => {
    this.current++;
  };

  /** One request fewer in flight. */
  readonly end = (): void => {
    this.current--;
  };

  /** Requests in flight now. */
  value(): number {
    return this.current;
  }

  get(): Promise<PromMetricSnapshot> {
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [{ labels: {}, value: this.current }],
    });
  }
}
