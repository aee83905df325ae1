import type { VersionSlot } from '../metrics/series-layout';
import { describeValue } from './describe-value';
import {
  readOptionalNumber,
  readPredictedClass,
  readTimestamp,
  type ValidationModel,
  type ValidationModels,
} from './event-validator';
import { modelsTaking, readJoinedHead, readSummedNumber, unknownField, type JoinedKind } from './joined-event-fields';
import { nonFiniteLiteral } from './lenient-json';
import { problem, type ValidationProblem } from './validation-problem';

/** What a label carries of its own prediction (a stateless label: no join needed). */
export interface LabelledPrediction {
  /** Index of the predicted class, or -1 (regression). */
  readonly classIndex: number;
  /** The regression output, or NaN. */
  readonly output: number;
  /** Raw probability of the predicted class, or NaN when not sent. */
  readonly confidence: number;
}

/** A label event that passed validation; what the join still has to check is said per field. */
export interface ValidLabel {
  readonly predictionId: string;
  /** The model the label names; undefined when it names none (the join tells). */
  readonly model: ValidationModel | undefined;
  /** The version the label names, if any. */
  readonly slot: VersionSlot | undefined;
  /** The true class name (classification) or value (regression); checked against `model` when it is named. */
  readonly label: string | number;
  /** Label time in Unix milliseconds, when sent. */
  readonly timeMs: number | undefined;
  /** The label's own prediction when it carries `model`, `version` and `prediction`. */
  readonly stateless: LabelledPrediction | undefined;
}

const LABEL_FIELDS = ['prediction_id', 'label', 'timestamp', 'model', 'version', 'prediction', 'confidence'];
/** Labels are taken by models with a quality section. */
const LABELS: JoinedKind = { noun: 'labels', section: 'quality' };

/**
 * Validates one label event on its own: the id, the label (a class of the named model, or a
 * finite number for a regression model), the optional model, version, prediction, confidence and
 * timestamp. Only models with a `quality` section take labels. A label that names no model is
 * checked against the labelled models here and against its prediction's model after the join.
 */
export function validateLabel(event: unknown, catalog: ValidationModels): ValidationProblem | ValidLabel {
  const head = readJoinedHead(event, catalog, LABELS);
  if ('reason' in head) return head;
  const { fields: e, predictionId, model, slot } = head;

  const label = model === undefined ? checkUnnamedLabel(e['label'], catalog) : checkLabel(e['label'], model);
  if (typeof label === 'object') return label;

  const stateless = readOwnPrediction(e, model, slot);
  if (stateless !== undefined && 'reason' in stateless) return stateless;
  const timeMs = readTimestamp(e['timestamp']);
  if (typeof timeMs === 'object') return timeMs;
  const unknown = unknownField(e, LABEL_FIELDS);
  if (unknown !== undefined) return unknown;
  return { predictionId, model, slot, label, timeMs, stateless };
}

/** Checks a label against the model of its prediction (a class of it, or a finite number for regression). */
export function checkLabel(value: unknown, model: ValidationModel): string | number | ValidationProblem {
  const name = model.spec.name;
  if (model.spec.task === 'regression') return readSummedNumber(value, 'label', ` (model ${name} is a regression)`);
  if (typeof value !== 'string' || nonFiniteLiteral(value) !== undefined)
    return problem('invalid_field', 'label', `expected a class name of model ${name}, got ${describeValue(value)}`);
  if (!model.slot.classIndex.has(value))
    return problem(
      'unknown_class',
      'label',
      `${describeValue(value)} is not a class of model ${name} (known: ${(model.spec.classes ?? []).join(', ')})`,
    );
  return value;
}

/** A label without a model: a class of some labelled classifier, or a number when a labelled regression model exists. */
function checkUnnamedLabel(value: unknown, catalog: ValidationModels): string | number | ValidationProblem {
  const models = modelsTaking(catalog, LABELS);
  if (typeof value === 'string' && nonFiniteLiteral(value) === undefined) {
    if (models.some((m) => m.slot.classIndex.has(value))) return value;
    const known = [...new Set(models.flatMap((m) => m.spec.classes ?? []))];
    return problem(
      'unknown_class',
      'label',
      `${describeValue(value)} is not a class of any model that takes labels (known: ${known.join(', ') || 'none'})`,
    );
  }
  const regression = models.find((m) => m.spec.task === 'regression');
  if (typeof value === 'number' && regression !== undefined) return checkLabel(value, regression);
  if (nonFiniteLiteral(value) !== undefined)
    return problem(
      'non_finite_value',
      'label',
      `expected a class name or a finite number, got ${describeValue(value)}`,
    );
  return problem(
    'invalid_field',
    'label',
    `expected ${regression === undefined ? 'a class name' : 'a class name or a number'}, got ${describeValue(value)}`,
  );
}

/** The label's own prediction, when it has one: then it needs its model and version too. */
function readOwnPrediction(
  e: Record<string, unknown>,
  model: ValidationModel | undefined,
  slot: VersionSlot | undefined,
): LabelledPrediction | ValidationProblem | undefined {
  const value = e['prediction'];
  const confidence = e['confidence'];
  if (value === undefined) {
    return confidence === undefined
      ? undefined
      : problem('invalid_field', 'confidence', 'only a label that carries its prediction has a confidence');
  }
  if (model === undefined || slot === undefined)
    return problem(
      'invalid_field',
      model === undefined ? 'model' : 'version',
      'required when the label carries its prediction (model, version and prediction together need no join)',
    );
  if (model.spec.task === 'regression') {
    if (confidence !== undefined)
      return problem('invalid_field', 'confidence', `model ${model.spec.name} is a regression: it has no confidence`);
    const output = readSummedNumber(value, 'prediction');
    if (typeof output === 'object') return output;
    return { classIndex: -1, output, confidence: Number.NaN };
  }
  const classIndex = readPredictedClass(value, model);
  if (typeof classIndex === 'object') return classIndex;
  const p = readOptionalNumber(confidence, 'confidence', 0, 1);
  if (typeof p === 'object') return p;
  return { classIndex, output: Number.NaN, confidence: p ?? Number.NaN };
}
