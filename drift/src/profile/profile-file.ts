/**
 * Reference profile files: writing them byte-for-byte reproducibly, loading and
 * validating them, and checking that a profile fits the model the spec describes.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { ModelSpec } from '../../../spec/src/schema';
import { describeIssue, formatPath } from '../../../spec/src/spec-error';
import { OTHER_CATEGORY } from '../../../spec/src/conventions';
import {
  referenceProfileSchema,
  type FeatureProfile,
  type NumericFeatureProfile,
  type ReferenceProfile,
} from './reference-profile';

/** A profile file that could not be read or is not a valid profile; `problems` has one line per bad path. */
export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`${file} is not a valid mlwatch profile:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
    this.name = 'ProfileError';
  }
}

/** A valid profile that does not describe the model in the spec; `mismatches` has one line each. */
export class ProfileMismatchError extends Error {
  constructor(
    readonly mismatches: string[],
    where: string,
  ) {
    super(
      mismatches.length === 1
        ? `${where}: ${mismatches[0]}`
        : `${where}:\n${mismatches.map((m) => `  - ${m}`).join('\n')}`,
    );
    this.name = 'ProfileMismatchError';
  }
}

/** Names the profile and the spec entry in a mismatch message: `profile a.json does not match models[0] (fraud) of mlwatch.yaml`. */
export interface ProfilePlace {
  /** The profile file as the user wrote it. */
  readonly profileFile: string;
  readonly specFile: string;
  readonly modelIndex: number;
}

/** Writes a profile as indented JSON with numeric arrays on one line each, and a trailing newline. */
export async function writeProfile(file: string, profile: ReferenceProfile): Promise<void> {
  await writeFile(file, formatProfile(profile));
}

/** The text writeProfile writes: keys in the profile's own order, numbers as JavaScript prints them. */
export function formatProfile(profile: ReferenceProfile): string {
  return `${toJson(profile, '')}\n`;
}

// JSON.stringify's indentation puts each of 50,000 sample values on its own line; numeric arrays stay on one.
function toJson(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'number'))
      return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    if (value.length === 0) return '[]';
    const inner = `${indent}  `;
    return `[\n${value.map((item) => inner + toJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${toJson(item, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Reads and validates a profile file; throws ProfileError naming the file and every bad path. */
export function loadProfile(file: string): ReferenceProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProfileError(file, [`cannot read the file: ${(error as Error).message}`], { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(file, [`not valid JSON: ${(error as Error).message}`], { cause: error });
  }
  return parseProfile(data, file);
}

/** Validates parsed JSON as a profile: the schema, then the invariants the drift engine relies on. */
export function parseProfile(data: unknown, file: string): ReferenceProfile {
  const result = referenceProfileSchema.safeParse(data, { reportInput: true });
  if (!result.success)
    throw new ProfileError(
      file,
      result.error.issues.flatMap((issue) => describeIssue(issue).split('\n')),
    );
  const problems = consistencyProblems(result.data);
  if (problems.length > 0) throw new ProfileError(file, problems);
  return result.data;
}

function consistencyProblems(profile: ReferenceProfile): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  profile.features.forEach((feature, i) => {
    if (seen.has(feature.name))
      problems.push(`${formatPath(['features', i, 'name'])}: duplicate feature name "${feature.name}"`);
    seen.add(feature.name);
    problems.push(...featureProblems(feature, ['features', i], profile));
  });
  if (profile.outputs !== undefined) {
    problems.push(...featureProblems(profile.outputs.prediction, ['outputs', 'prediction'], profile));
    if (profile.outputs.confidence !== undefined)
      problems.push(...featureProblems(profile.outputs.confidence, ['outputs', 'confidence'], profile));
  }
  return problems;
}

/** Shares must sum to 1 up to rounding: ten shares of count/n are each within half an ulp. */
const PROPORTION_SUM_TOLERANCE = 1e-9;

function featureProblems(feature: FeatureProfile, at: (string | number)[], profile: ReferenceProfile): string[] {
  if (feature.type === 'categorical') {
    const total = Object.values(feature.categories).reduce((sum, n) => sum + n, 0);
    return total === feature.count
      ? []
      : [`${formatPath([...at, 'categories'])}: counts sum to ${total}, but count is ${feature.count}`];
  }
  return numericProblems(feature, at, profile);
}

function numericProblems(feature: NumericFeatureProfile, at: (string | number)[], profile: ReferenceProfile): string[] {
  const problems: string[] = [];
  const place = (key: string): string => formatPath([...at, key]);
  const unsorted = firstDescent(feature.edges);
  if (unsorted !== undefined) problems.push(`${place('edges')}: not ascending at index ${unsorted}`);
  if (feature.proportions.length !== feature.edges.length + 1) {
    problems.push(
      `${place('proportions')}: expected ${feature.edges.length + 1} shares (one more than the edges), got ${feature.proportions.length}`,
    );
  } else {
    const sum = feature.proportions.reduce((total, p) => total + p, 0);
    if (feature.proportions.some((p) => p < 0) || Math.abs(sum - 1) > PROPORTION_SUM_TOLERANCE)
      problems.push(`${place('proportions')}: expected shares >= 0 that sum to 1, got a sum of ${sum}`);
  }
  const unsortedSample = firstDescent(feature.sample);
  if (unsortedSample !== undefined) problems.push(`${place('sample')}: not ascending at index ${unsortedSample}`);
  const sampleLimit = Math.min(feature.count, profile.sample_limit);
  if (feature.sample.length > sampleLimit)
    problems.push(
      `${place('sample')}: holds ${feature.sample.length} values, more than min(count, sample_limit) = ${sampleLimit}`,
    );
  if (feature.unique > profile.unique_limit)
    problems.push(`${place('unique')}: ${feature.unique} is above unique_limit ${profile.unique_limit}`);
  if (feature.std < 0) problems.push(`${place('std')}: expected a number >= 0, got ${feature.std}`);
  return problems;
}

function firstDescent(values: readonly number[]): number | undefined {
  for (let i = 1; i < values.length; i++) if ((values[i] as number) < (values[i - 1] as number)) return i;
  return undefined;
}

/**
 * Throws ProfileMismatchError listing every way `profile` differs from `model`: the model name,
 * a feature missing or extra, a type, a set of categories, or (for outputs) the classes.
 */
export function checkProfileMatchesModel(profile: ReferenceProfile, model: ModelSpec, place: ProfilePlace): void {
  const mismatches: string[] = [];
  if (profile.model !== model.name) mismatches.push(`the profile is for model "${profile.model}", not "${model.name}"`);
  const byName = new Map(profile.features.map((feature) => [feature.name, feature]));
  for (const feature of model.features) {
    const found = byName.get(feature.name);
    if (found === undefined) mismatches.push(`feature "${feature.name}" is in the spec but not in the profile`);
    else if (found.type !== feature.type)
      mismatches.push(`feature "${feature.name}" is ${found.type} in the profile but ${feature.type} in the spec`);
    else if (found.type === 'categorical')
      mismatches.push(
        ...categoryMismatches(`feature "${feature.name}"`, Object.keys(found.categories), feature.categories ?? []),
      );
  }
  const specNames = new Set(model.features.map((feature) => feature.name));
  for (const feature of profile.features)
    if (!specNames.has(feature.name))
      mismatches.push(`feature "${feature.name}" is in the profile but not in the spec`);
  mismatches.push(...outputMismatches(profile, model), ...calibrationMismatches(profile, model));
  if (mismatches.length > 0) {
    throw new ProfileMismatchError(
      mismatches,
      `profile ${place.profileFile} does not match models[${place.modelIndex}] (${model.name}) of ${place.specFile}`,
    );
  }
}

function outputMismatches(profile: ReferenceProfile, model: ModelSpec): string[] {
  const prediction = profile.outputs?.prediction;
  if (prediction === undefined) return [];
  const expected = model.task === 'regression' ? 'numeric' : 'categorical';
  if (prediction.type !== expected)
    return [`the prediction profile is ${prediction.type}, but a ${model.task} model's predictions are ${expected}`];
  if (prediction.type !== 'categorical') return [];
  return categoryMismatches(
    'the prediction profile',
    Object.keys(prediction.categories),
    model.classes ?? [],
    'classes',
  );
}

/** Calibration maps of versions or classes the spec does not have would never be applied, or be applied wrongly. */
function calibrationMismatches(profile: ReferenceProfile, model: ModelSpec): string[] {
  const maps = profile.calibration?.maps;
  if (maps === undefined) return [];
  const versions = new Set(model.versions.map((version) => version.name));
  const classes = new Set(model.classes ?? []);
  const mismatches: string[] = [];
  for (const [key, perClass] of Object.entries(maps)) {
    if (key !== '*' && !versions.has(key))
      mismatches.push(`the calibration has a map for version "${key}", which the spec does not list`);
    const unknown = Object.keys(perClass).filter((name) => !classes.has(name));
    if (unknown.length > 0)
      mismatches.push(`the calibration of "${key}" has maps for ${list(unknown)}, not classes in the spec`);
  }
  return mismatches;
}

/** Categories in one set but not the other; `__other__` is the profile's bucket for the rest, not a spec category. */
function categoryMismatches(
  what: string,
  profileKeys: readonly string[],
  specCategories: readonly string[],
  noun = 'categories',
): string[] {
  const inProfile = new Set(profileKeys.filter((key) => key !== OTHER_CATEGORY));
  const inSpec = new Set(specCategories);
  const onlySpec = specCategories.filter((category) => !inProfile.has(category));
  const onlyProfile = [...inProfile].filter((category) => !inSpec.has(category));
  if (onlySpec.length === 0 && onlyProfile.length === 0) return [];
  const parts = [
    ...(onlySpec.length > 0 ? [`${list(onlySpec)} only in the spec`] : []),
    ...(onlyProfile.length > 0 ? [`${list(onlyProfile)} only in the profile`] : []),
  ];
  return [`${what} has different ${noun}: ${parts.join('; ')}`];
}

function list(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(', ');
}
