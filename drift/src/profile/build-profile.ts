/**
 * Builds a model's reference profile from a sample file in one streaming pass: numeric
 * values are kept (typed arrays, 8 bytes each) for exact deciles and the subsample,
 * categories are counted, and the model outputs come from the file or from scoring it.
 */
import path from 'node:path';
import { OTHER_CATEGORY } from '../../../spec/src/conventions';
import type { ModelSpec } from '../../../spec/src/schema';
import {
  isRegressionPredictor,
  predictorKey,
  type ClassPredictor,
  type FeatureValue,
  type Predictor,
  type RegressionPredictor,
} from '../../../spec/src/model-types';
import { DECILE_PROBS, binCounts, quantileEdges } from '../stats';
import { pairwiseSum } from '../stats/pairwise-sum';
import {
  PROFILE_FORMAT,
  type CategoricalFeatureProfile,
  type FeatureProfile,
  type NumericFeatureProfile,
  type ReferenceProfile,
} from './reference-profile';
import { featureColumns, type ColumnRequest } from './column-request';
import { readRows, type ColumnValues, type RowBatch } from './row-reader';

/**
 * Largest ascending sample kept per numeric feature: its ECDF is within 1/(2·20,000) = 2.5e-5 of the full
 * reference's, and at 8 bytes a value 250 features hold 38 MiB of samples, which keeps 5 models × 50
 * features under the 150 MiB drift memory target (bench:drift figure 2; 50,000 values measured 207 MiB).
 */
export const DEFAULT_SAMPLE_LIMIT = 20_000;
/** Distinct values counted per numeric feature before the count just means "many". */
export const DEFAULT_UNIQUE_LIMIT = 1000;
/** Columns a reference file may carry with the model's outputs; also the names of the output profiles. */
export const PREDICTION_COLUMN = 'prediction';
export const CONFIDENCE_COLUMN = 'confidence';

/** Limits of a profile and the predictor that scores the outputs; defaults as in the constants above. */
export interface ProfileOptions {
  readonly sampleLimit?: number;
  readonly uniqueLimit?: number;
  /** Scores the rows for the output profile when the file has no `prediction` column. */
  readonly predictor?: Predictor;
}

/** Where the output profile came from: the file's own columns, the predictor, or nowhere. */
export type OutputSource = 'file' | 'predictor' | 'none';

/** A built profile and where its outputs came from. */
export interface BuiltProfile {
  readonly profile: ReferenceProfile;
  readonly outputs: OutputSource;
}

/**
 * Builds the reference profile of `model` from a CSV or JSONL sample. Numeric features get
 * count, missing, mean and std (population std, ddof = 0, as `np.std` and Evidently's
 * normalised Wasserstein use), NumPy linear deciles of all values as `edges`, the share of
 * values per bin, a capped distinct count and an ascending subsample; categorical features
 * get counts per spec category, unseen ones under `__other__`. Same input, same profile.
 */
export async function buildProfile(
  file: string,
  model: ModelSpec,
  options: ProfileOptions = {},
): Promise<BuiltProfile> {
  const sampleLimit = options.sampleLimit ?? DEFAULT_SAMPLE_LIMIT;
  const uniqueLimit = options.uniqueLimit ?? DEFAULT_UNIQUE_LIMIT;
  for (const [name, limit] of [
    ['sampleLimit', sampleLimit],
    ['uniqueLimit', uniqueLimit],
  ] as const) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`buildProfile: ${name} must be a whole number >= 1, got ${limit}`);
  }
  const { columns, prediction, confidence } = requestedColumns(model);
  const features = model.features.map((feature) => newColumn(feature.type, feature.categories ?? []));
  const outputs = new OutputCollector(model, prediction, confidence, options.predictor);
  const summary = await readRows(file, columns, (batch) => {
    features.forEach((feature, c) => feature.add(batch.columns[c]));
    outputs.add(batch);
  });
  if (summary.rows === 0) throw new Error(`${file} has no data rows`);

  const where = (column: string): string => `${file}: column "${column}"`;
  const limits = { sampleLimit, uniqueLimit };
  const profile: ReferenceProfile = {
    format: PROFILE_FORMAT,
    model: model.name,
    source: { file: path.basename(file), rows: summary.rows },
    sample_limit: sampleLimit,
    unique_limit: uniqueLimit,
    features: model.features.map((feature, i) =>
      (features[i] as ColumnAccumulator).finish(feature.name, limits, where),
    ),
  };
  const finished = outputs.finish(limits, where);
  if (finished !== undefined) profile.outputs = finished;
  return { profile, outputs: outputs.source };
}

