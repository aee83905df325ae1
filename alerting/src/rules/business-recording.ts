import { LABELS, METRICS, RECORDS } from '../../../spec/src/conventions';
import type { OutcomesSpec, Spec } from '../../../spec/src/schema';
import type { AlertingContext } from '../alerting-context';
import { formatDuration } from '../prometheus-duration';
import { modelsWith, type ModelWith } from './models-with';
import { offsetClause, successfulPredictions } from './prediction-counts';
import type { RecordingRule, RuleGroup } from './rule-types';

const { model: MODEL, version: VERSION, event: EVENT } = LABELS;
const BY_EVENT = `${MODEL}, ${VERSION}, ${EVENT}`;

/** One week in seconds: how far back the week-over-week ratios look. */
export const WEEK_SECONDS = 604_800;

/** Windows from this long (a day) are week-long work for Prometheus: their rules go to the trends group. */
const LONG_WINDOW_SECONDS = 86_400;

/**
 * Evaluation interval of the trends group in production seconds (the fast profile divides it by 60).
 * Rules over day- and week-long ranges cost far more than the rest and move slowly, so they run every
 * 4 minutes rather than every evaluation: the longest interval that stays below Prometheus's 5-minute
 * lookback, with a minute to spare, so an alert that reads them every minute never sees a gap.
 */
export const TREND_EVALUATION_SECONDS = 240;

/** A model that gets outcomes: its spec, its outcomes section and its place in `models`. */
export type OutcomeModel = ModelWith<'outcomes'>;

/** The models of the spec with an `outcomes` section, in spec order. */
export function outcomeModels(spec: Spec): OutcomeModel[] {
  return modelsWith(spec, 'outcomes');
}

/** The window the alerts judge and the trends smooth: the first of `outcomes.windows_seconds`, named (`1h`). */
export function judgedWindow(outcomes: OutcomesSpec): string {
  return formatDuration(outcomes.windows_seconds[0] as number);
}

/** Where a model's outcome fields sit in the spec, for alert text: `models[0].outcomes`. */
export function outcomesPath(target: OutcomeModel): string {
  return `models[${target.index}].outcomes`;
}

/** The windows of a model's outcomes that are short enough for the per-evaluation group, and the long ones. */
function splitWindows(outcomes: OutcomesSpec): { short: string[]; long: string[] } {
  const seconds = outcomes.windows_seconds;
  return {
    short: seconds.filter((s) => s < LONG_WINDOW_SECONDS).map(formatDuration),
    long: seconds.filter((s) => s >= LONG_WINDOW_SECONDS).map(formatDuration),
  };
}

/** Names of the groups (and files) of a model's outcome rules, in evaluation order: the short windows' (when any), then the trends. */
export function businessGroupNames(target: OutcomeModel): string[] {
  const m = target.model.name;
  const short = splitWindows(target.outcomes).short.length > 0;
  return [...(short ? [`mlwatch-business-recording-${m}`] : []), `mlwatch-business-trends-${m}`];
}

/**
 * An outcome counter per prediction, per version and event: its increase over `window` ending
 * `offsetSeconds` ago, divided by the successful predictions of the same window a further
 * `attribution_delay_seconds` back, so late outcomes meet the predictions that caused them. No
 * predictions is no sample (not +Inf). `only` narrows it to one version (a PromQL string, or `%q`
 * in an alert's template query) and event.
 */
export function perPrediction(
  ctx: AlertingContext,
  target: OutcomeModel,
  metric: string,
  window: string,
  offsetSeconds: number,
  only?: { readonly version: string; readonly event: string },
): string {
  const version = only === undefined ? '' : `,${VERSION}=${only.version}`;
  const event = only === undefined ? '' : `,${EVENT}="${only.event}"`;
  const counted = `sum by (${BY_EVENT}) (increase(${metric}{${MODEL}="${target.model.name}"${version}${event}}[${ctx.range(window)}]${offsetClause(ctx, offsetSeconds)}))`;
  const predictions = successfulPredictions(
    ctx,
    target.model.name,
    window,
    offsetSeconds + target.outcomes.attribution_delay_seconds,
    version,
  );
  return `${counted}\n/ on (${MODEL}, ${VERSION}) group_left ()\n(${predictions} > 0)`;
}

