import type { ModelSpec } from '../../../spec/src/schema';
import type { FeatureRow } from '../../../spec/src/model-types';
import type { Random } from '../demo/random';

/** The true outcome of one prediction: a class name (classification) or a number (regression). */
export type Truth = string | number;

/** Where the labels the simulator sends come from: the world the model tries to predict. */
export interface GroundTruth {
  /** What it says: class names or numbers. */
  readonly kind: 'class' | 'value';
  /** Draws the true outcome of a prediction made on `features`; the same random stream gives the same truths. */
  truth(features: FeatureRow, random: Random): Truth;
}

/** A ground truth that knows which models it can label: one entry of the simulator's list. */
export interface GroundTruthSource {
  readonly name: string;
  /** True when the model is the one this truth describes (its features, classes and task). */
  fits(model: ModelSpec): boolean;
  create(model: ModelSpec): GroundTruth;
}

/** What the fallback of a classifier without a source of its own needs: the model's probabilities. */
export interface ProbabilityModel {
  predict(row: FeatureRow): { readonly probabilities: Readonly<Record<string, number>> };
}

/**
 * The truth of a classifier nobody described: each label is drawn from the given model's own
 * probabilities, so that model is exactly as accurate live as it is confident.
 */
export function calibratedGroundTruth(model: ModelSpec, scorer: ProbabilityModel): GroundTruth {
  const classes = model.classes ?? [];
  if (classes.length === 0) throw new RangeError(`model ${model.name} has no classes to draw labels from`);
  return {
    kind: 'class',
    truth(features, random) {
      const probabilities = scorer.predict(features).probabilities;
      return random.weighted(
        classes,
        classes.map((c) => Math.max(0, probabilities[c] ?? 0)),
      );
    },
  };
}

/**
 * The ground truth of `model`: the first source that fits it, else for a classifier its
 * baseline version's probabilities (`fallback`, loaded only then); throws for a regression
 * model nobody described, whose truth cannot be made up.
 */
export function chooseGroundTruth(
  model: ModelSpec,
  sources: readonly GroundTruthSource[],
  fallback: () => ProbabilityModel,
): GroundTruth {
  const source = sources.find((s) => s.fits(model));
  if (source !== undefined) return source.create(model);
  if (model.task === 'regression')
    throw new RangeError(
      `model ${model.name}: no ground truth for this regression model, so the simulator cannot label it ` +
        `(known: ${sources.map((s) => s.name).join(', ') || 'none'}; add one in cli/src/simulator/ground-truth-sources.ts)`,
    );
  return calibratedGroundTruth(model, fallback());
}
