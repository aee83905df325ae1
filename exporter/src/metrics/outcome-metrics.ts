/**
 * The outcome metrics: business events counted once per (prediction, event) and the sum of their
 * values, per model version and event, and what became of each outcome received. All counters,
 * so rates add up exactly across replicas in PromQL. Every series is created at zero from the
 * spec; the hot path addresses them by precomputed index and allocates nothing.
 */
import type { Registry } from 'prom-client';
import { METRICS, OUTCOME_RESULTS, type OutcomeResult } from '../../../spec/src/conventions';
import type { ModelSpec, OutcomeEventSpec, Spec } from '../../../spec/src/schema';
import { FixedCounter } from './fixed-counter';
import { registerMetric } from './register-metric';
import type { SeriesLayout, VersionSlot } from './series-layout';

type LabelSet = Readonly<Record<string, string>>;

/** Where one declared event of a model version counts. */
export interface EventSeries {
  readonly spec: OutcomeEventSpec;
  /** Series in `mlwatch_outcomes_total`. */
  readonly count: number;
  /** Series in `mlwatch_outcome_value_total`, or -1: the event has no value. */
  readonly value: number;
}

/** The outcome series of one model version (only for models with `outcomes`). */
export interface VersionOutcomes {
  readonly slot: VersionSlot;
  readonly model: ModelSpec;
  /** By event name: the events the model declares. */
  readonly events: ReadonlyMap<string, EventSeries>;
}

/** The outcome metrics of one exporter generation. */
export class OutcomeMetrics {
  readonly outcomes: FixedCounter;
  readonly values: FixedCounter;
  readonly events: FixedCounter;
  /** By VersionSlot.index; undefined for versions of models without outcomes. */
  readonly versions: readonly (VersionOutcomes | undefined)[];

  constructor(spec: Spec, layout: SeriesLayout) {
    const countLabels: LabelSet[] = [];
    const valueLabels: LabelSet[] = [];
    const versions: (VersionOutcomes | undefined)[] = [];
    const currencies = new Map<string, string>();
    for (const model of spec.models) {
      const modelSlot = layout.models.get(model.name);
      if (modelSlot === undefined || model.outcomes === undefined) continue;
      const declared = Object.entries(model.outcomes.events);
      for (const [event, eventSpec] of declared)
        if (eventSpec.currency !== undefined) currencies.set(`${model.name}/${event}`, eventSpec.currency);
      for (const slot of modelSlot.versions.values()) {
        const events = new Map<string, EventSeries>();
        for (const [event, eventSpec] of declared) {
          const labels = { model: model.name, version: slot.version, event };
          events.set(event, {
            spec: eventSpec,
            count: countLabels.push(labels) - 1,
            value: eventSpec.value ? valueLabels.push(labels) - 1 : -1,
          });
        }
        versions[slot.index] = { slot, model, events };
      }
    }
    this.versions = versions;
    this.outcomes = new FixedCounter(
      METRICS.outcomesTotal,
      'Business outcomes counted once per (prediction, event), by the model version of the prediction and the event.',
      countLabels,
    );
    this.values = new FixedCounter(METRICS.outcomeValueTotal, valueHelp(currencies), valueLabels);
    this.events = new FixedCounter(
      METRICS.outcomeEventsTotal,
      'Outcomes received, by what became of them (refused ones count in mlwatch_rejected_events_total).',
      OUTCOME_RESULTS.map((result) => ({ result })),
    );
  }

  /** Registers the outcome metrics when a model of the spec takes outcomes. */
  register(registry: Registry): void {
    if (!this.versions.some((v) => v !== undefined)) return;
    for (const metric of [this.outcomes, this.values, this.events]) registerMetric(registry, metric);
  }

  /** Counts one outcome of a declared event of a model version with its value (NaN: none). */
  record(event: EventSeries, value: number): void {
    this.outcomes.inc(event.count);
    if (event.value >= 0 && !Number.isNaN(value)) this.values.inc(event.value, value);
  }

  /** Counts `count` outcomes with `result`. */
  result(result: OutcomeResult, count = 1): void {
    this.events.inc(OUTCOME_RESULTS.indexOf(result), count);
  }

  /** Value of `mlwatch_outcome_events_total` for a result; for tests and reports. */
  resultCount(result: OutcomeResult): number {
    return this.events.value(OUTCOME_RESULTS.indexOf(result));
  }
}

/** HELP of the value counter: the unit is each event's declared currency, named when declared. */
function valueHelp(currencies: ReadonlyMap<string, string>): string {
  const units = [...new Set(currencies.values())].sort();
  const named =
    units.length === 1
      ? ` (${units[0] as string})`
      : units.length > 1
        ? ` (${[...currencies].map(([event, currency]) => `${event}: ${currency}`).join(', ')})`
        : '';
  return `Sum of the values of the outcomes of events declared with one, in the event's declared currency${named}.`;
}