/** The highest-weight version of `model` that has a loaded predictor (the first one on a tie), if any. */
export function pickReferencePredictor(
  model: ModelSpec,
  predictors: ReadonlyMap<string, Predictor>,
): Predictor | undefined {
  let best: { weight: number; predictor: Predictor } | undefined;
  for (const version of model.versions) {
    const predictor = predictors.get(predictorKey(model.name, version.name));
    if (predictor !== undefined && (best === undefined || version.weight > best.weight))
      best = { weight: version.weight, predictor };
  }
  return best?.predictor;
}

/** The features, then `prediction` and `confidence` as optional columns, with the index of each output column. */
function requestedColumns(model: ModelSpec): {
  columns: ColumnRequest[];
  prediction: number | undefined;
  confidence: number | undefined;
} {
  const columns = featureColumns(model.features);
  const names = new Set(model.features.map((feature) => feature.name));
  const add = (name: string, type: ColumnRequest['type']): number | undefined => {
    // A feature that happens to be called "confidence" stays a feature; the output is then not read from the file.
    if (names.has(name)) return undefined;
    return columns.push({ name, type, optional: true }) - 1;
  };
  const prediction = add(PREDICTION_COLUMN, model.task === 'regression' ? 'numeric' : 'categorical');
  const confidence = add(CONFIDENCE_COLUMN, 'numeric');
  return { columns, prediction, confidence };
}

interface Limits {
  readonly sampleLimit: number;
  readonly uniqueLimit: number;
}

/** Accumulates one column over the batches and summarises it at the end. */
interface ColumnAccumulator {
  add(column: ColumnValues | undefined): void;
  finish(name: string, limits: Limits, where: (column: string) => string): FeatureProfile;
}

function newColumn(type: 'numeric' | 'categorical', categories: readonly string[]): ColumnAccumulator {
  return type === 'numeric' ? new NumericColumn() : new CategoryColumn(categories);
}

/** Keeps every batch's numbers (NaN = missing) and compacts them once at the end. */
class NumericColumn implements ColumnAccumulator {
  private chunks: Float64Array[] = [];
  private count = 0;
  private missing = 0;

  add(column: ColumnValues | undefined): void {
    if (column?.type !== 'numeric') return;
    this.addValues(column.values);
  }

  isEmpty(): boolean {
    return this.count === 0;
  }

  addValues(values: Float64Array): void {
    let missing = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) missing++;
    this.missing += missing;
    this.count += values.length - missing;
    this.chunks.push(values);
  }

  finish(name: string, limits: Limits, where: (column: string) => string): NumericFeatureProfile {
    if (this.count === 0) throw new Error(`${where(name)} has no values (${this.missing} missing)`);
    const values = new Float64Array(this.count);
    let n = 0;
    for (const chunk of this.chunks)
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === chunk[i]) values[n++] = chunk[i] as number;
    this.chunks = [];
    return summarizeNumeric(name, values, this.missing, limits);
  }
}

/**
 * The numeric profile of `values` (finite, in file order; sorted in place here). Mean and std
 * sum in NumPy's pairwise order, so they equal `np.mean(x)` and `np.std(x)` of the same column.
 */
export function summarizeNumeric(
  name: string,
  values: Float64Array,
  missing: number,
  limits: Limits,
): NumericFeatureProfile {
  const n = values.length;
  const mean = pairwiseSum(values) / n;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const deviation = (values[i] as number) - mean;
    squares[i] = deviation * deviation;
  }
  const std = Math.sqrt(pairwiseSum(squares) / n);
  const sorted = values.sort();
  // The sort is paid for the sample anyway, so the deciles are read off it rather than selected.
  const edges = quantileEdges(sorted, DECILE_PROBS);
  const counts = binCounts(edges, sorted);
  return {
    name,
    type: 'numeric',
    count: n,
    missing,
    mean,
    std,
    unique: distinctCount(sorted, limits.uniqueLimit),
    edges: Array.from(edges),
    proportions: Array.from(counts, (count) => count / n),
    sample: evenSample(sorted, limits.sampleLimit),
  };
}

