import * as units from '@grafana/grafana-foundation-sdk/units';
import { conversionEvent, valueEvent, type OutcomesSpec } from '../../spec/src/schema';
import { RECORDS } from '../../spec/src/conventions';
import {
  byOutcomeWindow,
  hasValueEvents,
  outcomeWindows,
  valueUnit,
  type OutcomeModel,
} from './common/business-models';
import { EVENT_FILTER, MODEL_FILTER } from './common/filters';
import type { Section } from './common/layout';
import { redBelow, timeSeriesPanel, type Placed, type Step } from './common/panels';
import { WEEK_OFFSET as WEEK, type Query } from './common/queries';
import { byWindow, modelsMatcher } from './common/tasks';
import { notPerExporter } from './common/waivers';
import { recordAtWindows, windowsText, type WindowRecord } from './quality-queries';

/** Why the outcome panels ignore the job and instance variables. */
export const OUTCOME_RULES_WAIVER =
  "Outcome rates are recording rules over every replica's counters (no job or instance label): an outcome joins its prediction wherever it arrives, and the rules are what the business alerts judge.";

const waive = notPerExporter(OUTCOME_RULES_WAIVER);
const MATCHERS = [MODEL_FILTER, EVENT_FILTER] as const;
const LEGEND = '{{version}} {{event}}';

/** One of the two things the outcome panels draw: outcomes per prediction, or value per prediction. */
interface Measure {
  readonly name: string;
  readonly what: string;
  readonly unit: string;
  /** Words after an amount: ` in EUR`, or nothing for a rate. */
  readonly unitText: string;
  readonly record: WindowRecord;
  readonly average: (window: string, over: string) => string;
  readonly weekOverWeek: WindowRecord;
  /** The alert's share and the event it watches, from the outcomes section. */
  readonly dropShare: (outcomes: OutcomesSpec) => number | undefined;
  readonly dropKey: string;
  readonly watched: (outcomes: OutcomesSpec) => string | undefined;
  readonly alert: string;
}

function rateMeasure(): Measure {
  return {
    name: 'Outcome rate',
    what: 'outcomes per prediction (click-through, conversion)',
    unit: units.PercentUnit,
    unitText: '',
    record: RECORDS.outcomeRate,
    average: RECORDS.outcomeRateAverage,
    weekOverWeek: RECORDS.outcomeRateWeekOverWeek,
    dropShare: (outcomes) => outcomes.conversion_drop_share,
    dropKey: 'conversion_drop_share',
    watched: conversionEvent,
    alert: 'conversion drop',
  };
}

function valueMeasure(models: readonly OutcomeModel[]): Measure {
  const unit = valueUnit(models);
  return {
    name: 'Value per prediction',
    what: 'outcome value per prediction (value events only)',
    unit: unit.unit,
    unitText: unit.text,
    record: RECORDS.outcomeValuePerPrediction,
    average: RECORDS.outcomeValueAverage,
    weekOverWeek: RECORDS.outcomeValueWeekOverWeek,
    dropShare: (outcomes) => outcomes.value_drop_share,
    dropKey: 'value_drop_share',
    watched: valueEvent,
    alert: 'value drop',
  };
}

/** The measures the models have: the rate always, the value when an event carries one. */
function measures(models: readonly OutcomeModel[]): Measure[] {
  return [rateMeasure(), ...(hasValueEvents(models) ? [valueMeasure(models)] : [])];
}

/** A measure at each model's first outcome window, the one the alerts and the canary judge. */
function atFirstWindow(measure: Measure, models: readonly OutcomeModel[], modifier = ''): string {
  return recordAtWindows(byOutcomeWindow(models), measure.record, MATCHERS, modifier);
}

/** Rate and value per prediction of each version and event over the first window. */
function byVersionPanel(measure: Measure, models: readonly OutcomeModel[], width: number): Placed {
  return timeSeriesPanel({
    title: `${measure.name} by version`,
    description: `The ${measure.what}${measure.unitText} of each version over ${windowsText(byOutcomeWindow(models))}: the window's outcomes set against the successful predictions of the same window outcomes.attribution_delay_seconds earlier.`,
    unit: measure.unit,
    width,
    min: 0,
    waive,
    queries: [{ expr: atFirstWindow(measure, models), legend: LEGEND }],
  });
}

/**
 * The first window's measure and its moving average over each later window, per model group
 * that shares the windows: a short window moves first, the averages say whether it lasts.
 */
