/**
 * A model's drift plan, built once when the spec and profile are loaded: for every feature (and
 * the model outputs) the test to run, its prepared reference and where its window column lives.
 * Building it is where configuration mistakes surface, so evaluation never meets them.
 */
import type { DriftTestChoice, DriftTestName } from '../../../spec/src/drift-tests';
import type { FeatureProfile, NumericFeatureProfile, ReferenceProfile } from '../profile/reference-profile';
import type { WindowSnapshot } from '../window-snapshot';
import { resolveDriftTest } from './choose-test';
import { type PreparedReference, prepareCategoricalReference, prepareNumericReference } from './prepared-reference';
import type { DriftVerdictConfig } from './verdicts';

/** A feature as the spec declares it (a subset of the spec's FeatureSpec). */
export interface DriftFeatureSpec {
  readonly name: string;
  readonly type: 'numeric' | 'categorical';
  readonly categories?: readonly string[];
  readonly drift_test: DriftTestChoice;
}

/** What a plan needs beyond the features: the model's classes, for predicted-class drift. */
export interface DriftPlanOptions {
  readonly classes?: readonly string[];
}

/** Where an entry's window values live in a snapshot. */
export type ColumnReader =
  | { readonly kind: 'numeric'; readonly read: (snapshot: WindowSnapshot) => Float64Array | undefined }
  | { readonly kind: 'categorical'; readonly read: (snapshot: WindowSnapshot) => Int32Array | undefined };

/** One thing to test: a feature, the predictions or the confidences. */
export interface PlanEntry {
  /** The feature name, or `prediction` / `confidence` for the outputs. */
  readonly name: string;
  readonly test: DriftTestName;
  readonly reference: PreparedReference;
  readonly column: ColumnReader;
}

/** Everything an evaluation needs, prepared. */
export interface DriftPlan {
  readonly model: string;
  readonly config: DriftVerdictConfig;
  readonly features: readonly PlanEntry[];
  readonly outputs: { readonly prediction?: PlanEntry; readonly confidence?: PlanEntry };
}

/**
 * Builds a model's drift plan; throws an Error naming the model and feature when a feature has no
 * reference profile, its profile has the wrong type, its drift_test cannot apply, or the profile's
 * predicted-class counts come without the model's classes.
 */
export function prepareDriftPlan(
  profile: ReferenceProfile,
  config: DriftVerdictConfig,
  features: readonly DriftFeatureSpec[],
  options: DriftPlanOptions = {},
): DriftPlan {
  const where = `model "${profile.model}"`;
  const byName = new Map(profile.features.map((f) => [f.name, f] as const));
  const entries = features.map((feature) => {
    try {
      return featureEntry(feature, byName.get(feature.name), profile.source.file);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
  });
  return { model: profile.model, config, features: entries, outputs: outputEntries(profile, options, where) };
}

function featureEntry(feature: DriftFeatureSpec, profile: FeatureProfile | undefined, source: string): PlanEntry {
  const name = feature.name;
  if (profile === undefined)
    throw new Error(
      `feature "${name}" has no reference profile (the profile was built from ${source}); rebuild it with mlwatch profile`,
    );
  if (profile.type !== feature.type)
    throw new Error(`feature "${name}" is ${feature.type} in the spec but ${profile.type} in the reference profile`);
  const test = resolveDriftTest(feature, {
    type: profile.type,
    count: profile.count,
    ...(profile.type === 'numeric' ? { unique: profile.unique } : {}),
  });
  if (profile.type === 'numeric') {
    return {
      name,
      test,
      reference: prepareNumericReference(profile, `feature "${name}"`),
      column: numericColumn((s) => s.numeric.get(name)),
    };
  }
  if (feature.categories === undefined) throw new Error(`categorical feature "${name}" has no categories`);
  return {
    name,
    test,
    reference: prepareCategoricalReference(profile, feature.categories),
    column: categoricalColumn((s) => s.categorical.get(name)),
  };
}

/** Output drift: the predicted class (or regression output) and confidence, each by the auto rule. */
function outputEntries(profile: ReferenceProfile, options: DriftPlanOptions, where: string): DriftPlan['outputs'] {
  const outputs = profile.outputs;
  if (outputs === undefined) return {};
  const prediction = outputs.prediction;
  let predictionEntry: PlanEntry;
  if (prediction.type === 'numeric') {
    predictionEntry = numericOutput('prediction', prediction, (s) => s.outputs, where);
  } else {
    if (options.classes === undefined) {
      throw new Error(
        `${where}: the reference profile has predicted-class counts, so prediction drift needs the model's classes`,
      );
    }
    const test = resolveDriftTest({ name: 'prediction', type: 'categorical', drift_test: 'auto' }, prediction);
    predictionEntry = {
      name: 'prediction',
      test,
      reference: prepareCategoricalReference(prediction, options.classes),
      column: categoricalColumn((s) => s.predictedClasses),
    };
  }
  const confidence = outputs.confidence;
  if (confidence === undefined) return { prediction: predictionEntry };
  return {
    prediction: predictionEntry,
    confidence: numericOutput('confidence', confidence, (s) => s.confidences, where),
  };
}

function numericOutput(
  name: string,
  profile: NumericFeatureProfile,
  read: (s: WindowSnapshot) => Float64Array | undefined,
  where: string,
): PlanEntry {
  const test = resolveDriftTest({ name, type: 'numeric', drift_test: 'auto' }, profile);
  return {
    name,
    test,
    reference: prepareNumericReference(profile, `${where} output "${name}"`),
    column: numericColumn(read),
  };
}

function numericColumn(read: (snapshot: WindowSnapshot) => Float64Array | undefined): ColumnReader {
  return { kind: 'numeric', read };
}

function categoricalColumn(read: (snapshot: WindowSnapshot) => Int32Array | undefined): ColumnReader {
  return { kind: 'categorical', read };
}
