import { FixedSeries } from './fixed-series';

/** A gauge whose label sets are all known up front, set by series index. */
export class FixedGauge extends FixedSeries {
  readonly type = 'gauge';

  constructor(name: string, help: string, labelSets: ReadonlyArray<Readonly<Record<string, string>>>, initial = 0) {
    super(name, help, labelSets, initial);
  }

  /** Sets the series at index `series`. */
  set(series: number, value: number): void {
    this.values[series] = value;
  }
}
