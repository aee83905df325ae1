/**
 * The fields that labels and outcomes share: events that arrive after their prediction and join it
 * by id, naming their model and version themselves or leaving them to the join.
 */
import { MAX_PREDICTION_MAGNITUDE } from '../../../spec/src/conventions';
import type { ModelSpec } from '../../../spec/src/schema';
import type { VersionSlot } from '../metrics/series-layout';
import { describeValue } from './describe-value';
import type { ValidationModel, ValidationModels } from './event-validator';
import { nonFiniteLiteral } from './lenient-json';
import { problem, type ValidationProblem } from './validation-problem';

/** Longest prediction id a label or outcome may name (the join stores' sections read back no longer). */
export const MAX_ID_LENGTH = 200;

/** Which events a model takes: labels (a `quality` section) or outcomes (an `outcomes` section). */
export interface JoinedKind {
  /** The plural noun in messages, e.g. `labels`. */
  readonly noun: string;
  /** The spec section a model needs to take them. */
  readonly section: 'quality' | 'outcomes';
}

/** What every joined event names of its prediction: its id, and its model and version when it gives them. */
export interface JoinedHead {
  /** The event as a record, for the fields of its kind. */
  readonly fields: Record<string, unknown>;
  readonly predictionId: string;
  /** The model the event names (one that takes events of its kind); undefined when it names none (the join tells). */
  readonly model: ValidationModel | undefined;
  /** The version the event names, if any. */
  readonly slot: VersionSlot | undefined;
}

/** Reads an event's object, `prediction_id`, `model` and `version` (see {@link readJoinedModel}); the first problem otherwise. */
export function readJoinedHead(
  event: unknown,
  catalog: ValidationModels,
  kind: JoinedKind,
): JoinedHead | ValidationProblem {
  const notObject = notAnObject(event);
  if (notObject !== undefined) return notObject;
  const fields = event as Record<string, unknown>;
  const predictionId = readPredictionId(fields);
  if (typeof predictionId === 'object') return predictionId;
  const model = readJoinedModel(fields, catalog, kind);
  if (model !== undefined && 'reason' in model) return model;
  const slot = readJoinedVersion(fields['version'], model);
  if (slot !== undefined && 'reason' in slot) return slot;
  return { fields, predictionId, model, slot };
}

/** The problem of an event that is not a JSON object; undefined when it is one. */
export function notAnObject(event: unknown): ValidationProblem | undefined {
  if (event === null || typeof event !== 'object' || Array.isArray(event))
    return problem('invalid_field', '(event)', `expected an object, got ${describeValue(event)}`);
  return undefined;
}

/** `prediction_id`: a string of 1-MAX_ID_LENGTH characters. */
export function readPredictionId(e: Record<string, unknown>): string | ValidationProblem {
  const id = e['prediction_id'];
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH)
    return problem(
      'invalid_field',
      'prediction_id',
      `expected a string of 1-${MAX_ID_LENGTH} characters, got ${describeValue(id)}`,
    );
  return id;
}

/** Whether a model takes events of `kind`. */
export function takes(model: ModelSpec, kind: JoinedKind): boolean {
  return model[kind.section] !== undefined;
}

/**
 * The model an event names, when it names one: a model of the spec that takes events of `kind`.
 * Without a model, a version is refused, and so is every event when no model takes them at all.
 */
export function readJoinedModel(
  e: Record<string, unknown>,
  catalog: ValidationModels,
  kind: JoinedKind,
): ValidationModel | ValidationProblem | undefined {
  const value = e['model'];
  if (value === undefined) {
    if (e['version'] !== undefined) return problem('invalid_field', 'model', 'required when version is given');
    return modelsTaking(catalog, kind).length > 0
      ? undefined
      : problem(
          'invalid_field',
          'model',
          `no model in the spec takes ${kind.noun} (none has a ${kind.section} section)`,
        );
  }
  const model = typeof value === 'string' ? catalog.models.get(value) : undefined;
  if (model === undefined)
    return problem('unknown_model', 'model', `${describeValue(value)} is not a model in the spec`);
  if (!takes(model.spec, kind))
    return problem(
      'invalid_field',
      'model',
      `model ${model.spec.name} takes no ${kind.noun}: it has no ${kind.section} section in the spec`,
    );
  return model;
}

const taking = new WeakMap<ValidationModels, Map<JoinedKind['section'], ValidationModel[]>>();

/** The models that take events of `kind`, worked out once per catalog. */
export function modelsTaking(catalog: ValidationModels, kind: JoinedKind): ValidationModel[] {
  let byKind = taking.get(catalog);
  if (byKind === undefined) {
    byKind = new Map();
    taking.set(catalog, byKind);
  }
  let models = byKind.get(kind.section);
  if (models === undefined) {
    models = [...catalog.models.values()].filter((m) => takes(m.spec, kind));
    byKind.set(kind.section, models);
  }
  return models;
}

/** The version an event names, when it names one with its model. */
export function readJoinedVersion(
  value: unknown,
  model: ValidationModel | undefined,
): VersionSlot | ValidationProblem | undefined {
  if (value === undefined || model === undefined) return undefined;
  const slot = typeof value === 'string' ? model.slot.versions.get(value) : undefined;
  if (slot === undefined)
    return problem(
      'unknown_version',
      'version',
      `${describeValue(value)} is not a version of model ${model.spec.name} (known: ${[...model.slot.versions.keys()].join(', ')})`,
    );
  return slot;
}

/** The first field of `e` not in `fields`, as a problem; undefined when there is none. */
export function unknownField(e: Record<string, unknown>, fields: readonly string[]): ValidationProblem | undefined {
  for (const key in e)
    if (!fields.includes(key)) return problem('invalid_field', key, `unknown field (expected ${fields.join(', ')})`);
  return undefined;
}

/**
 * A finite number within MAX_PREDICTION_MAGNITUDE, since it feeds a sum; `why` ends the expectation
 * in messages, e.g. ` (model price is a regression)`.
 */
export function readSummedNumber(value: unknown, field: string, why = ''): number | ValidationProblem {
  if (typeof value !== 'number')
    return nonFiniteLiteral(value) !== undefined
      ? problem('non_finite_value', field, `expected a finite number${why}, got ${describeValue(value)}`)
      : problem('invalid_field', field, `expected a number${why}, got ${describeValue(value)}`);
  if (Math.abs(value) > MAX_PREDICTION_MAGNITUDE) return beyondBound(field, value);
  return value;
}

/** A number past the bound that keeps the sums it feeds finite. */
export function beyondBound(field: string, value: number): ValidationProblem {
  return problem(
    'value_out_of_range',
    field,
    `${value} is beyond the bound of ${MAX_PREDICTION_MAGNITUDE} (it feeds a sum; see README "Bad input")`,
  );
}
