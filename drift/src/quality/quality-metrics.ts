/**
 * Quality of a model from its labelled predictions: the same formulas the exporter's performance
 * report, `mlwatch performance` and (in PromQL) the generated recording rules use. A ratio whose
 * denominator is zero (precision of a class never predicted) is NaN, reported as null.
 */

/** Counts of labelled predictions by predicted class (rows) and actual class (columns). */
export interface ConfusionMatrix {
  readonly classes: readonly string[];
  /** counts[predicted][actual]; may be fractional (an expected confusion matrix). */
  readonly counts: readonly (readonly number[])[];
}

export interface ClassQuality {
  readonly class: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Labelled predictions whose actual class this is. */
  readonly support: number;
}

export interface ClassificationQuality {
  readonly count: number;
  readonly accuracy: number;
  readonly classes: readonly ClassQuality[];
  /** Mean F1 over the classes with a defined F1. */
  readonly macroF1: number;
}

export interface RegressionQuality {
  readonly count: number;
  readonly mae: number;
  readonly rmse: number;
}

/** An empty confusion matrix over `classes`. */
export function emptyConfusion(classes: readonly string[]): { classes: readonly string[]; counts: number[][] } {
  return { classes, counts: classes.map(() => classes.map(() => 0)) };
}

export function classificationQuality(matrix: ConfusionMatrix): ClassificationQuality {
  const { classes, counts } = matrix;
  let total = 0;
  let correct = 0;
  const predictedTotals = classes.map(() => 0);
  const actualTotals = classes.map(() => 0);
  counts.forEach((row, p) => {
    row.forEach((n, a) => {
      total += n;
      if (p === a) correct += n;
      predictedTotals[p] = (predictedTotals[p] as number) + n;
      actualTotals[a] = (actualTotals[a] as number) + n;
    });
  });
  const perClass = classes.map((name, k) => {
    const tp = counts[k]?.[k] ?? 0;
    const precision = ratio(tp, predictedTotals[k] as number);
    const recall = ratio(tp, actualTotals[k] as number);
    return { class: name, precision, recall, f1: harmonicMean(precision, recall), support: actualTotals[k] as number };
  });
  const f1s = perClass.map((c) => c.f1).filter((f) => !Number.isNaN(f));
  return {
    count: total,
    accuracy: ratio(correct, total),
    classes: perClass,
    macroF1: f1s.length === 0 ? Number.NaN : f1s.reduce((s, f) => s + f, 0) / f1s.length,
  };
}

/** Running sums of a regression model's errors; they add across replicas, like the exporter's counters. */
export class RegressionErrorSums {
  count = 0;
  absoluteSum = 0;
  squaredSum = 0;

  add(prediction: number, label: number): void {
    const error = label - prediction;
    this.count++;
    this.absoluteSum += Math.abs(error);
    this.squaredSum += error * error;
  }

  quality(): RegressionQuality {
    return {
      count: this.count,
      mae: ratio(this.absoluteSum, this.count),
      rmse: Math.sqrt(ratio(this.squaredSum, this.count)),
    };
  }
}

function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : Number.NaN;
}

/** F1: the harmonic mean of precision and recall; 0 when both are 0, NaN when either is undefined. */
function harmonicMean(precision: number, recall: number): number {
  if (Number.isNaN(precision) || Number.isNaN(recall)) return Number.NaN;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}
