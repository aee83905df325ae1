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

/** What a regression model returns for one row. */
export interface RegressionPrediction {
  /** The predicted value, in the unit of the model's target. */
  value: number;
}

/** What a predictor returns for one row. */
export type Prediction = ClassPrediction | RegressionPrediction;

/** True when `prediction` is a regression model's number rather than a class. */
export function isRegressionPrediction(prediction: Prediction): prediction is RegressionPrediction {
  return typeof (prediction as Partial<RegressionPrediction>).value === 'number';
}

/** A loaded classifier version: names its classes and returns their probabilities. */
export interface ClassPredictor {
  /** Absent or `classification`; a regression predictor says `regression`. */
  readonly task?: 'classification';
  readonly model: string;
  readonly version: string;
  readonly classes: readonly string[];
  predict(row: FeatureRow): ClassPrediction;
}

/** A loaded regression model version: returns one number per row. */
export interface RegressionPredictor {
  readonly task: 'regression';
  readonly model: string;
  readonly version: string;
  predict(row: FeatureRow): RegressionPrediction;
}

/** A loaded model version that can score rows: a classifier or a regression model (tell them apart by `task`). */
export type Predictor = ClassPredictor | RegressionPredictor;

/** True when `predictor` returns numbers rather than classes. */
export function isRegressionPredictor(predictor: Predictor): predictor is RegressionPredictor {
  return predictor.task === 'regression';
}

/** Key of a model version's predictor in a map of loaded predictors. */
export function predictorKey(model: string, version: string): string {
  return `${model}/${version}`;
}
