/**
 * Streams a file of labelled predictions (CSV or JSONL: `prediction`, `label`, optionally
 * `version`, and for a classifier `confidence` or one `proba_<class>` column per class) into a
 * performance report. A row with an empty label is a prediction without its label yet: it counts
 * towards the estimate, not the realised quality. Errors name the row and the column.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ColumnRequest } from '../profile/column-request';
import { isRowFile, readRows, type ColumnValues, type RowBatch } from '../profile/row-reader';
import {
  ClassificationPerformanceBuilder,
  RegressionPerformanceBuilder,
  type PerformanceReport,
  type PerformanceTask,
} from './performance-report';

export const LABEL_COLUMN = 'label';
export const VERSION_COLUMN = 'version';
/** Prefix of the per-class probability columns: `proba_fraud` is the probability of class `fraud`. */
export const PROBABILITY_PREFIX = 'proba_';
const PREDICTION = 'prediction';
const CONFIDENCE = 'confidence';
/** Probabilities of one row may sum to 1 within this (rounded CSV cells). */
const PROBABILITY_SUM_TOLERANCE = 0.01;

/** Reads `file` for `task` (from the spec, or {@link inferTask}) into per-version and overall quality. */
export async function readPerformanceFile(file: string, task: PerformanceTask): Promise<PerformanceReport> {
  if (task.kind === 'regression') return readRegression(file);
  return readClassification(file, task.classes);
}

/**
 * The task of a file read without a spec: regression when the first row's label is a number
 * (a JSON number, or a CSV cell that parses as one), else classification over the classes the
 * file's predictions and labels name, sorted. Classes named by numbers need the spec.
 */
export async function inferTask(file: string): Promise<PerformanceTask> {
  const first = await firstLabel(file);
  if (first !== undefined && isNumeric(first)) return { kind: 'regression' };
  const seen = new Set<string>();
  const columns: ColumnRequest[] = [
    { name: PREDICTION, type: 'categorical' },
    { name: LABEL_COLUMN, type: 'categorical' },
  ];
  await readRows(file, columns, (batch) => {
    for (const column of batch.columns)
      if (column?.type === 'categorical') for (const value of column.values) if (value !== null) seen.add(value);
  });
  if (seen.size < 2)
    throw new Error(`${file}: a classifier's file needs at least two classes among its predictions and labels`);
  return { kind: 'classification', classes: [...seen].sort() };
}

async function readRegression(file: string): Promise<PerformanceReport> {
  const builder = new RegressionPerformanceBuilder();
  const columns: ColumnRequest[] = [
    { name: PREDICTION, type: 'numeric' },
    { name: LABEL_COLUMN, type: 'numeric' },
    { name: VERSION_COLUMN, type: 'categorical', optional: true },
  ];
  let row = 0;
  await readRows(file, columns, (batch) => {
    const [predictions, labels, versions] = batch.columns as [Numeric, Numeric, CategoryValues];
    for (let r = 0; r < batch.size; r++) {
      row++;
      const prediction = predictions.values[r] as number;
      if (Number.isNaN(prediction)) throw rowError(file, row, PREDICTION, 'missing: every row needs its prediction');
      builder.add(versionAt(versions, r), prediction, labels.values[r] as number);
    }
  });
  return builder.finish();
}

async function readClassification(file: string, classes: readonly string[]): Promise<PerformanceReport> {
  const builder = new ClassificationPerformanceBuilder(classes);
  const index = new Map(classes.map((name, i) => [name, i]));
  const columns: ColumnRequest[] = [
    { name: PREDICTION, type: 'categorical' },
    { name: LABEL_COLUMN, type: 'categorical' },
    { name: VERSION_COLUMN, type: 'categorical', optional: true },
    { name: CONFIDENCE, type: 'numeric', optional: true },
    ...classes.map((name): ColumnRequest => ({
      name: `${PROBABILITY_PREFIX}${name}`,
      type: 'numeric',
      optional: true,
    })),
  ];
  const probabilities = new Float64Array(classes.length);
  const classIndex = (row: number, column: string, value: string): number => {
    const found = index.get(value);
    if (found === undefined)
      throw rowError(
        file,
        row,
        column,
        `${JSON.stringify(value)} is not a class (expected one of ${classes.join(', ')})`,
      );
    return found;
  };
  let row = 0;
  await readRows(file, columns, (batch: RowBatch) => {
    const [predictions, labels, versions, confidences, ...perClass] = batch.columns as [
      Categorical,
      Categorical,
      CategoryValues,
      NumericValues,
      ...NumericValues[],
    ];
    // Every class needs its column, or the probabilities are not a distribution.
    const hasAll = perClass.length > 0 && perClass.every((column) => column !== undefined);
    for (let r = 0; r < batch.size; r++) {
      row++;
      const predictedName = predictions.values[r];
      if (predictedName === null || predictedName === undefined)
        throw rowError(file, row, PREDICTION, 'missing: every row needs its prediction');
      const predicted = classIndex(row, PREDICTION, predictedName);
      const labelName = labels.values[r];
      const actual = labelName === null || labelName === undefined ? -1 : classIndex(row, LABEL_COLUMN, labelName);
      let known: Float64Array | undefined;
      if (hasAll) known = readProbabilities(file, row, r, perClass, classes, probabilities);
      else if (confidences !== undefined)
        known = spreadConfidence(file, row, confidences.values[r] as number, predicted, probabilities);
      builder.add(versionAt(versions, r), predicted, actual, known);
    }
  });
  return builder.finish();
}

