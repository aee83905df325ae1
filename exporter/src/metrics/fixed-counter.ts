import { FixedSeries } from './fixed-series';

/** A counter whose label sets are all known up front, incremented by series index. */
export class FixedCounter extends FixedSeries {
  readonly type = 'counter';

  constructor(name: string, help: string, labelSets: ReadonlyArray<Readonly<Record<string, string>>>) {
    super(name, help, labelSets, 0);
  }

  /** Adds `amount` (default 1) to the series at `series`, an index into the label sets. */
  inc(series: number, amount = 1): void {
    this.values[series] = (this.values[series] as number) + amount;
  }
}
