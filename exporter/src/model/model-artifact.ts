/**
 * What the model artifacts share: reading the JSON file, the error that names the file and the
 * bad fields, and the feature weights of a linear predictor (`mlwatch.logistic/1` and
 * `mlwatch.linear/1`): numeric features standardised with the training mean and std, a missing
 * numeric value imputed with the mean plus its `missing_weight`, categorical features one-hot.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FeatureRow } from '../../../spec/src/model-types';

const finite = z.number();
const nonEmpty = z.string().min(1);

export const numericFeatureSchema = z.strictObject({
  name: nonEmpty,
  type: z.literal('numeric'),
  /** Training mean: the centre of standardisation and the imputed value of a missing input. */
  mean: finite,
  /** Training standard deviation; positive, since standardisation divides by it. */
  std: finite.positive(),
  /** Added to the linear score (log-odds, or the output of a linear model) per training standard deviation above the mean. */
  weight: finite,
  /** Added to the linear score when the value is missing (null, absent or not a finite number); 0 when omitted. */
  missing_weight: finite.optional(),
});

export const categoricalFeatureSchema = z.strictObject({
  name: nonEmpty,
  type: z.literal('categorical'),
  /** Added to the linear score per category; categories not listed add 0. */
  weights: z.record(nonEmpty, finite),
});

/** A numeric or categorical feature's weights. */
export const featureWeightsSchema = z.discriminatedUnion('type', [numericFeatureSchema, categoricalFeatureSchema]);

export type NumericFeatureWeights = z.infer<typeof numericFeatureSchema>;
export type CategoricalFeatureWeights = z.infer<typeof categoricalFeatureSchema>;
export type FeatureWeights = z.infer<typeof featureWeightsSchema>;

/** An artifact file that could not be read or failed validation; `problems` has one line per bad field. */
export class ModelArtifactError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    options?: { cause?: unknown; format?: string },
  ) {
    super(
      `${file} is not a valid ${options?.format ?? 'mlwatch'} model artifact:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ModelArtifactError';
  }
}

/** Reads and parses an artifact's JSON; throws ModelArtifactError naming the file (and `format`, when known). */
export function readArtifactJson(file: string, format?: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ModelArtifactError(file, [`cannot read the file: ${(error as Error).message}`], { cause: error, format });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ModelArtifactError(file, [`not valid JSON: ${(error as Error).message}`], { cause: error, format });
  }
}

/** Adds an issue for every feature name used twice; for a schema's superRefine. */
export function refineUniqueFeatures(features: readonly { name: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  features.forEach((feature, index) => {
    if (seen.has(feature.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['features', index, 'name'],
        message: `duplicate feature name "${feature.name}"`,
      });
    }
    seen.add(feature.name);
  });
}

/**
 * The linear score `intercept + Σ weight · standardised value` of a row, with parallel arrays
 * built once so that scoring only reads numbers; inputs it does not use are ignored.
 */
export class LinearTerms {
  private readonly numericNames: readonly string[];
  private readonly means: Float64Array;
  private readonly weightsPerUnit: Float64Array;
  private readonly missingWeights: Float64Array;
  private readonly categoricalNames: readonly string[];
  private readonly categoryWeights: readonly ReadonlyMap<string, number>[];

  constructor(
    features: readonly FeatureWeights[],
    private readonly intercept: number,
  ) {
    const numeric = features.filter((f): f is NumericFeatureWeights => f.type === 'numeric');
    this.numericNames = numeric.map((f) => f.name);
    this.means = Float64Array.from(numeric, (f) => f.mean);
    // weight / std turns a raw deviation from the mean into the score with one multiplication.
    this.weightsPerUnit = Float64Array.from(numeric, (f) => f.weight / f.std);
    this.missingWeights = Float64Array.from(numeric, (f) => f.missing_weight ?? 0);
    const categorical = features.filter((f): f is CategoricalFeatureWeights => f.type === 'categorical');
    this.categoricalNames = categorical.map((f) => f.name);
    this.categoryWeights = categorical.map((f) => new Map(Object.entries(f.weights)));
  }

  /** The score of one row; a category the model never saw contributes nothing. */
  score(row: FeatureRow): number {
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
}