/** Distinct values of an ascending array, counting no further than `limit`. */
function distinctCount(sorted: Float64Array, limit: number): number {
  let distinct = 1;
  for (let i = 1; i < sorted.length && distinct < limit; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

/**
 * All of `sorted` when it fits in `limit`; otherwise the order statistics at ranks ⌊(i + ½)·n/k⌋,
 * the middle of each of k equal slices, so the sample's ECDF stays within about 1/(2k) of the full one.
 */
export function evenSample(sorted: Float64Array, limit: number): number[] {
  const n = sorted.length;
  if (n <= limit) return Array.from(sorted);
  const sample = new Array<number>(limit);
  // Integer arithmetic: (2i + 1)·n < 2^53 for any file that fits in memory.
  for (let i = 0; i < limit; i++) sample[i] = sorted[Math.floor(((2 * i + 1) * n) / (2 * limit))] as number;
  return sample;
}

/** Counts per spec category, in spec order, with everything else under `__other__`. */
class CategoryColumn implements ColumnAccumulator {
  private readonly index: Map<string, number>;
  private readonly counts: Float64Array;
  private missing = 0;

  constructor(private readonly categories: readonly string[]) {
    this.index = new Map(categories.map((category, i) => [category, i]));
    this.counts = new Float64Array(categories.length + 1);
  }

  add(column: ColumnValues | undefined): void {
    if (column?.type !== 'categorical') return;
    for (const value of column.values) {
      if (value === null) this.missing++;
      else this.addLabel(value);
    }
  }

  addLabel(value: string): void {
    const slot = this.index.get(value) ?? this.categories.length;
    this.counts[slot] = (this.counts[slot] as number) + 1;
  }

  finish(name: string, _limits: Limits, where: (column: string) => string): CategoricalFeatureProfile {
    const count = this.counts.reduce((sum, n) => sum + n, 0);
    if (count === 0) throw new Error(`${where(name)} has no values (${this.missing} missing)`);
    const categories: Record<string, number> = {};
    this.categories.forEach((category, i) => (categories[category] = this.counts[i] as number));
    categories[OTHER_CATEGORY] = this.counts[this.categories.length] as number;
    return { name, type: 'categorical', count, missing: this.missing, categories };
  }
}

/** Collects the output profile: from the file's `prediction`/`confidence` columns, else by scoring each row. */
class OutputCollector {
  source: OutputSource = 'none';
  /** Categories for a classifier, numbers for a regression. */
  private readonly prediction: NumericColumn | CategoryColumn;
  private readonly confidence = new NumericColumn();
  private readonly row: Record<string, FeatureValue> = {};

  constructor(
    private readonly model: ModelSpec,
    private readonly predictionColumn: number | undefined,
    private readonly confidenceColumn: number | undefined,
    private readonly predictor: Predictor | undefined,
  ) {
    const classes =
      model.classes ?? (predictor === undefined || isRegressionPredictor(predictor) ? [] : predictor.classes);
    this.prediction = model.task === 'regression' ? new NumericColumn() : new CategoryColumn(classes);
  }

  add(batch: RowBatch): void {
    const prediction = this.predictionColumn === undefined ? undefined : batch.columns[this.predictionColumn];
    if (prediction !== undefined) {
      this.source = 'file';
      this.prediction.add(prediction);
      if (this.confidenceColumn !== undefined) this.confidence.add(batch.columns[this.confidenceColumn]);
    } else if (this.predictor !== undefined) {
      this.source = 'predictor';
      if (isRegressionPredictor(this.predictor)) {
        if (this.prediction instanceof NumericColumn) this.scoreValues(batch, this.predictor, this.prediction);
      } else if (this.prediction instanceof CategoryColumn) this.score(batch, this.predictor, this.prediction);
    }
  }

  finish(limits: Limits, where: (column: string) => string): ReferenceProfile['outputs'] {
    if (this.source === 'none') return undefined;
    const prediction = this.prediction.finish(PREDICTION_COLUMN, limits, where);
    const confidence = this.confidence.isEmpty() ? undefined : this.confidence.finish(CONFIDENCE_COLUMN, limits, where);
    return confidence === undefined ? { prediction } : { prediction, confidence };
  }

  /** Scores each row through one reused row object (predictors read it and keep nothing). */
  private score(batch: RowBatch, predictor: ClassPredictor, labels: CategoryColumn): void {
    const confidences = new Float64Array(batch.size);
    for (let r = 0; r < batch.size; r++) {
      const result = predictor.predict(this.readRow(batch, r));
      labels.addLabel(result.label);
      confidences[r] = result.confidence;
    }
    this.confidence.addValues(confidences);
  }

  /** Scores each row of a regression model into its predicted values. */
  private scoreValues(batch: RowBatch, predictor: RegressionPredictor, values: NumericColumn): void {
    const predicted = new Float64Array(batch.size);
    for (let r = 0; r < batch.size; r++) predicted[r] = predictor.predict(this.readRow(batch, r)).value;
    values.addValues(predicted);
  }

  /** The reused row object, filled with row `r` of the batch. */
  private readRow(batch: RowBatch, r: number): Record<string, FeatureValue> {
    this.model.features.forEach(
      (feature, c) => (this.row[feature.name] = cellValue(batch.columns[c] as ColumnValues, r)),
    );
    return this.row;
  }
}

function cellValue(column: ColumnValues, row: number): FeatureValue {
  const value = column.values[row] as number | string | null;
  return value !== value ? null : value; // NaN marks a missing number
}
