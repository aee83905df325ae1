import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, Response } from 'express';
import { describeValue } from '../ingest/describe-value';
import { isRegressionPrediction, type ClassPrediction, type Prediction } from '../../../spec/src/model-types';
import { pickVersion, type CatalogModel, type ServableVersion } from '../serving/model-catalog';
import type { PredictionLogEntry } from '../logging/prediction-log';
import type { AcceptedPrediction, AcceptedPredictionRecorder } from '../serving/accepted-prediction';
import type { AppDeps } from './app-deps';
import { FAULT_HEADER, readFault, type Fault } from './fault-injection';
import { HttpError } from './http-error';
import { routeModel } from './route-model';

const REQUEST_FIELDS = new Set(['features', 'version']);

/** A validated predict request, ready to be scored. */
interface PredictRequest {
  started: bigint;
  model: CatalogModel;
  version: ServableVersion;
  features: Record<string, never>;
}

/** A scored (or failed) request as the recorder and the log see it. */
interface ServedPrediction extends AcceptedPrediction {
  readonly predictionId: string;
  /** What the model returned: classes and probabilities, or a regression value. */
  readonly served: Prediction | undefined;
  readonly failure: Error | undefined;
}

/** Handles `POST /v1/models/:model/predict` (and `/predict` for the default model). */
export function predictHandler(
  deps: AppDeps,
  recorder: AcceptedPredictionRecorder,
  fixedModel?: string,
): (req: Request, res: Response) => void | Promise<void> {
  const modelIndex = new Map(deps.spec.models.map((m, i) => [m.name, i]));
  const random = deps.random ?? Math.random;
  return (req, res) => {
    const started = process.hrtime.bigint();
    const name = fixedModel ?? String(req.params['model']);
    const model = routeModel(deps, name);
    const body = readRequestBody(req.body);
    const version = chooseVersion(model, body['version'], random);
    const problem = model.validator.check(body['features']);
    if (problem !== null) throw HttpError.fromProblem(400, problem);
    const fault = readFault(req.headers[FAULT_HEADER], model, modelIndex.get(name) as number);
    const request: PredictRequest = { started, model, version, features: body['features'] as Record<string, never> };
    // Only an injected delay makes the request asynchronous; the common path stays synchronous.
    if (fault !== undefined && fault.delayMs > 0)
      return sleep(fault.delayMs).then(() => respond(recorder, request, res, fault, true));
    respond(recorder, request, res, fault, false);
  };
}

/** Scores the request, records it in the metrics and the log, and answers. */
function respond(
  recorder: AcceptedPredictionRecorder,
  request: PredictRequest,
  res: Response,
  fault: Fault | undefined,
  delayed: boolean,
): void {
  const { model, version, features } = request;
  let prediction: Prediction | undefined;
  let failure: Error | undefined;
  try {
    if (fault?.fail === true) throw new Error('injected failure (x-mlwatch-fault: error)');
    prediction = version.predictor.predict(features);
  } catch (error) {
    failure = error as Error;
  }
  const latencySeconds = Number(process.hrtime.bigint() - request.started) / 1e9;
  const predictionId = randomUUID();
  const name = model.spec.name;
  // A regression output is the number itself: no class, no confidence.
  const regression = prediction !== undefined && isRegressionPrediction(prediction) ? prediction : undefined;
  const predicted = prediction === undefined || regression !== undefined ? undefined : (prediction as ClassPrediction);
  const value = regression?.value;
  const served: ServedPrediction = {
    model,
    slot: version.slot,
    status: failure === undefined ? 'success' : 'error',
    features,
    prediction: value ?? predicted?.label,
    classIndex: predicted === undefined ? -1 : (model.slot.classIndex.get(predicted.label) ?? -1),
    confidence: predicted?.confidence,
    probabilities: predicted?.probabilities,
    latencySeconds,
    predictionId,
    served: prediction,
    failure,
  };
  // After a delay the features are read again: other requests may have been validated meanwhile.
  if (delayed) recorder.record(served, 'predict', logEntry, Date.now());
  else recorder.recordChecked(served, 'predict', logEntry, Date.now());
  if (prediction === undefined) {
    throw new HttpError(
      500,
      'model_error',
      `model ${name} version ${version.slot.version} failed: ${failure?.message ?? 'unknown error'}`,
      undefined,
      { cause: failure },
    );
  }
  if (predicted === undefined) {
    res.json({
      prediction_id: predictionId,
      model: name,
      version: version.slot.version,
      prediction: value,
      latency_ms: latencySeconds * 1000,
    });
    return;
  }
  res.json({
    prediction_id: predictionId,
    model: name,
    version: version.slot.version,
    class: predicted.label,
    confidence: predicted.confidence,
    probabilities: predicted.probabilities,
    latency_ms: latencySeconds * 1000,
  });
}

/** The prediction log line of a served prediction. */
function logEntry(served: ServedPrediction): PredictionLogEntry {
  const prediction = served.served;
  return {
    prediction_id: served.predictionId,
    model: served.model.spec.name,
    version: served.slot.version,
    source: 'predict',
    status: served.status,
    input: served.features,
    ...(prediction === undefined ? { error: served.failure?.message } : { output: logOutput(prediction) }),
    latency_ms: (served.latencySeconds ?? 0) * 1000,
  };
}

/** The `output` of a log line: the class with its probabilities, or the regression value. */
function logOutput(prediction: Prediction): Record<string, unknown> {
  if (isRegressionPrediction(prediction)) return { value: prediction.value };
  return { class: prediction.label, confidence: prediction.confidence, probabilities: prediction.probabilities };
}

function readRequestBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(
      400,
      'invalid_request',
      `body: expected an object like {"features": {...}}, got ${describeValue(body)}`,
      'body',
    );
  }
  const record = body as Record<string, unknown>;
  for (const key in record) {
    if (!REQUEST_FIELDS.has(key))
      throw new HttpError(
        400,
        'invalid_field',
        `${key}: unknown field (expected "features" and optionally "version")`,
        key,
      );
  }
  return record;
}

function chooseVersion(model: CatalogModel, requested: unknown, random: () => number): ServableVersion {
  if (requested === undefined) {
    const picked = pickVersion(model, random());
    if (picked === undefined)
      throw new HttpError(
        404,
        'not_servable',
        `model ${model.spec.name} has no version with an artifact; it only accepts ingested events`,
        'model',
      );
    return picked;
  }
  if (typeof requested !== 'string' || !model.slot.versions.has(requested)) {
    throw new HttpError(
      400,
      'unknown_version',
      `version: ${describeValue(requested)} is not a version of model ${model.spec.name} (known: ${[...model.slot.versions.keys()].join(', ')})`,
      'version',
    );
  }
  const servable = model.servable.find((v) => v.slot.version === requested);
  if (servable === undefined) {
    throw new HttpError(
      404,
      'not_servable',
      `version: ${model.spec.name} ${requested} has no artifact in the spec; it only accepts ingested events`,
      'version',
    );
  }
  return servable;
}
