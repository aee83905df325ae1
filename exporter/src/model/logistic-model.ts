/**
 * Logistic-regression model artifacts (`mlwatch.logistic/1`) and the predictor
 * that serves them. Numeric features are standardised with the training mean
 * and std; a missing numeric value is imputed with the mean and adds its
 * `missing_weight`; categorical features are one-hot, and a category the
 * model never saw contributes nothing.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeIssue } from '../../../spec/src/spec-error';
import type { ClassPrediction, FeatureRow, Predictor } from '../../../spec/src/model-types';

/** The `format` string every artifact of this kind carries. */
export const LOGISTIC_FORMAT = 'mlwatch.logistic/1';

const finite = z.number();
const nonEmpty = z.string().min(1);

const numericFeatureSchema = z.strictObject({
  name: nonEmpty,
  type: z.literal('numeric'),
  /** Training mean: the centre of standardisation and the imputed value of a missing input. */
  mean: finite,
  /** Training standard deviation; positive, since standardisation divides by it. */
  std: finite.positive(),
  /** Log-odds added per training standard deviation above the mean. */
  weight: finite,
  /** Log-odds added when the value is missing (null, absent or not a finite number); 0 when omitted. */
  missing_weight: finite.optional(),
});

const categoricalFeatureSchema = z.strictObject({
  name: nonEmpty,
  type: z.literal('categorical'),
  /** Log-odds added per category; categories not listed add 0. */
  weights: z.record(nonEmpty, finite),
});

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
    features: z.array(z.discriminatedUnion('type', [numericFeatureSchema, categoricalFeatureSchema])),
    intercept: finite,
    trained: trainedSchema,
  })
  .superRefine((artifact, ctx) => {
    if (artifact.classes[0] === artifact.classes[1]) {
      ctx.addIssue({ code: 'custom', path: ['classes', 1], message: `duplicate class name "${artifact.classes[1]}"` });
    }
    const seen = new Set<string>();
    artifact.features.forEach((feature, index) => {
      if (seen.has(feature.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['features', index, 'name'],
          message: `duplicate feature name "${feature.name}"`,
        });
      }
      seen.add(feature.name);
    });
  });

export type LogisticArtifact = z.infer<typeof logisticArtifactSchema>;
export type NumericFeatureWeights = z.infer<typeof numericFeatureSchema>;
export type CategoricalFeatureWeights = z.infer<typeof categoricalFeatureSchema>;
export type LogisticFeatureWeights = LogisticArtifact['features'][number];
export type TrainingRecord = LogisticArtifact['trained'];
/** Accuracy (at 0.5), mean log-loss (nats), ROC AUC and share of positive labels of a binary model on some rows. */
export type BinaryScores = z.infer<typeof scoresSchema>;

/** An artifact file that could not be read or failed validation; `problems` has one line per bad field. */
export class ModelArtifactError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(
      `${file} is not a valid ${LOGISTIC_FORMAT} model artifact:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      options,
    );
    this.name = 'ModelArtifactError';
  }
}

/** Validates parsed JSON as a logistic artifact; `file` names it in errors. */
export function parseLogisticArtifact(data: unknown, file: string): LogisticArtifact {
  const result = logisticArtifactSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    throw new ModelArtifactError(
      file,
      result.error.issues.flatMap((issue) => describeIssue(issue).split('\n')),
    );
  }
  return result.data;
}

/** Reads, validates and loads a `mlwatch.logistic/1` JSON artifact; throws ModelArtifactError naming the file and field. */
export function loadLogisticModel(file: string): LogisticModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ModelArtifactError(file, [`cannot read the file: ${(error as Error).message}`], { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ModelArtifactError(file, [`not valid JSON: ${(error as Error).message}`], { cause: error });
  }
  return new LogisticModel(parseLogisticArtifact(data, file));
}

/** A binary logistic-regression predictor; inputs it does not use are ignored. */
export class LogisticModel implements Predictor {
  readonly model: string;
  readonly version: string;
  readonly classes: readonly [string, string];
  /** Names of the features this version reads, in artifact order. */
  readonly features: readonly string[];

  // Parallel arrays, built once, so that predict() only reads numbers.
  private readonly intercept: number;
  private readonly numericNames: readonly string[];
  private readonly means: Float64Array;
  private readonly weightsPerUnit: Float64Array;
  private readonly missingWeights: Float64Array;
  private readonly categoricalNames: readonly string[];
  private readonly categoryWeights: readonly ReadonlyMap<string, number>[];

  /** Builds a predictor from a validated artifact. */
  constructor(readonly artifact: LogisticArtifact) {
    this.model = artifact.model;
    this.version = artifact.version;
    this.classes = artifact.classes;
    this.features = artifact.features.map((feature) => feature.name);
    this.intercept = artifact.intercept;

    const numeric = artifact.features.filter((f): f is NumericFeatureWeights => f.type === 'numeric');
    this.numericNames = numeric.map((f) => f.name);
    this.means = Float64Array.from(numeric, (f) => f.mean);
    // weight / std turns a raw deviation from the mean into log-odds with one multiplication.
    this.weightsPerUnit = Float64Array.from(numeric, (f) => f.weight / f.std);
    this.missingWeights = Float64Array.from(numeric, (f) => f.missing_weight ?? 0);

    const categorical = artifact.features.filter((f): f is CategoricalFeatureWeights => f.type === 'categorical');
    this.categoricalNames = categorical.map((f) => f.name);
    this.categoryWeights = categorical.map((f) => new Map(Object.entries(f.weights)));
  }

  /** Log-odds of the positive class for one row. */
  logOdds(row: FeatureRow): number {
    let z = this.intercept;
    const numericNames = this.numericNames;
    for (let i = 0; i < numericNames.length; i++) {
      const value = row[numericNames[i] as string];
      // Mean imputation: a missing value standardises to 0, so only its indicator weight is left.
      if (typeof value === 'number' && Number.isFinite(value))
        z += (value - (this.means[i] as number)) * (this.weightsPerUnit[i] as number);
      else z += this.missingWeights[i] as number;
    }
    const categoricalNames = this.categoricalNames;
    for (let i = 0; i < categoricalNames.length; i++) {
      const value = row[categoricalNames[i] as string];
      if (typeof value === 'string') z += (this.categoryWeights[i] as ReadonlyMap<string, number>).get(value) ?? 0;
    }
    return z;
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
