import type { LoadedSpec } from '../../../spec/src/load-spec';
import { loadLogisticModel } from '../model/logistic-model';
import { predictorKey, type Predictor } from '../../../spec/src/model-types';

/** Loads the artifact of every version that has one; a bad artifact stops start-up with its path in the message. */
export function loadPredictors(loaded: LoadedSpec): Map<string, Predictor> {
  const predictors = new Map<string, Predictor>();
  loaded.spec.models.forEach((model, i) => {
    model.versions.forEach((version, j) => {
      if (version.artifact === undefined) return;
      try {
        predictors.set(predictorKey(model.name, version.name), loadLogisticModel(loaded.resolve(version.artifact)));
      } catch (error) {
        throw new Error(`models[${i}].versions[${j}].artifact: ${(error as Error).message}`, { cause: error });
      }
    });
  });
  return predictors;
}
