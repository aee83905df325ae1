/**
 * The reference profile of every model that names one in the spec, loaded when the
 * exporter starts: a `.json` reference is a profile file and must match the spec; a CSV or
 * JSONL reference is a sample, profiled on the spot.
 */
import path from 'node:path';
import type { LoadedSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import type { Predictor } from '../../../spec/src/model-types';
import { loadPredictors } from './load-predictors';
import { buildProfile, pickReferencePredictor } from '../../../drift/src/profile/build-profile';
import { checkProfileMatchesModel, loadProfile } from '../../../drift/src/profile/profile-file';
import type { ReferenceProfile } from '../../../drift/src/profile/reference-profile';
import { isRowFile } from '../../../drift/src/profile/row-reader';

/**
 * Loads or builds the profile of each model with a `reference`, keyed by model name; a model
 * without one gets none. `predictors` (keyed `model/version`) score samples that carry no
 * `prediction` column; when omitted they are loaded from the spec if a sample needs them.
 * Errors name `models[i].reference`; the first stops the start.
 */
export async function loadModelProfiles(
  loaded: LoadedSpec,
  predictors?: ReadonlyMap<string, Predictor>,
): Promise<Map<string, ReferenceProfile>> {
  const { profiles, problems } = await readModelProfiles(loaded, predictors);
  const [first] = problems;
  if (first !== undefined) throw first;
  return profiles;
}

/**
 * Like loadModelProfiles, but carries on past a bad reference: the profiles that loaded, and one
 * error per model whose reference did not, its message starting with `models[i].reference`.
 */
export async function readModelProfiles(
  loaded: LoadedSpec,
  predictors?: ReadonlyMap<string, Predictor>,
): Promise<{ profiles: Map<string, ReferenceProfile>; problems: Error[] }> {
  const profiles = new Map<string, ReferenceProfile>();
  const problems: Error[] = [];
  let scorers = predictors;
  for (const [i, model] of loaded.spec.models.entries()) {
    if (model.reference === undefined) continue;
    const where = `models[${i}].reference`;
    const file = loaded.resolve(model.reference);
    try {
      if (isProfileFile(file)) {
        profiles.set(model.name, loadMatchingProfile(loaded, model, i, file));
      } else if (isRowFile(file)) {
        // Artifacts are only read when a sample has to be scored, and then once for all models.
        scorers ??= loadPredictors(loaded);
        const built = await buildProfile(file, model, { predictor: pickReferencePredictor(model, scorers) });
        profiles.set(model.name, built.profile);
      } else {
        throw new Error(
          `expected a .json profile or a .csv, .jsonl or .ndjson sample, got ${JSON.stringify(model.reference)}`,
        );
      }
    } catch (error) {
      problems.push(new Error(`${where}: ${(error as Error).message}`, { cause: error }));
    }
  }
  return { profiles, problems };
}

/** Whether a reference path names a profile file rather than a sample. */
export function isProfileFile(file: string): boolean {
  return path.extname(file).toLowerCase() === '.json';
}

function loadMatchingProfile(loaded: LoadedSpec, model: ModelSpec, index: number, file: string): ReferenceProfile {
  const profile = loadProfile(file);
  checkProfileMatchesModel(profile, model, {
    profileFile: model.reference ?? file,
    specFile: loaded.file,
    modelIndex: index,
  });
  return profile;
}
