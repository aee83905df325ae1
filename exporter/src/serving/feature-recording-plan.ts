import type { ModelSpec } from '../../../spec/src/schema';
import type { DriftWindow } from '../drift/window/drift-window';
import { binIndex, type FleetBins, type ModelBins } from '../drift/fleet/fleet-bins';
import type { ValidatedRow } from '../ingest/feature-validator';
import type { FixedCounter } from '../metrics/fixed-counter';
import type { ModelSlot } from '../metrics/series-layout';

/** Where one model version's feature values go: its special-value counters, its drift window and fleet counters. */
export interface RecordingTargets {
  readonly featureMissing: FixedCounter;
  readonly featureOtherCategory: FixedCounter;
  /** Absent when drift is off. */
  readonly window?: DriftWindow | undefined;
  readonly fleet?: { readonly counters: FleetBins; readonly bins: ModelBins } | undefined;
}

/**
 * One model version's features compiled for the recording pass: per spec index, the series and
 * ring columns each value goes to, in typed arrays. `record` walks the features once, reading
 * the validated row (never the event object), and counts missing values and unseen categories,
 * writes the drift window and counts the fleet bins in the same loop.
 */
export class FeatureRecordingPlan {
  private readonly size: number;
  private readonly numeric: Uint8Array;
  /** Series of `mlwatch_feature_missing_total`, or -1 for a feature that cannot be missing. */
  private readonly missingSeries: Int32Array;
  /** Series of `mlwatch_feature_other_category_total`, or -1 for numeric features. */
  private readonly otherSeries: Int32Array;
  /** Code of an unseen category (the number of known ones), or -1 for numeric features. */
  private readonly otherCode: Int32Array;
  /** Reference decile edges of a numeric feature with fleet bins, else null. */
  private readonly edges: (Float64Array | null)[];
  /** First series of the feature in the fleet bin or category counter, or -1. */
  private readonly fleetBase: Int32Array;
  private readonly numericColumns: (Float64Array | null)[];
  private readonly categoryColumns: (Int32Array | null)[];
  private readonly missing: FixedCounter;
  private readonly otherCategory: FixedCounter;
  private readonly window: DriftWindow | undefined;
  private readonly fleet: FleetBins | undefined;

  constructor(model: ModelSpec, slot: ModelSlot, targets: RecordingTargets) {
    const n = model.features.length;
    this.size = n;
    this.numeric = Uint8Array.from(model.features, (f) => (f.type === 'numeric' ? 1 : 0));
    this.missingSeries = Int32Array.from(model.features, (f) => slot.missingSeries.get(f.name) ?? -1);
    this.otherSeries = Int32Array.from(model.features, (f) => slot.otherCategorySeries.get(f.name) ?? -1);
    this.otherCode = Int32Array.from(model.features, (f) =>
      f.type === 'categorical' ? (f.categories ?? []).length : -1,
    );
    const bins = targets.fleet?.bins;
    this.edges = model.features.map((f) => bins?.numeric.find((b) => b.name === f.name)?.edges ?? null);
    this.fleetBase = Int32Array.from(
      model.features,
      (f) =>
        (bins?.numeric.find((b) => b.name === f.name) ?? bins?.categorical.find((c) => c.name === f.name))?.base ?? -1,
    );
    const columns = targets.window?.featureColumns();
    this.numericColumns = columns?.numeric ?? new Array<null>(n).fill(null);
    this.categoryColumns = columns?.categorical ?? new Array<null>(n).fill(null);
    this.missing = targets.featureMissing;
    this.otherCategory = targets.featureOtherCategory;
    this.window = targets.window;
    this.fleet = targets.fleet?.counters;
  }

  /**
   * Records the features of `row` (as the model's validator just read them) and, into the window,
   * the event's class index, output and confidence (NaN when unknown) at arrival time `nowMs`.
   */
  record(row: ValidatedRow, classIndex: number, output: number, confidence: number, nowMs: number): void {
    const { values, codes } = row;
    const at = this.window === undefined ? 0 : this.window.claim(classIndex, output, confidence, nowMs);
    const fleet = this.fleet;
    for (let i = 0; i < this.size; i++) {
      const base = this.fleetBase[i] as number;
      if (this.numeric[i] === 1) {
        const value = values[i] as number;
        const column = this.numericColumns[i];
        if (column !== null && column !== undefined) column[at] = value;
        // Validated numbers are finite, so NaN is a missing value.
        if (Number.isNaN(value)) {
          const series = this.missingSeries[i] as number;
          if (series >= 0) this.missing.inc(series);
          continue;
        }
        const edges = this.edges[i];
        if (edges !== null && edges !== undefined && fleet !== undefined) fleet.bins.inc(base + binIndex(edges, value));
        continue;
      }
      const code = codes[i] as number;
      const column = this.categoryColumns[i];
      if (column !== null && column !== undefined) column[at] = code;
      if (code < 0) {
        const series = this.missingSeries[i] as number;
        if (series >= 0) this.missing.inc(series);
        continue;
      }
      if (code === this.otherCode[i]) this.otherCategory.inc(this.otherSeries[i] as number);
      if (fleet !== undefined && base >= 0) fleet.categories.inc(base + code);
    }
  }
}
