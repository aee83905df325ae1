/** Values of one input row: numbers for numeric features, strings for categorical ones, null when missing. */
export type FeatureValue = number | string | null;
export type FeatureRow = Readonly<Record<string, FeatureValue>>;

/** What a classifier returns for one row. */
export interface ClassPrediction {
  /** Name of the most probable class. */
  label: string;
  /** Probability of the predicted class, in [0, 1]. */
  confidence: number;
  /** Probability per class name, summing to 1. */
  probabilities: Record<string, number>;
}

/** A loaded model version that can score rows. */
export interface Predictor {
  readonly model: string;
  readonly version: string;
  readonly classes: readonly string[];
  predict(row: FeatureRow): ClassPrediction;
}

/** Key of a model version's predictor in a map of loaded predictors. */
export function predictorKey(model: string, version: string): string {
  return `${model}/${version}`;
}
