import type { OutcomeEventSpec } from '../../../spec/src/schema';
import type { VersionSlot } from '../metrics/series-layout';
import { describeValue } from './describe-value';
import { readTimestamp, type ValidationModel, type ValidationModels } from './event-validator';
import { modelsTaking, readJoinedHead, readSummedNumber, unknownField, type JoinedKind } from './joined-event-fields';
import { problem, type ValidationProblem } from './validation-problem';

/** An outcome event that passed validation; what the join still has to check is said per field. */
export interface ValidOutcome {
  readonly predictionId: string;
  /** A declared event name (of `model` when named, else of some model with outcomes). */
  readonly event: string;
  /** The amount, or NaN when none was sent; checked against the event's declaration once its model is known. */
  readonly value: number;
  /** The model the outcome names; undefined when it names none (the join tells). */
  readonly model: ValidationModel | undefined;
  /** The version the outcome names, if any: with `model`, the outcome needs no join (stateless). */
  readonly slot: VersionSlot | undefined;
  /** Outcome time in Unix milliseconds, when sent. */
  readonly timeMs: number | undefined;
}

const OUTCOME_FIELDS = ['prediction_id', 'event', 'value', 'timestamp', 'model', 'version'];
/** Outcomes are taken by models with an outcomes section. */
const OUTCOMES: JoinedKind = { noun: 'outcomes', section: 'outcomes' };

/**
 * Validates one outcome event on its own: the id, the event (declared by the named model, or by
 * some model with outcomes when none is named), the value (a finite number within the bound, sent
 * exactly when the event is declared with one), and the optional model, version and timestamp. An
 * outcome that names no model, of an event two models declare differently, is checked against its
 * prediction's model after the join ({@link checkOutcome}).
 */
export function validateOutcome(event: unknown, catalog: ValidationModels): ValidationProblem | ValidOutcome {
  const head = readJoinedHead(event, catalog, OUTCOMES);
  if ('reason' in head) return head;
  const { fields: e, predictionId, model, slot } = head;

  const name = e['event'];
  if (typeof name !== 'string' || name.length === 0)
    return problem('invalid_field', 'event', `expected a declared event name, got ${describeValue(name)}`);
  const raw = e['value'];
  const value = raw === undefined ? Number.NaN : readSummedNumber(raw, 'value');
  if (typeof value === 'object') return value;
  const declaring =
    model === undefined
      ? modelsTaking(catalog, OUTCOMES).filter((m) => Object.hasOwn(outcomeEvents(m), name))
      : [model];
  const first = declaring[0];
  if (first === undefined)
    return problem(
      'unknown_event',
      'event',
      `${describeValue(name)} is not an event of any model that takes outcomes (declared: ${declaredEvents(catalog).join(', ')})`,
    );
  // Checked now whenever the models that could be meant agree on the value, so a bad outcome never
  // spends its (prediction, event) and its corrected retry counts; else after the join.
  if (declaring.every((m) => outcomeEvents(m)[name]?.value === outcomeEvents(first)[name]?.value)) {
    const checked = checkOutcome(name, value, first);
    if (checked !== undefined) return checked;
  }

  const timeMs = readTimestamp(e['timestamp']);
  if (typeof timeMs === 'object') return timeMs;
  const unknown = unknownField(e, OUTCOME_FIELDS);
  if (unknown !== undefined) return unknown;
  return { predictionId, event: name, value, model, slot, timeMs };
}

/**
 * Checks an outcome against its model's declaration: the event is declared, and the value (NaN:
 * none sent) is there exactly when the event is declared with one. Undefined when it fits.
 */
export function checkOutcome(event: string, value: number, model: ValidationModel): ValidationProblem | undefined {
  const events = outcomeEvents(model);
  const declared: OutcomeEventSpec | undefined = Object.hasOwn(events, event) ? events[event] : undefined;
  const name = model.spec.name;
  if (declared === undefined)
    return problem(
      'unknown_event',
      'event',
      `${describeValue(event)} is not an event of model ${name} (declared: ${Object.keys(events).join(', ')})`,
    );
  const sent = !Number.isNaN(value);
  if (declared.value && !sent)
    return problem(
      'invalid_field',
      'value',
      `required: event ${event} of model ${name} is declared with a value${declared.currency === undefined ? '' : ` (${declared.currency})`}`,
    );
  if (!declared.value && sent)
    return problem(
      'invalid_field',
      'value',
      `event ${event} of model ${name} is declared without a value (outcomes.events.${event}.value is false), got ${value}`,
    );
  return undefined;
}

function outcomeEvents(model: ValidationModel): Readonly<Record<string, OutcomeEventSpec>> {
  return model.spec.outcomes?.events ?? {};
}

/** Every event name declared by a model with outcomes, for messages. */
function declaredEvents(catalog: ValidationModels): string[] {
  return [...new Set(modelsTaking(catalog, OUTCOMES).flatMap((m) => Object.keys(outcomeEvents(m))))];
}
