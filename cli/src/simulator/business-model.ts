import { conversionEvent, type ModelSpec, type OutcomesSpec } from '../../../spec/src/schema';
import type { FeatureRow } from '../../../spec/src/model-types';
import type { Random } from '../demo/random';
import type { Truth } from './ground-truth';

/** A prediction the exporter recorded, as the business behind it sees it. */
export interface ServedPrediction {
  readonly features: FeatureRow;
  /** What the model said: a class (a fraud model's `fraud` blocks the payment) or a value. */
  readonly predicted: Truth;
  /** The truth the prediction's label reports, when it gets one; otherwise a business model draws its own. */
  readonly truth?: Truth | undefined;
}

/** An outcome a business model says follows a prediction, before its delay is applied. */
export interface PlannedOutcome {
  /** One of the model's declared outcome events. */
  readonly event: string;
  /** The event's value (in its declared currency), for events declared with one. */
  readonly value?: number;
  /** When it happens after the prediction, as a share of the outcome delay: above 0, at most 1. */
  readonly lag: number;
}

/** What happens after a model's predictions: the world behind its declared outcome events. */
export interface BusinessModel {
  /**
   * The outcomes of one served prediction, at most one per event. `conversion` multiplies the
   * chance of the conversion event (1 leaves it; a scenario lowers it for a version).
   */
  outcomes(prediction: ServedPrediction, conversion: number, random: Random): PlannedOutcome[];
}

/** A business model that knows which models it describes: one entry of the simulator's list. */
export interface BusinessModelSource {
  readonly name: string;
  /** True when the model is the one this business describes (its features and declared events). */
  fits(model: ModelSpec): boolean;
  create(model: ModelSpec, outcomes: OutcomesSpec): BusinessModel;
}

/** Chance of the conversion event after a prediction of a model nobody described. */
export const GENERIC_CONVERSION = 0.3;
/** Chance of each other declared event after such a prediction. */
export const GENERIC_OTHER_EVENT = 0.05;
/** Median value of a generic value event: a lognormal around it, like shop baskets. */
const GENERIC_MEDIAN_VALUE = 40;

/**
 * The business of a model nobody described: after each prediction its conversion event happens
 * with a chance of GENERIC_CONVERSION (times the scenario's factor) and every other declared
 * event with GENERIC_OTHER_EVENT, independently; values are lognormal around 40; each outcome
 * happens at a uniform moment within the outcome delay.
 */
export function genericBusinessModel(outcomes: OutcomesSpec): BusinessModel {
  const conversion = conversionEvent(outcomes);
  const events = Object.entries(outcomes.events);
  return {
    outcomes(_prediction, factor, random) {
      const out: PlannedOutcome[] = [];
      for (const [event, spec] of events) {
        const chance = event === conversion ? GENERIC_CONVERSION * factor : GENERIC_OTHER_EVENT;
        if (!random.bernoulli(chance)) continue;
        const lag = 1 - random.next();
        out.push(
          spec.value
            ? { event, value: cents(random.lognormal(Math.log(GENERIC_MEDIAN_VALUE), 0.8)), lag }
            : { event, lag },
        );
      }
      return out;
    },
  };
}

/** The business model of `model`: the first source that fits it, else the generic one. */
export function chooseBusinessModel(
  model: ModelSpec,
  outcomes: OutcomesSpec,
  sources: readonly BusinessModelSource[],
): BusinessModel {
  const source = sources.find((s) => s.fits(model));
  return source === undefined ? genericBusinessModel(outcomes) : source.create(model, outcomes);
}

/** A money amount rounded to cents. */
export function cents(value: number): number {
  return Math.round(value * 100) / 100;
}
