import { MAX_LATENCY_MS, MAX_PREDICTION_MAGNITUDE, type PredictionStatus } from '../../../spec/src/conventions';
import type { ModelSlot, VersionSlot } from '../metrics/series-layout';
import type { ModelSpec } from '../../../spec/src/schema';
import { describeValue } from './describe-value';
import type { FeatureValidator } from './feature-validator';
import { nonFiniteLiteral } from './lenient-json';
import { parseTimestampMs } from './parse-timestamp';
import { problem, type ValidationProblem } from './validation-problem';

/** What validating an event needs to know of a model (serving's catalog entries are these). */
export interface ValidationModel {
  readonly spec: ModelSpec;
  readonly slot: ModelSlot;
  readonly validator: FeatureValidator;
}

/** The models events may name. */
export interface ValidationModels {
  readonly models: ReadonlyMap<string, ValidationModel>;
}

/** A prediction event that passed validation, resolved to its model and metric series. */
export interface ValidEvent {
  readonly model: ValidationModel;
  readonly slot: VersionSlot;
  readonly status: PredictionStatus;
  readonly features: Readonly<Record<string, unknown>>;
  /** The predicted class name, or the regression output. */
  readonly prediction: string | number | undefined;
  readonly classIndex: number;
  readonly confidence: number | undefined;
  /** The class probabilities, when the event sent them (checked: known classes, each in [0, 1]). */
  readonly probabilities: Readonly<Record<string, number>> | undefined;
  readonly latencySeconds: number | undefined;
  /** Event time in Unix milliseconds, kept for the log and label delay; counters are not backdated. */
  readonly eventTimeMs: number | undefined;
  readonly predictionId: string | undefined;
}

const EVENT_FIELDS = [
  'prediction_id',
  'model',
  'version',
  'features',
  'prediction',
  'confidence',
  'probabilities',
  'latency_ms',
  'status',
  'timestamp',
];
const KNOWN_FIELDS = new Set(EVENT_FIELDS);
const MAX_ID_LENGTH = 200;

/** Validates one ingested prediction event on its own; returns the problem or the resolved event. */
export function validateEvent(event: unknown, catalog: ValidationModels): ValidationProblem | ValidEvent {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    return problem('invalid_field', '(event)', `expected an object, got ${describeValue(event)}`);
  }
  const e = event as Record<string, unknown>;
  const model = typeof e['model'] === 'string' ? catalog.models.get(e['model']) : undefined;
  if (model === undefined)
    return problem('unknown_model', 'model', `${describeValue(e['model'])} is not a model in the spec`);
  const slot = typeof e['version'] === 'string' ? model.slot.versions.get(e['version']) : undefined;
  if (slot === undefined)
    return problem(
      'unknown_version',
      'version',
      `${describeValue(e['version'])} is not a version of model ${model.spec.name}`,
    );

  const status = e['status'] ?? 'success';
  if (status !== 'success' && status !== 'error')
    return problem('invalid_field', 'status', `expected "success" or "error", got ${describeValue(status)}`);
  const featureProblem = model.validator.check(e['features']);
  if (featureProblem !== null) return featureProblem;

  const output = readPrediction(e['prediction'], model, status);
  if ('reason' in output) return output;
  const confidence = readConfidence(e, model, output.label);
  if (typeof confidence === 'object') return confidence;
  const latency = readOptionalNumber(e['latency_ms'], 'latency_ms', 0, Infinity);
  if (typeof latency === 'object') return latency;
  if (latency !== undefined && latency > MAX_LATENCY_MS) return outOfRange('latency_ms', latency, MAX_LATENCY_MS);
  const eventTimeMs = readTimestamp(e['timestamp']);
  if (typeof eventTimeMs === 'object') return eventTimeMs;
  const id = e['prediction_id'];
  if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH)) {
    return problem(
      'invalid_field',
      'prediction_id',
      `expected a string of 1-${MAX_ID_LENGTH} characters, got ${describeValue(id)}`,
    );
  }
  const unknownField = findUnknownField(e);
  if (unknownField !== undefined)
    return problem('invalid_field', unknownField, `unknown field (expected ${EVENT_FIELDS.join(', ')})`);

  return {
    model,
    slot,
    status,
    features: e['features'] as Record<string, unknown>,
    prediction: output.value,
    classIndex: output.classIndex,
    confidence,
    probabilities: e['probabilities'] as Record<string, number> | undefined,
    latencySeconds: latency === undefined ? undefined : latency / 1000,
    eventTimeMs,
    predictionId: id,
  };
}