/**
 * An outcome counter per prediction of the judged window now, divided by the same one week earlier,
 * both from the counters (`offset 1w`, and 1w plus the attribution delay for the predictions), so the
 * ratio needs no week of recorded history. Nothing a week earlier is no sample.
 */
export function weekOverWeek(ctx: AlertingContext, target: OutcomeModel, metric: string): string {
  const window = judgedWindow(target.outcomes);
  const now = perPrediction(ctx, target, metric, window, 0);
  const before = perPrediction(ctx, target, metric, window, WEEK_SECONDS);
  return `(\n${now}\n)\n/\n(\n${before}\n  > 0\n)`;
}

/**
 * Outcome rules per model with outcomes, per version and declared event: over each window of
 * `outcomes.windows_seconds` the outcomes, the outcome rate and the value per prediction (value
 * events; `mlwatch_outcome_value_total` exists only for them); moving averages of the judged (first)
 * window's rate and value over each later window; and week-over-week ratios of the judged window.
 * Windows under a day go to the first group, evaluated with the rest; windows of a day or more, the
 * averages and the week-over-week ratios to the trends group, evaluated every
 * TREND_EVALUATION_SECONDS. Counters of every replica are summed before any division.
 */
export function businessRecordingGroups(ctx: AlertingContext): RuleGroup[] {
  return outcomeModels(ctx.spec).flatMap((target) => {
    const { short, long } = splitWindows(target.outcomes);
    const trends = businessGroupNames(target).at(-1) as string;
    const recording =
      short.length === 0
        ? []
        : [{ name: businessGroupNames(target)[0] as string, rules: short.flatMap((w) => windowRules(ctx, target, w)) }];
    return [
      ...recording,
      {
        name: trends,
        interval: ctx.range(formatDuration(TREND_EVALUATION_SECONDS)),
        rules: [...long.flatMap((w) => windowRules(ctx, target, w)), ...trendRules(ctx, target)],
      },
    ];
  });
}

function windowRules(ctx: AlertingContext, target: OutcomeModel, window: string): RecordingRule[] {
  return [
    {
      record: RECORDS.outcomesIncrease(window),
      expr: `sum by (${BY_EVENT}) (increase(${METRICS.outcomesTotal}{${MODEL}="${target.model.name}"}[${ctx.range(window)}]))`,
    },
    { record: RECORDS.outcomeRate(window), expr: perPrediction(ctx, target, METRICS.outcomesTotal, window, 0) },
    {
      record: RECORDS.outcomeValuePerPrediction(window),
      expr: perPrediction(ctx, target, METRICS.outcomeValueTotal, window, 0),
    },
  ];
}

function trendRules(ctx: AlertingContext, target: OutcomeModel): RecordingRule[] {
  const judged = judgedWindow(target.outcomes);
  const model = `{${MODEL}="${target.model.name}"}`;
  const averages = target.outcomes.windows_seconds.slice(1).flatMap((seconds) => {
    const over = formatDuration(seconds);
    const average = (record: string) => `avg_over_time(${record}${model}[${ctx.range(over)}])`;
    return [
      { record: RECORDS.outcomeRateAverage(judged, over), expr: average(RECORDS.outcomeRate(judged)) },
      { record: RECORDS.outcomeValueAverage(judged, over), expr: average(RECORDS.outcomeValuePerPrediction(judged)) },
    ];
  });
  return [
    ...averages,
    { record: RECORDS.outcomeRateWeekOverWeek(judged), expr: weekOverWeek(ctx, target, METRICS.outcomesTotal) },
    {
      record: RECORDS.outcomeValueWeekOverWeek(judged),
      expr: weekOverWeek(ctx, target, METRICS.outcomeValueTotal),
    },
  ];
}
