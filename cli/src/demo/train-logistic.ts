/**
 * Trains `mlwatch.logistic/1` artifacts: L2-regularised logistic regression
 * on standardised features, fitted by full-batch Nesterov-accelerated gradient
 * descent. No randomness is involved, so the same rows give the same model.
 */
import type { FeatureRow } from '../../../spec/src/model-types';
import {
  LOGISTIC_FORMAT,
  LogisticModel,
  type BinaryScores,
  type LogisticArtifact,
  type LogisticFeatureWeights,
} from '../../../exporter/src/model/logistic-model';
import { scoreBinary } from './binary-scores';
import { encodeRows, planColumns, type DesignColumn, type TrainingFeature } from './design-matrix';
import { fitLogistic, type FitOptions } from './fit-logistic';

export type { TrainingFeature } from './design-matrix';

/** A training row: its inputs and its 0/1 label (1 is the positive class). */
export interface LabelledRow {
  readonly features: FeatureRow;
  readonly label: number;
}

/** What to train: the version's identity, its features, and the fit's penalty and stopping rules. */
export interface LogisticTrainingOptions extends FitOptions {
  model: string;
  version: string;
  /** [negative, positive]. */
  classes: readonly [string, string];
  /** Features the model uses, in artifact order; other inputs are ignored. */
  features: readonly TrainingFeature[];
  /** Seeds of the data, recorded in the artifact for provenance. */
  seed: number;
  holdoutSeed?: number;
}

/** Artifacts keep parameters to 10 significant digits: stable files, no visible loss. */
const PARAMETER_DIGITS = 10;
/** Scores are for people to read. */
const SCORE_DIGITS = 6;
const UNSCORED: BinaryScores = { accuracy: Number.NaN, log_loss: Number.NaN, auc: Number.NaN };

/** Trains one model version and scores it on `holdout` with the very predictor that will serve it. */
export function trainLogistic(
  train: readonly LabelledRow[],
  holdout: readonly LabelledRow[],
  options: LogisticTrainingOptions,
): LogisticArtifact {
  const columns = planColumns(
    options.features,
    train.map((row) => row.features),
  );
  const x = encodeRows(
    train.map((row) => row.features),
    columns,
  );
  const y = Float64Array.from(train, (row) => checkLabel(row.label));
  const fit = fitLogistic(x, y, columns.length, options);
  const artifact: LogisticArtifact = {
    format: LOGISTIC_FORMAT,
    model: options.model,
    version: options.version,
    classes: [options.classes[0], options.classes[1]],
    features: options.features.map((feature) => featureWeights(feature, columns, fit.weights)),
    intercept: roundSignificant(fit.intercept, PARAMETER_DIGITS),
    trained: {
      algorithm: 'L2 logistic regression, full-batch Nesterov gradient descent on standardised features',
      rows: train.length,
      holdout_rows: holdout.length,
      seed: options.seed,
      ...(options.holdoutSeed === undefined ? {} : { holdout_seed: options.holdoutSeed }),
      lambda: options.lambda,
      epochs: fit.epochs,
      learning_rate: roundSignificant(fit.learningRate, PARAMETER_DIGITS),
      objective: roundSignificant(fit.objective, PARAMETER_DIGITS),
      // Filled in below, once the predictor built from this very artifact has scored the rows.
      train: UNSCORED,
      holdout: UNSCORED,
    },
  };
  const model = new LogisticModel(artifact);
  artifact.trained.train = roundScores(scoreModel(model, train));
  artifact.trained.holdout = roundScores(scoreModel(model, holdout));
  return artifact;
}

/** Scores a predictor's positive-class probabilities against the rows' labels. */
export function scoreModel(model: LogisticModel, rows: readonly LabelledRow[]): BinaryScores {
  const probabilities = Float64Array.from(rows, (row) => model.positiveProbability(row.features));
  return scoreBinary(
    probabilities,
    Float64Array.from(rows, (row) => row.label),
  );
}

/** A feature's weights in an artifact (logistic or linear), from the fitted weights of its design columns. */
export function featureWeights(
  feature: TrainingFeature,
  columns: readonly DesignColumn[],
  weights: Float64Array,
): LogisticFeatureWeights {
  const weightAt = (index: number): number => roundSignificant(weights[index] as number, PARAMETER_DIGITS);
  if (feature.type === 'categorical') {
    const byCategory: Record<string, number> = {};
    columns.forEach((column, j) => {
      if (column.kind === 'category' && column.feature === feature.name) byCategory[column.category] = weightAt(j);
    });
    return { name: feature.name, type: 'categorical', weights: byCategory };
  }
  const index = columns.findIndex((c) => c.kind === 'numeric' && c.feature === feature.name);
  const missingIndex = columns.findIndex((c) => c.kind === 'missing' && c.feature === feature.name);
  const numeric = columns[index];
  if (numeric?.kind !== 'numeric') throw new Error(`no design column for numeric feature "${feature.name}"`);
  return {
    name: feature.name,
    type: 'numeric',
    mean: roundSignificant(numeric.mean, PARAMETER_DIGITS),
    std: roundSignificant(numeric.std, PARAMETER_DIGITS),
    weight: weightAt(index),
    ...(missingIndex >= 0 ? { missing_weight: weightAt(missingIndex) } : {}),
  };
}

function checkLabel(label: number): number {
  if (label !== 0 && label !== 1) throw new RangeError(`training labels must be 0 or 1, got ${label}`);
  return label;
}

function roundScores(scores: BinaryScores): BinaryScores {
  return {
    accuracy: roundSignificant(scores.accuracy, SCORE_DIGITS),
    log_loss: roundSignificant(scores.log_loss, SCORE_DIGITS),
    auc: roundSignificant(scores.auc, SCORE_DIGITS),
    positive_rate: roundSignificant(scores.positive_rate ?? Number.NaN, SCORE_DIGITS),
  };
}

/** Rounds to `digits` significant digits, so that files read `0.0123`, not `0.012299999999999998`. */
export function roundSignificant(value: number, digits: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}