/** The row's `proba_<class>` cells, checked: each in [0, 1] and together summing to 1; undefined when any is empty. */
function readProbabilities(
  file: string,
  row: number,
  r: number,
  columns: readonly NumericValues[],
  classes: readonly string[],
  into: Float64Array,
): Float64Array | undefined {
  let sum = 0;
  for (let k = 0; k < columns.length; k++) {
    const value = (columns[k] as Numeric).values[r] as number;
    if (Number.isNaN(value)) return undefined;
    if (value < 0 || value > 1)
      throw rowError(
        file,
        row,
        `${PROBABILITY_PREFIX}${classes[k] as string}`,
        `expected a probability in [0, 1], got ${value}`,
      );
    into[k] = value;
    sum += value;
  }
  if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE)
    throw rowError(
      file,
      row,
      `${PROBABILITY_PREFIX}${classes.join(`, ${PROBABILITY_PREFIX}`)}`,
      `the class probabilities sum to ${Number(sum.toPrecision(6))}, expected 1`,
    );
  return into;
}

/**
 * A row's distribution from its `confidence` alone: the predicted class gets it, the other
 * classes share the rest evenly (exact for two classes; an assumption for more).
 */
function spreadConfidence(
  file: string,
  row: number,
  confidence: number,
  predicted: number,
  into: Float64Array,
): Float64Array | undefined {
  if (Number.isNaN(confidence)) return undefined;
  if (confidence < 0 || confidence > 1)
    throw rowError(file, row, CONFIDENCE, `expected a probability in [0, 1], got ${confidence}`);
  const others = into.length - 1;
  into.fill(others > 0 ? (1 - confidence) / others : 0);
  into[predicted] = confidence;
  return into;
}

type Numeric = Extract<ColumnValues, { type: 'numeric' }>;
type Categorical = Extract<ColumnValues, { type: 'categorical' }>;
/** An optional column's values: undefined when the file lacks it. */
type NumericValues = Numeric | undefined;
type CategoryValues = Categorical | undefined;

function versionAt(versions: CategoryValues, r: number): string | undefined {
  return versions?.values[r] ?? undefined;
}

function rowError(file: string, row: number, column: string, problem: string): Error {
  return new Error(`${file} row ${row}, column ${column}: ${problem}`);
}

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
}

/** The first data row's label: a CSV cell as text, a JSONL value as parsed; undefined when the file has no rows. */
async function firstLabel(file: string): Promise<unknown> {
  if (!isRowFile(file)) throw new Error(`${file}: expected a .csv, .jsonl or .ndjson file`);
  if (file.toLowerCase().endsWith('.csv')) {
    let label: unknown;
    const stop = new Error('first row read');
    try {
      await readRows(
        file,
        [{ name: LABEL_COLUMN, type: 'categorical' }],
        (batch) => {
          label = batch.columns[0]?.type === 'categorical' ? batch.columns[0].values[0] : undefined;
          throw stop;
        },
        { batchSize: 1 },
      );
    } catch (error) {
      if (error !== stop) throw error;
    }
    return label;
  }
  const input = createReadStream(file, { encoding: 'utf8' });
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      try {
        return (JSON.parse(line) as Record<string, unknown>)[LABEL_COLUMN];
      } catch {
        return undefined; // the full read names the bad line
      }
    }
    return undefined;
  } finally {
    input.destroy();
  }
}