function movingAveragesPanel(measure: Measure, models: readonly OutcomeModel[], width: number): Placed {
  const groups = byWindow(models, (model) => outcomeWindows(model).join(' '));
  const queries: Query[] = groups.flatMap((group) => {
    const [first, ...later] = group.window.split(' ') as [string, ...string[]];
    const matchers = groups.length === 1 ? [...MATCHERS] : [modelsMatcher(group.models), ...MATCHERS];
    const at = (name: string) => `${name}{${matchers.join(', ')}}`;
    return [
      { expr: at(measure.record(first)), legend: `${LEGEND} ${first}` },
      ...later.map((over) => ({ expr: at(measure.average(first, over)), legend: `${LEGEND} ${over} average` })),
    ];
  });
  return timeSeriesPanel({
    title: `${measure.name}: moving averages`,
    description: `The ${measure.what}${measure.unitText} of each version over the first window, with its moving average over each later window of outcomes.windows_seconds (${[...new Set(models.flatMap(outcomeWindows))].join(', ')}).`,
    unit: measure.unit,
    width,
    min: 0,
    waive,
    queries,
  });
}

/** The measure now, and the same measure one week earlier, drawn together. */
function lastWeekPanel(measure: Measure, models: readonly OutcomeModel[]): Placed {
  return timeSeriesPanel({
    title: `${measure.name}: this week and last week`,
    description: `The ${measure.what}${measure.unitText} of each version over ${windowsText(byOutcomeWindow(models))}, now beside the same rule ${WEEK} earlier (offset ${WEEK}): what the week-over-week alerts compare.`,
    unit: measure.unit,
    width: 12,
    min: 0,
    waive,
    queries: [
      { expr: atFirstWindow(measure, models), legend: `${LEGEND} now` },
      { expr: atFirstWindow(measure, models, ` offset ${WEEK}`), legend: `${LEGEND} a week earlier` },
    ],
  });
}

/**
 * A drop share as the floor of the week-over-week ratio (1 − share), when every model with the
 * alert's event sets the same one (a model without a value event has no value alert to agree on).
 */
function dropFloor(measure: Measure, models: readonly OutcomeModel[]): { steps?: Step[]; text: string } {
  const watching = models.filter((model) => measure.watched(model.outcomes) !== undefined);
  const shares = watching.flatMap((model) => {
    const share = measure.dropShare(model.outcomes);
    const event = measure.watched(model.outcomes) ?? '';
    return share === undefined ? [] : [{ model: model.name, share, event }];
  });
  const events = shares.map((s) => `${s.model} ${s.event}`).join(', ');
  const distinct = new Set(shares.map((s) => s.share));
  const [only] = distinct;
  if (distinct.size === 1 && only !== undefined && shares.length === watching.length) {
    const floor = Number((1 - only).toPrecision(12));
    return {
      steps: redBelow(floor),
      text: `; the dashed line is 1 − ${measure.dropKey} (${floor}), below which the ${measure.alert} alert fires for its event (${events})`,
    };
  }
  return {
    text:
      shares.length === 0
        ? ''
        : `; the ${measure.alert} alert watches ${events} with ${measure.dropKey} ${shares.map((s) => `${s.model} ${s.share}`).join(', ')}`,
  };
}

/** The week-over-week ratio the alerts judge: 1 is last week's level. */
function weekOverWeekPanel(measure: Measure, models: readonly OutcomeModel[]): Placed {
  const floor = dropFloor(measure, models);
  return timeSeriesPanel({
    title: `${measure.name}: week over week`,
    description: `The ${measure.what} of each version over ${windowsText(byOutcomeWindow(models))} divided by the same window ${WEEK} earlier, 100% being last week's level${floor.text}.`,
    unit: units.PercentUnit,
    width: 12,
    min: 0,
    ...(floor.steps === undefined ? {} : { steps: floor.steps }),
    waive,
    queries: [
      {
        expr: recordAtWindows(byOutcomeWindow(models), measure.weekOverWeek, MATCHERS),
        legend: LEGEND,
      },
    ],
  });
}

/**
 * The outcome sections: rate and value per prediction by version, their moving averages (when a
 * model has a later window), and this week against last week. None without outcome models.
 */
export function outcomeSections(models: readonly OutcomeModel[]): Section[] {
  if (models.length === 0) return [];
  const all = measures(models);
  const width = 24 / all.length;
  const smoothed = models.some((model) => model.outcomes.windows_seconds.length > 1);
  return [
    {
      title: `Outcomes per prediction by version (first outcome window: ${windowsText(byOutcomeWindow(models))})`,
      lines: [all.map((measure) => byVersionPanel(measure, models, width))],
    },
    ...(smoothed
      ? [{ title: 'Moving averages', lines: [all.map((measure) => movingAveragesPanel(measure, models, width))] }]
      : []),
    {
      title: 'This week against last week',
      lines: all.map((measure) => [lastWeekPanel(measure, models), weekOverWeekPanel(measure, models)]),
    },
  ];
}
