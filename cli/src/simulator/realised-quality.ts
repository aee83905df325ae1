import { addToMean } from 'simple-statistics';
import type { Truth } from './ground-truth';

/** The quality of one stretch of labelled predictions as the simulator measured it. */
export interface QualityFigures {
  /** Scenario phase, or undefined for the whole run. */
  readonly phase?: string;
  readonly labels: number;
  /** Classification: share of predictions equal to their label. */
  readonly accuracy?: number;
  /** Regression: mean absolute error. */
  readonly mae?: number;
  /** Regression: root mean squared error. */
  readonly rmse?: number;
}

/** Running means over one stretch: a few numbers whatever the run's length. */
class RunningQuality {
  labels = 0;
  private correct = 0;
  private absolute = 0;
  private squared = 0;
  private numeric = false;

  add(predicted: Truth, truth: Truth): void {
    if (typeof predicted === 'number' && typeof truth === 'number') {
      const error = predicted - truth;
      this.numeric = true;
      this.absolute = addToMean(this.absolute, this.labels, Math.abs(error));
      this.squared = addToMean(this.squared, this.labels, error * error);
    } else {
      this.correct = addToMean(this.correct, this.labels, predicted === truth ? 1 : 0);
    }
    this.labels++;
  }

  figures(phase: string | undefined): QualityFigures {
    const where = phase === undefined ? {} : { phase };
    if (this.labels === 0) return { ...where, labels: 0 };
    return this.numeric
      ? { ...where, labels: this.labels, mae: clean(this.absolute), rmse: clean(Math.sqrt(this.squared)) }
      : { ...where, labels: this.labels, accuracy: clean(this.correct) };
  }
}

/** Twelve significant digits: a running mean's rounding noise (0.7499999999999999) goes, the figure stays. */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

/**
 * The realised quality of the labels delivered, over the run and per scenario phase (in the
 * order phases first appeared): accuracy for classifiers, MAE and RMSE for regression.
 */
export class RealisedQuality {
  private readonly total = new RunningQuality();
  private readonly phases = new Map<string, RunningQuality>();

  add(phase: string, predicted: Truth, truth: Truth): void {
    this.total.add(predicted, truth);
    let running = this.phases.get(phase);
    if (running === undefined) this.phases.set(phase, (running = new RunningQuality()));
    running.add(predicted, truth);
  }

  overall(): QualityFigures {
    return this.total.figures(undefined);
  }

  byPhase(): QualityFigures[] {
    return [...this.phases].map(([phase, running]) => running.figures(phase));
  }
}

/** "accuracy 0.951" or "MAE 12.3, RMSE 20.1"; "no labels" when there is nothing to judge. */
export function describeQuality(figures: QualityFigures): string {
  if (figures.accuracy !== undefined) return `accuracy ${figures.accuracy.toFixed(3)}`;
  if (figures.mae !== undefined && figures.rmse !== undefined)
    return `MAE ${readable(figures.mae)}, RMSE ${readable(figures.rmse)}`;
  return 'no labels';
}

/** The figures without the name of the accuracy ("0.951"), for a list of phases after the overall figure. */
export function describeQualityBrief(figures: QualityFigures): string {
  return figures.accuracy !== undefined ? figures.accuracy.toFixed(3) : describeQuality(figures);
}

/** Four significant digits, without exponent notation for ordinary sizes. */
function readable(value: number): string {
  return Number(value.toPrecision(4)).toString();
}
