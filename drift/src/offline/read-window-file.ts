import type { ModelSpec } from '../../../spec/src/schema';
import { CONFIDENCE_COLUMN, PREDICTION_COLUMN } from '../profile/build-profile';
import { featureColumns, type ColumnRequest } from '../profile/column-request';
import { readRows, type ColumnValues } from '../profile/row-reader';
import type { WindowSnapshot } from '../window-snapshot';

/** A growable Float64Array: offline files are read in batches of unknown count. */
class FloatColumn {
  private data = new Float64Array(1 << 14);
  length = 0;

  append(values: Float64Array): void {
    while (this.length + values.length > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    this.data.set(values, this.length);
    this.length += values.length;
  }

  finish(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** A growable Int32Array of category codes: spec categories 0..k-1, k for unseen, -1 for missing. */
class CodeColumn {
  private data = new Int32Array(1 << 14);
  length = 0;

  constructor(
    private readonly codeOf: ReadonlyMap<string, number>,
    private readonly otherCode: number,
  ) {}

  append(values: readonly (string | null)[]): void {
    while (this.length + values.length > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    for (const value of values)
      this.data[this.length++] = value === null ? -1 : (this.codeOf.get(value) ?? this.otherCode);
  }

  finish(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/** What a current-data file held, as a window the drift engine evaluates whole. */
export interface WindowFile {
  readonly snapshot: WindowSnapshot;
  /** Whether the file had `prediction` / `confidence` columns, so output drift can be judged. */
  readonly hasPredictions: boolean;
  readonly hasConfidences: boolean;
}

/**
 * Streams a CSV or JSONL file of a model's inputs (and optionally its `prediction` and
 * `confidence` columns) into one snapshot; memory is the typed columns, not the text.
 */
export async function readWindowFile(file: string, model: ModelSpec): Promise<WindowFile> {
  const classes = model.classes ?? [];
  const isRegression = model.task === 'regression';
  const columns: ColumnRequest[] = [
    ...featureColumns(model.features),
    { name: PREDICTION_COLUMN, type: isRegression ? 'numeric' : 'categorical', optional: true },
    { name: CONFIDENCE_COLUMN, type: 'numeric', optional: true },
  ];
  const builders = model.features.map((feature) => {
    if (feature.type === 'numeric') return new FloatColumn();
    const categories = feature.categories ?? [];
    return new CodeColumn(new Map(categories.map((c, i) => [c, i])), categories.length);
  });
  // Predicted classes outside the model's classes count as failed (-1), as in a live window.
  const predictions = isRegression ? new FloatColumn() : new CodeColumn(new Map(classes.map((c, i) => [c, i])), -1);
  const confidences = new FloatColumn();
  const n = model.features.length;
  const summary = await readRows(file, columns, (batch) => {
    builders.forEach((builder, i) => append(builder, batch.columns[i]));
    const prediction = batch.columns[n];
    if (prediction !== undefined) append(predictions, prediction);
    const confidence = batch.columns[n + 1];
    confidences.append(
      confidence?.type === 'numeric' ? confidence.values : new Float64Array(batch.size).fill(Number.NaN),
    );
  });
  const hasPredictions = summary.present[n] === true;
  const numeric = new Map<string, Float64Array>();
  const categorical = new Map<string, Int32Array>();
  model.features.forEach((feature, i) => {
    const builder = builders[i] as FloatColumn | CodeColumn;
    if (builder instanceof FloatColumn) numeric.set(feature.name, builder.finish());
    else categorical.set(feature.name, builder.finish());
  });
  const outputs = hasPredictions
    ? isRegression
      ? { outputs: (predictions as FloatColumn).finish() }
      : { predictedClasses: (predictions as CodeColumn).finish() }
    : {};
  return {
    snapshot: {
      model: model.name,
      size: summary.rows,
      numeric,
      categorical,
      ...outputs,
      confidences: confidences.finish(),
    },
    hasPredictions,
    hasConfidences: summary.present[n + 1] === true,
  };
}

function append(builder: FloatColumn | CodeColumn, values: ColumnValues | undefined): void {
  if (values === undefined) return;
  if (builder instanceof FloatColumn && values.type === 'numeric') builder.append(values.values);
  else if (builder instanceof CodeColumn && values.type === 'categorical') builder.append(values.values);
}
