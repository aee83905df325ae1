/**
 * Trains `mlwatch.linear/1` artifacts: ridge regression on standardised features (the design
 * matrix of the logistic trainer), solved exactly. No randomness is involved, so the same rows
 * give the same model.
 */
import {
  LINEAR_FORMAT,
  LinearModel,
  type LinearArtifact,
  type RegressionScores,
} from '../../../exporter/src/model/linear-model';
import type { FeatureRow } from '../../../spec/src/model-types';
import { encodeRows, planColumns, type TrainingFeature } from './design-matrix';
import { fitLinear } from './fit-linear';
import { featureWeights, roundSignificant } from './train-logistic';

/** A training row: its inputs and its numeric target. */
export interface TargetRow {
  readonly features: FeatureRow;
  readonly label: number;
}

/** What to train: the version's identity, its features and the penalty. */
export interface LinearTrainingOptions {
  model: string;
  version: string;
  /** What the output measures, for people reading the artifact. */
  target?: string;
  /** The served output is clamped to at least this. */
  minOutput?: number;
  /** Features the model uses, in artifact order; other inputs are ignored. */
  features: readonly TrainingFeature[];
  /** L2 penalty on standardised weights (the intercept is not penalised). */
  lambda: number;
  /** Seeds of the data, recorded in the artifact for provenance. */
  seed: number;
  holdoutSeed?: number;
}

/** Artifacts keep parameters to 10 significant digits: stable files, no visible loss. */
const PARAMETER_DIGITS = 10;
/** Scores are for people to read. */
const SCORE_DIGITS = 6;
const UNSCORED: RegressionScores = { mae: 0, rmse: 0, r2: 0 };

/** Trains one model version and scores it on `holdout` with the very predictor that will serve it. */
export function trainLinear(
  train: readonly TargetRow[],
  holdout: readonly TargetRow[],
  options: LinearTrainingOptions,
): LinearArtifact {
  const rows = train.map((row) => row.features);
  const columns = planColumns(options.features, rows);
  const x = encodeRows(rows, columns);
  const y = Float64Array.from(train, (row) => checkTarget(row.label));
  const fit = fitLinear(x, y, columns.length, options.lambda);
  const artifact: LinearArtifact = {
    format: LINEAR_FORMAT,
    model: options.model,
    version: options.version,
    ...(options.target === undefined ? {} : { target: options.target }),
    features: options.features.map((feature) => featureWeights(feature, columns, fit.weights)),
    intercept: roundSignificant(fit.intercept, PARAMETER_DIGITS),
    ...(options.minOutput === undefined ? {} : { min_output: options.minOutput }),
    trained: {
      algorithm: 'ridge regression on standardised features, normal equations solved by Cholesky',
      rows: train.length,
      holdout_rows: holdout.length,
      seed: options.seed,
      ...(options.holdoutSeed === undefined ? {} : { holdout_seed: options.holdoutSeed }),
      lambda: options.lambda,
      // Filled in below, once the predictor built from this very artifact has scored the rows.
      train: UNSCORED,
      holdout: UNSCORED,
    },
  };
  const model = new LinearModel(artifact);
  artifact.trained.train = scoreRegression(model, train);
  artifact.trained.holdout = scoreRegression(model, holdout);
  return artifact;
}

/** MAE, RMSE and R² of a predictor's values against the rows' targets, to 6 significant digits. */
export function scoreRegression(model: LinearModel, rows: readonly TargetRow[]): RegressionScores {
  let absolute = 0;
  let squared = 0;
  let mean = 0;
  for (const row of rows) mean += row.label / rows.length;
  let total = 0;
  for (const row of rows) {
    const error = row.label - model.value(row.features);
    absolute += Math.abs(error);
    squared += error * error;
    total += (row.label - mean) ** 2;
  }
  return {
    mae: roundSignificant(absolute / rows.length, SCORE_DIGITS),
    rmse: roundSignificant(Math.sqrt(squared / rows.length), SCORE_DIGITS),
    r2: roundSignificant(1 - squared / total, SCORE_DIGITS),
  };
}

function checkTarget(label: number): number {
  if (!Number.isFinite(label)) throw new RangeError(`training targets must be finite numbers, got ${label}`);
  return label;
}
