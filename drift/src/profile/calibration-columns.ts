/**
 * Collects what a calibration map is fitted on from a reference file's rows: the `label`
 * column, the model's probabilities (`proba_<class>` per class, or for a binary model the
 * `confidence` of the class in `prediction`) and, when present, `version`.
 */
import type { ModelSpec } from '../../../spec/src/schema';
import { fitCalibration, type CalibrationRows, type FittedCalibration } from '../quality/fit-calibration';
import type { ColumnRequest } from './column-request';
import type { ColumnValues, RowBatch } from './row-reader';

/** The ground-truth column of a reference file. */
export const LABEL_COLUMN = 'label';
/** The column naming the model version that produced a row's probabilities; without it the map is `*`. */
export const VERSION_COLUMN = 'version';
/** Prefix of the per-class probability columns: `proba_legit`, `proba_fraud`. */
export const PROBABILITY_PREFIX = 'proba_';
/** The map key of a file without a version column: every version. */
export const ALL_VERSIONS = '*';
/** How far a row's class probabilities may sum from 1 (rounded CSV cells) before the row is refused. */
const PROBABILITY_SUM_TOLERANCE = 0.01;

/** Whether a calibration was fitted, and if not, why the exporter will use raw probabilities. */
export type CalibrationOutcome =
  | ({
      readonly kind: 'fitted';
      readonly source: 'proba' | 'confidence';
      /** Rows without a label, left out. */
      readonly unlabelled: number;
      /** Labelled rows left out because their version is not one of the model's (`""` when empty), by version. */
      readonly otherVersions: Readonly<Record<string, number>>;
    } & FittedCalibration)
  | { readonly kind: 'none'; readonly reason: string };

/** Column indices (in the builder's request) of the calibration inputs; undefined when not requested. */
export interface CalibrationColumnIndices {
  readonly label: number | undefined;
  readonly version: number | undefined;
  readonly probabilities: readonly (number | undefined)[];
  readonly prediction: number | undefined;
  readonly confidence: number | undefined;
}

/**
 * Adds the calibration columns to `columns` (all optional; a name taken by a feature stays a
 * feature and is not read) and returns where each is; `classes` are the model's.
 */
export function requestCalibrationColumns(
  columns: ColumnRequest[],
  featureNames: ReadonlySet<string>,
  classes: readonly string[],
  outputs: { prediction: number | undefined; confidence: number | undefined },
): CalibrationColumnIndices {
  const add = (name: string, type: ColumnRequest['type']): number | undefined =>
    featureNames.has(name) ? undefined : columns.push({ name, type, optional: true }) - 1;
  return {
    label: add(LABEL_COLUMN, 'categorical'),
    version: add(VERSION_COLUMN, 'categorical'),
    probabilities: classes.map((name) => add(`${PROBABILITY_PREFIX}${name}`, 'numeric')),
    ...outputs,
  };
}

/** What a profile build does for calibration: take each batch, then fit or say why not. */
export interface CalibrationStep {
  add(batch: RowBatch): void;
  finish(): CalibrationOutcome;
}

/**
 * The calibration step of building `model`'s profile from `file`: for a classifier with known
 * classes, its columns are added to `columns` (after the features and outputs, whose indices
 * `outputs` gives) and its rows collected; otherwise a step that only says why there is none.
 */
export function calibrationStep(
  file: string,
  model: ModelSpec,
  classes: readonly string[],
  columns: ColumnRequest[],
  outputs: { prediction: number | undefined; confidence: number | undefined },
): CalibrationStep {
  if (model.task === 'regression' || classes.length < 2) {
    const reason =
      model.task === 'regression' ? 'a regression model has no class probabilities' : 'the classes are unknown';
    return { add: () => undefined, finish: () => ({ kind: 'none', reason }) };
  }
  const featureNames = new Set(model.features.map((feature) => feature.name));
  const at = requestCalibrationColumns(columns, featureNames, classes, outputs);
  return new CalibrationCollector(file, model, classes, at);
}

/** Accumulates labelled rows per map key over the batches, checking each one, and fits at the end. */
export class CalibrationCollector implements CalibrationStep {
  private readonly groups = new Map<string, { probabilities: number[]; labels: number[]; predicted: number[] }>();
  private readonly classIndex: Map<string, number>;
  private readonly versions: ReadonlySet<string>;
  private rowNumber = 0;
  private unlabelled = 0;
  private readonly otherVersions: Record<string, number> = {};
  private sawLabel = false;
  private source: 'proba' | 'confidence' | undefined;
  private readonly row: Float64Array;

  constructor(
    private readonly file: string,
    private readonly model: ModelSpec,
    private readonly classes: readonly string[],
    private readonly at: CalibrationColumnIndices,
  ) {
    this.classIndex = new Map(classes.map((name, i) => [name, i]));
    this.versions = new Set(model.versions.map((version) => version.name));
    this.row = new Float64Array(classes.length);
  }

