import { MODEL_FILTER, VERSION_FILTER } from './common/filters';
import { sel } from './common/queries';
import { byAlertWindow, modelsMatcher, type LabelledModel, type WindowGroup } from './common/tasks';
import type { ModelSpec } from '../../spec/src/schema';

/** A recording-rule name of one quality window, e.g. `RECORDS.accuracy`. */
export type WindowRecord = (window: string) => string;

/**
 * A quality recording rule of the selected model and versions over each model's alert window:
 * one selector per distinct window, joined with `or`, so a model is read at the window its
 * alerts judge. With one window among the models, the plain selector.
 */
export function alertWindowRecord(record: WindowRecord, models: readonly LabelledModel[]): string {
  return recordAtWindows(byAlertWindow(models), record, [MODEL_FILTER, VERSION_FILTER]);
}

/**
 * A recording rule at each group's window with `matchers` (and a `modifier` such as ` offset 1w`),
 * joined with `or`; with several groups each selector also matches its group's models. With one
 * group, the plain selector.
 */
export function recordAtWindows<M extends ModelSpec>(
  groups: readonly WindowGroup<M>[],
  record: WindowRecord,
  matchers: readonly string[],
  modifier = '',
): string {
  if (groups.length === 1) return `${sel(record((groups[0] as WindowGroup<M>).window), ...matchers)}${modifier}`;
  return groups
    .map((group) => `${sel(record(group.window), modelsMatcher(group.models), ...matchers)}${modifier}`)
    .join(' or ');
}

/**
 * `sum by (labels) (increase(selector[window]))` over each model's alert window, joined with `or`
 * like {@link alertWindowRecord}; `selector` takes the extra matchers of a window's models.
 */
export function alertWindowIncrease(
  selector: (...matchers: string[]) => string,
  by: readonly string[],
  models: readonly LabelledModel[],
): string {
  const groups = byAlertWindow(models);
  const increase = (window: string, matchers: string[]) =>
    `sum by (${by.join(', ')}) (increase(${selector(...matchers)}[${window}]))`;
  if (groups.length === 1) return increase((groups[0] as { window: string }).window, []);
  return groups.map((group) => increase(group.window, [modelsMatcher(group.models)])).join(' or ');
}

/** The alert windows of the models in words, for descriptions: `1h`, or `1h (fraud), 30m (churn)`. */
export function alertWindowsText(models: readonly LabelledModel[]): string {
  return windowsText(byAlertWindow(models));
}

/** The windows of the groups in words: `1h`, or `1h (fraud), 30m (churn)`. */
export function windowsText<M extends ModelSpec>(groups: readonly WindowGroup<M>[]): string {
  if (groups.length === 1) return (groups[0] as WindowGroup<M>).window;
  return groups.map((group) => `${group.window} (${group.models.map((m) => m.name).join(', ')})`).join(', ');
}

/**
 * `minuend - subtrahend` per version over each model's alert window: the two rules of the same
 * window subtracted (they share the labels model and version), the windows joined with `or`.
 */
export function alertWindowDifference(
  minuend: WindowRecord,
  subtrahend: WindowRecord,
  models: readonly LabelledModel[],
): string {
  const groups = byAlertWindow(models);
  const matchers = (group: { models: LabelledModel[] }) =>
    groups.length === 1 ? [MODEL_FILTER, VERSION_FILTER] : [modelsMatcher(group.models), MODEL_FILTER, VERSION_FILTER];
  return groups
    .map(
      (group) =>
        `${sel(minuend(group.window), ...matchers(group))} - ${sel(subtrahend(group.window), ...matchers(group))}`,
    )
    .join(' or ');
}
