import type { LoadedSpec } from '../../../spec/src/load-spec';
import type { ModelSpec } from '../../../spec/src/schema';
import { isRegressionPredictor, predictorKey, type Predictor } from '../../../spec/src/model-types';
import { LINEAR_FORMAT, LinearModel, parseLinearArtifact } from '../model/linear-model';
import { LOGISTIC_FORMAT, LogisticModel, parseLogisticArtifact } from '../model/logistic-model';
import { ModelArtifactError, readArtifactJson } from '../model/model-artifact';

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
        predictors.set(predictorKey(model.name, version.name), loadPredictor(loaded.resolve(version.artifact), model));
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

/** Loads one artifact by its `format`, and checks that it predicts what the model's task says. */
export function loadPredictor(file: string, model: ModelSpec): Predictor {
  const data = readArtifactJson(file);
  const format = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)['format'] : undefined;
  let predictor: Predictor;
  if (format === LINEAR_FORMAT) predictor = new LinearModel(parseLinearArtifact(data, file));
  else if (format === LOGISTIC_FORMAT) predictor = new LogisticModel(parseLogisticArtifact(data, file));
  else
    throw new ModelArtifactError(file, [
      `format: expected "${LOGISTIC_FORMAT}" or "${LINEAR_FORMAT}", got ${format === undefined ? 'nothing' : JSON.stringify(format)}`,
    ]);
  const regression = model.task === 'regression';
  if (regression !== isRegressionPredictor(predictor))
    throw new ModelArtifactError(file, [
      `format: a ${format} artifact ${regression ? 'predicts classes' : 'predicts a number'}, but model ${model.name} has task "${model.task}"`,
    ]);
  return predictor;
}
