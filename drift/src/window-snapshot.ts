/**
 * A copy of one drift window at evaluation time: the recent events of one model (or
 * model version), feature by feature, oldest first. The engine evaluates snapshots, so
 * traffic can keep filling the live window while a verdict is computed.
 */
export interface WindowSnapshot {
  readonly model: string;
  /** Set when the spec asks for one window per version. */
  readonly version?: string;
  /** Events in the window. */
  readonly size: number;
  /** Numeric feature values by feature name; NaN marks a missing value (left out of the tests). */
  readonly numeric: ReadonlyMap<string, Float64Array>;
  /**
   * Categorical feature values by feature name, as codes into `categories` of that
   * feature: 0..k-1 are the spec's categories in spec order, k is `__other__`, -1 is missing.
   */
  readonly categorical: ReadonlyMap<string, Int32Array>;
  /** Predicted class codes (index into the model's classes; -1 for failed predictions), for classifiers. */
  readonly predictedClasses?: Int32Array;
  /** Regression outputs (NaN for failed predictions), for regression models. */
  readonly outputs?: Float64Array;
  /** Confidence of each prediction (NaN when unknown). */
  readonly confidences: Float64Array;
}