type Output = { value: string | number | undefined; label: string | undefined; classIndex: number };

function readPrediction(value: unknown, model: ValidationModel, status: PredictionStatus): Output | ValidationProblem {
  if (value === undefined) {
    // A failed prediction has no output; a successful one must say what it predicted.
    return status === 'error'
      ? { value: undefined, label: undefined, classIndex: -1 }
      : problem('invalid_field', 'prediction', 'required when status is "success"');
  }
  if (model.spec.task === 'regression') {
    const number = readOptionalNumber(value, 'prediction', -Infinity, Infinity);
    if (typeof number === 'object') return number;
    if (number !== undefined && Math.abs(number) > MAX_PREDICTION_MAGNITUDE)
      return outOfRange('prediction', number, MAX_PREDICTION_MAGNITUDE);
    return { value: number, label: undefined, classIndex: -1 };
  }
  const classIndex = readPredictedClass(value, model);
  if (typeof classIndex === 'object') return classIndex;
  return { value: value as string, label: value as string, classIndex };
}

/** The index of a classifier's `prediction` among its classes, or the problem naming the field; shared with the labels that carry their prediction. */
export function readPredictedClass(value: unknown, model: ValidationModel): number | ValidationProblem {
  if (typeof value !== 'string' || nonFiniteLiteral(value) !== undefined)
    return problem('invalid_field', 'prediction', `expected a class name, got ${describeValue(value)}`);
  const classIndex = model.slot.classIndex.get(value);
  if (classIndex === undefined)
    return problem(
      'unknown_class',
      'prediction',
      `${describeValue(value)} is not a class of model ${model.spec.name} (known: ${(model.spec.classes ?? []).join(', ')})`,
    );
  return classIndex;
}

function readConfidence(
  e: Record<string, unknown>,
  model: ValidationModel,
  label: string | undefined,
): number | undefined | ValidationProblem {
  const confidence = readOptionalNumber(e['confidence'], 'confidence', 0, 1);
  const probabilities = e['probabilities'];
  if (probabilities === undefined || typeof confidence === 'object') return confidence;
  if (probabilities === null || typeof probabilities !== 'object' || Array.isArray(probabilities)) {
    return problem(
      'invalid_field',
      'probabilities',
      `expected an object of class probabilities, got ${describeValue(probabilities)}`,
    );
  }
  for (const [cls, p] of Object.entries(probabilities)) {
    if (!model.slot.classIndex.has(cls))
      return problem('unknown_class', `probabilities.${cls}`, `not a class of model ${model.spec.name}`);
    const checked = readOptionalNumber(p, `probabilities.${cls}`, 0, 1);
    if (typeof checked === 'object') return checked;
  }
  // Without an explicit confidence, the predicted class's probability is the confidence.
  return (
    confidence ?? (label === undefined ? undefined : ((probabilities as Record<string, number>)[label] ?? undefined))
  );
}

export function readOptionalNumber(
  value: unknown,
  field: string,
  min: number,
  max: number,
): number | undefined | ValidationProblem {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') {
    return nonFiniteLiteral(value) !== undefined
      ? problem('non_finite_value', field, `expected a finite number, got ${describeValue(value)}`)
      : problem('invalid_field', field, `expected a number, got ${describeValue(value)}`);
  }
  if (value < min || value > max)
    return problem('invalid_field', field, `expected a number in [${min}, ${max}], got ${value}`);
  return value;
}

/** A number past the bound that keeps the sums it feeds finite. */
function outOfRange(field: string, value: number, bound: number): ValidationProblem {
  return problem(
    'value_out_of_range',
    field,
    `${value} is beyond the bound of ${bound} (it feeds a sum; see README "Bad input")`,
  );
}

/** Accepts RFC 3339 text or Unix time in seconds (as Prometheus writes it). */
export function readTimestamp(value: unknown): number | undefined | ValidationProblem {
  if (value === undefined) return undefined;
  const millis =
    typeof value === 'number' ? value * 1000 : typeof value === 'string' ? parseTimestampMs(value) : Number.NaN;
  if (!Number.isFinite(millis) || Math.abs(millis) > 8.64e15) {
    return problem('invalid_field', 'timestamp', `expected RFC 3339 text or Unix seconds, got ${describeValue(value)}`);
  }
  return millis;
}

function findUnknownField(e: Record<string, unknown>): string | undefined {
  for (const key in e) if (!KNOWN_FIELDS.has(key)) return key;
  return undefined;
}
