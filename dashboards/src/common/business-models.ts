import * as units from '@grafana/grafana-foundation-sdk/units';
import type { CanarySpec, ModelSpec, OutcomesSpec, Spec } from '../../../spec/src/schema';
import { formatDuration } from '../../../alerting/src/prometheus-duration';
import { byWindow, type WindowGroup } from './tasks';

/** A model and its outcomes section, for the models that get business outcomes. */
export type OutcomeModel = ModelSpec & { readonly outcomes: OutcomesSpec };

/** A model and its canary section. */
export type CanaryModel = ModelSpec & { readonly canary: CanarySpec };

/** The models that declare `outcomes`, in spec order. */
export function outcomeModels(spec: Spec): OutcomeModel[] {
  return spec.models.filter((model): model is OutcomeModel => model.outcomes !== undefined);
}

/** The models that declare a `canary`, in spec order. */
export function canaryModels(spec: Spec): CanaryModel[] {
  return spec.models.filter((model): model is CanaryModel => model.canary !== undefined);
}

/** The models the business dashboard is about: those with outcomes or a canary, in spec order. */
export function businessModels(spec: Spec): ModelSpec[] {
  return spec.models.filter((model) => model.outcomes !== undefined || model.canary !== undefined);
}

/** Each model's outcome windows as the recording rules name them; the first is the one alerts and the canary judge. */
export function outcomeWindows(model: OutcomeModel): string[] {
  return model.outcomes.windows_seconds.map(formatDuration);
}

/** The models grouped by their first outcome window. */
export function byOutcomeWindow(models: readonly OutcomeModel[]): WindowGroup<OutcomeModel>[] {
  return byWindow(models, (model) => outcomeWindows(model)[0] as string);
}

/** The models grouped by their canary window. */
export function byCanaryWindow(models: readonly CanaryModel[]): WindowGroup<CanaryModel>[] {
  return byWindow(models, (model) => formatDuration(model.canary.window_seconds));
}

/** Whether any of the models declares an event with a value. */
export function hasValueEvents(models: readonly OutcomeModel[]): boolean {
  return models.some((model) => Object.values(model.outcomes.events).some((event) => event.value));
}

/** Grafana's unit ids (`currencyEUR`, …), as the foundation SDK lists them. */
const GRAFANA_UNITS: ReadonlySet<string> = new Set(Object.values(units).filter((u) => typeof u === 'string'));

/**
 * The unit of a value-per-prediction panel and its currency in words: Grafana's currency unit
 * (`currencyEUR`) when every value event declares the same currency and Grafana has a unit for it,
 * else a plain number with each event's currency named (a panel has one unit).
 */
export function valueUnit(models: readonly OutcomeModel[]): { unit: string; text: string } {
  const events = models.flatMap((model) =>
    Object.entries(model.outcomes.events)
      .filter(([, event]) => event.value)
      .map(([name, event]) => ({ model: model.name, name, currency: event.currency })),
  );
  const currencies = new Set(events.map((event) => event.currency));
  const [only] = currencies;
  if (currencies.size === 1 && only !== undefined && GRAFANA_UNITS.has(`currency${only}`))
    return { unit: `currency${only}`, text: ` in ${only}` };
  const declared = events.filter((event) => event.currency !== undefined);
  return {
    unit: units.Short,
    text:
      declared.length === 0
        ? ' (no currency declared)'
        : ` (currencies: ${declared.map((e) => `${e.model}/${e.name} ${e.currency ?? ''}`).join(', ')})`,
  };
}

/** `version="v1"`: one version (names are letters, digits, `_`, `.` and `-`: nothing to escape). */
export function versionMatcher(version: string): string {
  return `version="${version}"`;
}
