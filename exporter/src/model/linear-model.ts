/**
 * Linear-regression model artifacts (`mlwatch.linear/1`) and the predictor that serves them:
 * the features of `mlwatch.logistic/1` (standardised numeric, one-hot categorical, an intercept),
 * and the output is the linear score itself, `intercept + Σ weight · x`, in the target's unit.
 */
import { z } from 'zod';
import { describeIssue } from '../../../spec/src/spec-error';
import type { FeatureRow, RegressionPrediction, RegressionPredictor } from '../../../spec/src/model-types';
import {
  LinearTerms,
  ModelArtifactError,
  featureWeightsSchema,
  readArtifactJson,
  refineUniqueFeatures,
} from './model-artifact';

/** The `format` string every artifact of this kind carries. */
export const LINEAR_FORMAT = 'mlwatch.linear/1';

const finite = z.number();
const nonEmpty = z.string().min(1);

/** Errors of a regression model on some rows, in the target's unit (R² is unitless). */
const regressionScoresSchema = z.looseObject({
  mae: finite.nonnegative(),
  rmse: finite.nonnegative(),
  r2: finite,
});

/** Training provenance; extra keys are allowed so that trainers can record more. */
const trainedSchema = z.looseObject({
  rows: z.number().int().nonnegative(),
  seed: z.number().int(),
  lambda: finite.nonnegative(),
  train: regressionScoresSchema,
  holdout: regressionScoresSchema,
});

export const linearArtifactSchema = z
  .strictObject({
    format: z.literal(LINEAR_FORMAT),
    model: nonEmpty,
    version: nonEmpty,
    /** What the output measures, e.g. "EUR spent by the card over the next 7 days"; for people. */
    target: nonEmpty.optional(),
    features: z.array(featureWeightsSchema),
    intercept: finite,
    /** The output is clamped to at least this (a spend is never negative); no bound when omitted. */
    min_output: finite.optional(),
    trained: trainedSchema,
  })
  .superRefine((artifact, ctx) => refineUniqueFeatures(artifact.features, ctx));

export type LinearArtifact = z.infer<typeof linearArtifactSchema>;
/** MAE, RMSE and R² of a regression model on some rows. */
export type RegressionScores = z.infer<typeof regressionScoresSchema>;

/** Validates parsed JSON as a linear artifact; `file` names it in errors. */
export function parseLinearArtifact(data: unknown, file: string): LinearArtifact {
  const result = linearArtifactSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    throw new ModelArtifactError(
      file,
      result.error.issues.flatMap((issue) => describeIssue(issue).split('\n')),
      { format: LINEAR_FORMAT },
    );
  }
  return result.data;
}

/** Reads, validates and loads a `mlwatch.linear/1` JSON artifact; throws ModelArtifactError naming the file and field. */
export function loadLinearModel(file: string): LinearModel {
  return new LinearModel(parseLinearArtifact(readArtifactJson(file, LINEAR_FORMAT), file));
}

/** A linear-regression predictor; inputs it does not use are ignored. */
export class LinearModel implements RegressionPredictor {
  readonly task = 'regression';
  readonly model: string;
  readonly version: string;
  /** Names of the features this version reads, in artifact order. */
  readonly features: readonly string[];
  private readonly terms: LinearTerms;
  private readonly minOutput: number;

  /** Builds a predictor from a validated artifact. */
  constructor(readonly artifact: LinearArtifact) {
    this.model = artifact.model;
    this.version = artifact.version;
    this.features = artifact.features.map((feature) => feature.name);
    this.terms = new LinearTerms(artifact.features, artifact.intercept);
    this.minOutput = artifact.min_output ?? -Infinity;
  }

  /** The predicted value of one row, before the response object is built. */
  value(row: FeatureRow): number {
    return Math.max(this.minOutput, this.terms.score(row));
  }

  /** Scores one row. */
  predict(row: FeatureRow): RegressionPrediction {
    return { value: this.value(row) };
  }
}
