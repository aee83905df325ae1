import type { LoadedSpec } from '../../../spec/src/load-spec';
import { ModelArtifactError, loadLogisticModel } from '../model/logistic-model';
import { predictorKey, type Predictor } from '../../../spec/src/model-types';

/** Loads the artifact of every version that has one; a bad artifact stops start-up with its path in the message. */
export function loadPredictors(loaded: LoadedSpec): Map<string, Predictor> {
  const { predictors, problems } = readPredictors(loaded);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return predictors;
}

/**
 * Like loadPredictors, but carries on past a bad artifact: the predictors that loaded, and one
 * problem per artifact that did not, naming `models[i].versions[j].artifact`.
 */
export function readPredictors(loaded: LoadedSpec): { predictors: Map<string, Predictor>; problems: string[] } {
  const predictors = new Map<string, Predictor>();
  const problems: string[] = [];
  loaded.spec.models.forEach((model, i) => {
    model.versions.forEach((version, j) => {
      if (version.artifact === undefined) return;
      try {
        predictors.set(predictorKey(model.name, version.name), loadLogisticModel(loaded.resolve(version.artifact)));
      } catch (error) {
        const where = `models[${i}].versions[${j}].artifact`;
        // One line per problem of the artifact, so each names the spec path and the file.
        if (error instanceof ModelArtifactError)
          problems.push(...error.problems.map((p) => `${where}: ${error.file}: ${p}`));
        else problems.push(`${where}: ${(error as Error).message}`);
      }
    });
  });
  return { predictors, problems };
}
