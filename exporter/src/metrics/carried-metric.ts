type LabelSet = Readonly<Record<string, string>>;

/** One series' labels and its numbers (a counter's value; a histogram's buckets, sum and count). */
export interface CarriedSeries {
  readonly labels: LabelSet;
  readonly values: readonly number[];
}

/**
 * A metric whose counts can move into the next generation of the exporter on a reload, matched
 * by label set, so a model whose spec did not change keeps its counters.
 */
export interface CarriedMetric {
  readonly name: string;
  /** Identifies the series layout beyond labels (a histogram's bucket bounds); counts only move between equal shapes. */
  readonly shape: string;
  /** Every series with its numbers. */
  carryOut(): CarriedSeries[];
  /** Sets the series with exactly `labels` to `values`; false when there is no such series or the values do not fit. */
  carryIn(labels: LabelSet, values: readonly number[]): boolean;
}

/** A key for a label set that does not depend on key order. */
export function labelKey(labels: LabelSet): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Series indexes by label key, for carryIn. */
export function indexByLabels(labelSets: readonly LabelSet[]): Map<string, number> {
  return new Map(labelSets.map((labels, i) => [labelKey(labels), i]));
}