  add(batch: RowBatch): void {
    const first = this.rowNumber;
    this.rowNumber += batch.size;
    const label = column(batch, this.at.label);
    if (label?.type !== 'categorical') return;
    this.sawLabel = true;
    const probabilities = this.at.probabilities.map((c) => column(batch, c));
    const present = probabilities.filter((p) => p !== undefined).length;
    if (present > 0 && present < probabilities.length) {
      const missing = this.classes.filter((_, k) => probabilities[k] === undefined);
      throw new Error(
        `${this.file}: has ${PROBABILITY_PREFIX} columns but none for ${missing.map((name) => `"${PROBABILITY_PREFIX}${name}"`).join(', ')}: give one probability column per class, or none`,
      );
    }
    const prediction = column(batch, this.at.prediction);
    const confidence = column(batch, this.at.confidence);
    if (present > 0) this.source = 'proba';
    else if (this.classes.length === 2 && prediction !== undefined && confidence !== undefined)
      this.source = 'confidence';
    else return;
    const version = column(batch, this.at.version);
    for (let r = 0; r < batch.size; r++) {
      const row = first + r + 1;
      const actual = label.values[r];
      if (actual === null || actual === undefined) {
        this.unlabelled++;
        continue;
      }
      const labelIndex = this.classOf(actual, row, LABEL_COLUMN);
      const predicted = this.readProbabilities(probabilities, prediction, confidence, r, row);
      const key = version?.type === 'categorical' ? (version.values[r] ?? '') : ALL_VERSIONS;
      if (key !== ALL_VERSIONS && !this.versions.has(key)) {
        // A retired version's rows, say: they cannot calibrate a version the spec serves.
        this.otherVersions[key] = (this.otherVersions[key] ?? 0) + 1;
        continue;
      }
      let group = this.groups.get(key);
      if (group === undefined) this.groups.set(key, (group = { probabilities: [], labels: [], predicted: [] }));
      for (const p of this.row) group.probabilities.push(p);
      group.labels.push(labelIndex);
      group.predicted.push(predicted);
    }
  }

  /** Fits the maps, or says why there are none. */
  finish(): CalibrationOutcome {
    if (!this.sawLabel) return { kind: 'none', reason: `no "${LABEL_COLUMN}" column` };
    if (this.source === undefined)
      return {
        kind: 'none',
        reason:
          this.classes.length === 2
            ? `no probability columns (${this.classes.map((name) => `"${PROBABILITY_PREFIX}${name}"`).join(' and ')}, or "prediction" with "confidence")`
            : `no probability columns (${this.classes.map((name) => `"${PROBABILITY_PREFIX}${name}"`).join(', ')}; "confidence" alone does not give the other classes' probabilities)`,
      };
    if (this.groups.size === 0)
      return {
        kind: 'none',
        reason:
          Object.keys(this.otherVersions).length > 0
            ? `no labelled row of a version of ${this.model.name} (${[...this.versions].join(', ')})`
            : 'no row has a label',
      };
    const rows = new Map<string, CalibrationRows>(this.groups);
    return {
      kind: 'fitted',
      source: this.source,
      unlabelled: this.unlabelled,
      otherVersions: this.otherVersions,
      ...fitCalibration(rows, this.classes),
    };
  }

  /** Fills `this.row` with the row's class probabilities and returns its predicted class index. */
  private readProbabilities(
    probabilities: readonly (ColumnValues | undefined)[],
    prediction: ColumnValues | undefined,
    confidence: ColumnValues | undefined,
    r: number,
    row: number,
  ): number {
    const named =
      prediction?.type === 'categorical' && prediction.values[r] !== null
        ? this.classOf(prediction.values[r] as string, row, 'prediction')
        : undefined;
    if (this.source === 'confidence') {
      const p = this.probability(confidence, r, row, 'confidence');
      if (named === undefined)
        throw this.problem(row, 'prediction', 'missing: the confidence is of the predicted class');
      this.row[named] = p;
      this.row[1 - named] = 1 - p;
      return named;
    }
    let sum = 0;
    let top = 0;
    probabilities.forEach((values, k) => {
      const p = this.probability(values, r, row, `${PROBABILITY_PREFIX}${this.classes[k] as string}`);
      this.row[k] = p;
      sum += p;
      if (p > (this.row[top] as number)) top = k; // the first class on a tie, as the logistic model
    });
    if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE)
      throw this.problem(
        row,
        this.at.probabilities.map((_, k) => `${PROBABILITY_PREFIX}${this.classes[k] as string}`).join('", "'),
        `the class probabilities sum to ${sum}, not 1`,
      );
    return named ?? top;
  }

  private probability(values: ColumnValues | undefined, r: number, row: number, name: string): number {
    const p = values?.type === 'numeric' ? (values.values[r] as number) : Number.NaN;
    if (p !== p) throw this.problem(row, name, 'missing: a labelled row needs the model probabilities');
    if (p < 0 || p > 1) throw this.problem(row, name, `${p} is not a probability (0 to 1)`);
    return p;
  }

  private classOf(value: string, row: number, name: string): number {
    const index = this.classIndex.get(value);
    if (index === undefined)
      throw this.problem(
        row,
        name,
        `${JSON.stringify(value)} is not one of the classes of ${this.model.name} (${this.classes.join(', ')})`,
      );
    return index;
  }

  private problem(row: number, name: string, what: string): Error {
    return new Error(`${this.file}: data row ${row}, column "${name}": ${what}`);
  }
}

function column(batch: RowBatch, index: number | undefined): ColumnValues | undefined {
  return index === undefined ? undefined : batch.columns[index];
}
