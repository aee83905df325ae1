/**
 * The quality of a file of labelled predictions (`mlwatch performance`): realised quality from
 * the labels, and for a classifier the quality estimated from the predicted probabilities (each
 * prediction adds its expected confusion counts, as the exporter's counters do), per version
 * and overall. Pure: rows come in one at a time, the report comes out.
 */
import {
  RegressionErrorSums,
  classificationQuality,
  emptyConfusion,
  type ClassificationQuality,
  type RegressionQuality,
} from '../quality/quality-metrics';

/** What the file's predictions are: classes (in the model's order) or numbers. */
export type PerformanceTask =
  { readonly kind: 'classification'; readonly classes: readonly string[] } | { readonly kind: 'regression' };

/** Realised and estimated quality of one classifier version (or of all rows). */
export interface ClassificationPerformance {
  readonly version: string;
  /** Rows (predictions) of this version. */
  readonly rows: number;
  /** Rows with a label: what the realised quality is computed over. */
  readonly labelled: number;
  readonly realised: ClassificationQuality;
  /** counts[predicted][actual] over the labelled rows, in `classes` order. */
  readonly confusion: readonly (readonly number[])[];
  /** From the probabilities of every row that has them (labelled or not); absent when the file has none. */
  readonly estimated?: ClassificationQuality;
}

/** Realised errors of one regression version (or of all rows). */
export interface RegressionPerformance {
  readonly version: string;
  readonly rows: number;
  readonly labelled: number;
  readonly realised: RegressionQuality;
}

/** The whole report: per version (sorted by name; none when the file has no `version` column) and overall. */
export type PerformanceReport =
  | {
      readonly task: 'classification';
      readonly classes: readonly string[];
      readonly overall: ClassificationPerformance;
      readonly versions: readonly ClassificationPerformance[];
    }
  | {
      readonly task: 'regression';
      readonly overall: RegressionPerformance;
      readonly versions: readonly RegressionPerformance[];
    };

/** One classifier version's counts. */
class ClassificationTally {
  rows = 0;
  labelled = 0;
  estimatedRows = 0;
  readonly realised: number[][];
  readonly expected: number[][];

  constructor(private readonly classes: readonly string[]) {
    this.realised = emptyConfusion(classes).counts;
    this.expected = emptyConfusion(classes).counts;
  }

  /** `actual` -1 for an unlabelled row; `probabilities` (per class, summing to 1) or undefined. */
  add(predicted: number, actual: number, probabilities: Float64Array | undefined): void {
    this.rows++;
    if (actual >= 0) {
      this.labelled++;
      const row = this.realised[predicted] as number[];
      row[actual] = (row[actual] as number) + 1;
    }
    if (probabilities !== undefined) {
      this.estimatedRows++;
      const row = this.expected[predicted] as number[];
      for (let a = 0; a < row.length; a++) row[a] = (row[a] as number) + (probabilities[a] as number);
    }
  }

  finish(version: string): ClassificationPerformance {
    const { classes } = this;
    return {
      version,
      rows: this.rows,
      labelled: this.labelled,
      realised: classificationQuality({ classes, counts: this.realised }),
      confusion: this.realised,
      ...(this.estimatedRows === 0 ? {} : { estimated: classificationQuality({ classes, counts: this.expected }) }),
    };
  }
}

/** One regression version's error sums. */
class RegressionTally {
  rows = 0;
  readonly errors = new RegressionErrorSums();

  add(prediction: number, label: number): void {
    this.rows++;
    if (!Number.isNaN(label)) this.errors.add(prediction, label);
  }

  finish(version: string): RegressionPerformance {
    return { version, rows: this.rows, labelled: this.errors.count, realised: this.errors.quality() };
  }
}

/** Collects rows of a classifier's file, per version and overall. */
export class ClassificationPerformanceBuilder {
  private readonly overall: ClassificationTally;
  private readonly byVersion = new Map<string, ClassificationTally>();

  constructor(readonly classes: readonly string[]) {
    this.overall = new ClassificationTally(classes);
  }

  /** One row: class indices (`actual` -1 when unlabelled), its version (undefined: none), its probabilities if known. */
  add(version: string | undefined, predicted: number, actual: number, probabilities: Float64Array | undefined): void {
    this.overall.add(predicted, actual, probabilities);
    if (version !== undefined)
      tallyOf(this.byVersion, version, () => new ClassificationTally(this.classes)).add(
        predicted,
        actual,
        probabilities,
      );
  }

  finish(): PerformanceReport {
    return {
      task: 'classification',
      classes: this.classes,
      overall: this.overall.finish('all'),
      versions: sortedVersions(this.byVersion).map(([version, tally]) => tally.finish(version)),
    };
  }
}

/** Collects rows of a regression model's file, per version and overall. */
export class RegressionPerformanceBuilder {
  private readonly overall = new RegressionTally();
  private readonly byVersion = new Map<string, RegressionTally>();

  /** One row: its prediction and label (NaN when unlabelled) and its version (undefined: none). */
  add(version: string | undefined, prediction: number, label: number): void {
    this.overall.add(prediction, label);
    if (version !== undefined) tallyOf(this.byVersion, version, () => new RegressionTally()).add(prediction, label);
  }

  finish(): PerformanceReport {
    return {
      task: 'regression',
      overall: this.overall.finish('all'),
      versions: sortedVersions(this.byVersion).map(([version, tally]) => tally.finish(version)),
    };
  }
}

function tallyOf<T>(tallies: Map<string, T>, version: string, create: () => T): T {
  let tally = tallies.get(version);
  if (tally === undefined) {
    tally = create();
    tallies.set(version, tally);
  }
  return tally;
}

function sortedVersions<T>(tallies: ReadonlyMap<string, T>): [string, T][] {
  return [...tallies].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
