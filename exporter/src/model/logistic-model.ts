/**
 * Logistic-regression model artifacts (`mlwatch.logistic/1`) and the predictor
 * that serves them. Numeric features are standardised with the training mean
 * and std; a missing numeric value is imputed with the mean and adds its
 * `missing_weight`; categorical features are one-hot, and a category the
 * model never saw contributes nothing.
 */
import { z } from 'zod';
import { describeIssue } from '../../../spec/src/spec-error';
import type { ClassPrediction, ClassPredictor, FeatureRow } from '../../../spec/src/model-types';
import {
  LinearTerms,
  ModelArtifactError,
  featureWeightsSchema,
  readArtifactJson,
  refineUniqueFeatures,
  type FeatureWeights,
} from './model-artifact';

export { ModelArtifactError } from './model-artifact';
export type { CategoricalFeatureWeights, NumericFeatureWeights } from './model-artifact';

/** The `format` string every artifact of this kind carries. */
export const LOGISTIC_FORMAT = 'mlwatch.logistic/1';

const finite = z.number();
const nonEmpty = z.string().min(1);

const scoresSchema = z.looseObject({
  accuracy: finite,
  log_loss: finite,
  auc: finite,
  positive_rate: finite.optional(),
});

/** Training provenance; extra keys are allowed so that trainers can record more. */
const trainedSchema = z.looseObject({
  rows: z.number().int().nonnegative(),
  seed: z.number().int(),
  lambda: finite.nonnegative(),
  epochs: z.number().int().nonnegative(),
  train: scoresSchema,
  holdout: scoresSchema,
});

export const logisticArtifactSchema = z
  .strictObject({
    format: z.literal(LOGISTIC_FORMAT),
    model: nonEmpty,
    version: nonEmpty,
    /** [negative, positive]: the sigmoid gives the probability of the second class. */
    classes: z.tuple([nonEmpty, nonEmpty]),
    features: z.array(featureWeightsSchema),
    intercept: finite,
    trained: trainedSchema,
  })
  .superRefine((artifact, ctx) => {
    if (artifact.classes[0] === artifact.classes[1]) {
      ctx.addIssue({ code: 'custom', path: ['classes', 1], message: `duplicate class name "${artifact.classes[1]}"` });
    }
    refineUniqueFeatures(artifact.features, ctx);
  });

export type LogisticArtifact = z.infer<typeof logisticArtifactSchema>;
export type LogisticFeatureWeights = FeatureWeights;
export type TrainingRecord = LogisticArtifact['trained'];
/** Accuracy (at 0.5), mean log-loss (nats), ROC AUC and share of positive labels of a binary model on some rows. */
export type BinaryScores = z.infer<typeof scoresSchema>;

/** Validates parsed JSON as a logistic artifact; `file` names it in errors. */
export function parseLogisticArtifact(data: unknown, file: string): LogisticArtifact {
  const result = logisticArtifactSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    throw new ModelArtifactError(
      file,
      result.error.issues.flatMap((issue) => describeIssue(issue).split('\n')),
      { format: LOGISTIC_FORMAT },
    );
  }
  return result.data;
}

/** Reads, validates and loads a `mlwatch.logistic/1` JSON artifact; throws ModelArtifactError naming the file and field. */
export function loadLogisticModel(file: string): LogisticModel {
  return new LogisticModel(parseLogisticArtifact(readArtifactJson(file, LOGISTIC_FORMAT), file));
}

/** A binary logistic-regression predictor; inputs it does not use are ignored. */
export class LogisticModel implements ClassPredictor {
  readonly model: string;
  readonly version: string;
  readonly classes: readonly [string, string];
  /** Names of the features this version reads, in artifact order. */
  readonly features: readonly string[];

  private readonly terms: LinearTerms;

  /** Builds a predictor from a validated artifact. */
  constructor(readonly artifact: LogisticArtifact) {
    this.model = artifact.model;
    this.version = artifact.version;
    this.classes = artifact.classes;
    this.features = artifact.features.map((feature) => feature.name);
    this.terms = new LinearTerms(artifact.features, artifact.intercept);
  }

  /** Log-odds of the positive class for one row. */
  logOdds(row: FeatureRow): number {
    return this.terms.score(row);
  }

  /** Probability of the positive class (the second of `classes`) for one row. */
  positiveProbability(row: FeatureRow): number {
    return sigmoid(this.logOdds(row));
  }

  /** Scores one row: both class probabilities, and the more probable class (the negative one on a tie). */
  predict(row: FeatureRow): ClassPrediction {
    const positive = this.positiveProbability(row);
    const negative = 1 - positive;
    const [negativeClass, positiveClass] = this.classes;
    const isPositive = positive > negative;
    return {
      label: isPositive ? positiveClass : negativeClass,
      confidence: isPositive ? positive : negative,
      probabilities: { [negativeClass]: negative, [positiveClass]: positive },
    };
  }
}

/** Logistic function, written so that exp() never overflows for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
