import type { ModelSpec } from '../../../spec/src/schema';
import type { DriftWindow } from '../drift/window/drift-window';
import type { FleetBins, ModelBins } from '../drift/fleet/fleet-bins';
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

/** Records one event's features from the validated row, with its class index, output and confidence (NaN when unknown) at `nowMs`. */
export type RecordFeatures = (
  row: ValidatedRow,
  classIndex: number,
  output: number,
  confidence: number,
  nowMs: number,
) => void;

/**
 * One model version's features compiled for the recording pass: a straight-line function, built
 * once per version, that reads the validated row (never the event object) and per feature, in one
 * walk, writes the drift window's column, counts a missing value or an unseen category, and counts
 * the fleet bin or category. Series numbers are constants in its source and each feature's bin is
 * found by comparisons against its own edges, so the pass does no lookups and no loop.
 */
export class FeatureRecordingPlan {
  /** Records the features of `row` (as the model's validator just read them) and the event's outputs into the window. */
  readonly record: RecordFeatures;

  constructor(model: ModelSpec, slot: ModelSlot, targets: RecordingTargets) {
    const bins = targets.fleet?.bins;
    const columns = targets.window?.featureColumns();
    const lines = [
      'const { values, codes } = row;',
      'const at = window === undefined ? 0 : window.claim(classIndex, output, confidence, nowMs);',
      'let value;',
      'let code;',
    ];
    model.features.forEach((feature, i) => {
      const missingSeries = slot.missingSeries.get(feature.name) ?? -1;
      const countMissing = missingSeries >= 0 ? `missing.inc(${missingSeries});` : '';
      if (feature.type === 'numeric') {
        const binned = bins?.numeric.find((b) => b.name === feature.name);
        lines.push(`value = values[${i}];`);
        if (isColumn(columns?.numeric[i])) lines.push(`numericColumns[${i}][at] = value;`);
        // Validated numbers are finite, so NaN (the only value not equal to itself) is a missing value.
        const countBin =
          binned === undefined || targets.fleet === undefined
            ? ''
            : `bins.inc(${binned.base} + ${binExpression(binned.edges)});`;
        lines.push(`if (value !== value) { ${countMissing} } else { ${countBin} }`);
        return;
      }
      const otherCode = (feature.categories ?? []).length;
      const otherSeries = slot.otherCategorySeries.get(feature.name) ?? -1;
      const countOther = otherSeries >= 0 ? `if (code === ${otherCode}) otherCategory.inc(${otherSeries});` : '';
      const counted = bins?.categorical.find((c) => c.name === feature.name);
      const countCategory =
        counted === undefined || targets.fleet === undefined ? '' : `categories.inc(${counted.base} + code);`;
      lines.push(`code = codes[${i}];`);
      if (isColumn(columns?.categorical[i])) lines.push(`categoryColumns[${i}][at] = code;`);
      lines.push(`if (code < 0) { ${countMissing} } else { ${countOther} ${countCategory} }`);
    });
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point: code built from the spec (see above)
    const build = new Function(
      'window',
      'missing',
      'otherCategory',
      'bins',
      'categories',
      'numericColumns',
      'categoryColumns',
      `'use strict';\nreturn function recordFeatures(row, classIndex, output, confidence, nowMs) {\n  ${lines.join('\n  ')}\n};`,
    ) as (
      window: DriftWindow | undefined,
      missing: FixedCounter,
      otherCategory: FixedCounter,
      bins: FixedCounter | undefined,
      categories: FixedCounter | undefined,
      numericColumns: readonly (Float64Array | null)[],
      categoryColumns: readonly (Int32Array | null)[],
    ) => RecordFeatures;
    this.record = build(
      targets.window,
      targets.featureMissing,
      targets.featureOtherCategory,
      targets.fleet?.counters.bins,
      targets.fleet?.counters.categories,
      columns?.numeric ?? [],
      columns?.categorical ?? [],
    );
  }
}

/**
 * `binIndex(edges, value)` unrolled. Edges are written as literals: `String` gives the shortest text
 * that reads back as the same double (NaN and ±Infinity included, and -0 compares as 0 does).
 * Ascending edges (what profiles hold) make the bin the number of edges <= value, a sum of
 * comparisons without branches, about 4× faster than branching on each edge; any other edges get
 * the scan's chain of comparisons, so the bin is binIndex's whatever the edges hold.
 */
function binExpression(edges: Float64Array): string {
  const literals = Array.from(edges, (edge) => String(edge));
  if (edges.every((edge, k) => k === 0 || (edges[k - 1] as number) <= edge))
    return literals.length === 0 ? '0' : `(${literals.map((edge) => `(${edge} <= value)`).join(' + ')})`;
  let expression = String(edges.length);
  for (let k = edges.length - 1; k >= 0; k--) expression = `(${literals[k] as string} <= value ? ${expression} : ${k})`;
  return expression;
}

/** True for a window column (features the window does not keep have none). */
function isColumn(column: Float64Array | Int32Array | null | undefined): boolean {
  return column !== null && column !== undefined;
}
