import { ALERTS, DASHBOARD_UIDS, LABELS, METRICS, RECORDS } from '../../../spec/src/conventions';
import { conversionEvent, valueEvent, type OutcomesSpec } from '../../../spec/src/schema';
import type { AlertingContext } from '../alerting-context';
import {
  WEEK_SECONDS,
  businessGroupNames,
  judgedWindow,
  outcomeModels,
  outcomesPath,
  perPrediction,
  type OutcomeModel,
} from '../rules/business-recording';
import { successfulPredictions } from '../rules/prediction-counts';
import type { AlertCase, AlertDefinition, RuleTestSuite } from './alert-definition';
import { modelSwitch, type AnnotationTemplate, type TemplatePart } from './annotation-template';
import { EXPORTER_TARGET, settledAt } from './case-helpers';
import { countsAround } from './quality-cases';
import { counterPhases, seriesName, type InputSeries } from './input-series';

const { model: MODEL, version: VERSION, event: EVENT } = LABELS;

/** Rule group (and file) of the week-over-week alerts. */
export const BUSINESS_ALERT_GROUP = 'mlwatch-business-alerts';

/**
 * Sample and evaluation step of the week-long recorded-value case, production seconds: the demo's
 * 5-minute attribution delay falls on it, so every window starts and ends on a sample. 2040 steps.
 */
export const WEEK_CASE_STEP_SECONDS = 300;

/**
 * Step of the week-long alert cases: half an hour (at most half the judged window), so a week is 340
 * steps. Their rates are steady within each week, so a window between samples extrapolates exactly.
 */
function alertCaseStep(windowSeconds: number): number {
  return Math.min(1800, windowSeconds / 2);
}

/** The groups a week-long outcome case loads: the model's outcome rules, then the alerts. */
export function businessSuite(target: OutcomeModel): RuleTestSuite {
  return { name: 'business', groups: [...businessGroupNames(target), BUSINESS_ALERT_GROUP] };
}

/** One of the two week-over-week alerts: which event, counter, record and share it judges. */
interface DropKind {
  readonly what: string;
  readonly share: (o: OutcomesSpec) => number | undefined;
  readonly shareKey: 'conversion_drop_share' | 'value_drop_share';
  readonly event: (o: OutcomesSpec) => string | undefined;
  readonly metric: string;
  readonly record: (window: string) => string;
  readonly format: 'percent' | 'number';
}

const CONVERSION: DropKind = {
  what: 'per prediction',
  share: (o) => o.conversion_drop_share,
  shareKey: 'conversion_drop_share',
  event: conversionEvent,
  metric: METRICS.outcomesTotal,
  record: RECORDS.outcomeRateWeekOverWeek,
  format: 'percent',
};

const VALUE: DropKind = {
  what: 'value per prediction',
  share: (o) => o.value_drop_share,
  shareKey: 'value_drop_share',
  event: valueEvent,
  metric: METRICS.outcomeValueTotal,
  record: RECORDS.outcomeValueWeekOverWeek,
  format: 'number',
};

const judged = (kind: DropKind) => (t: OutcomeModel) =>
  kind.share(t.outcomes) !== undefined && kind.event(t.outcomes) !== undefined;

/** 1 − share as written into a rule: 0.8 for 0.2, without binary noise (1 − 0.3 is 0.7, not 0.7000000000000001). */
const floorOf = (share: number) => Number((1 - share).toPrecision(12));

function description(ctx: AlertingContext, kind: DropKind): AnnotationTemplate {
  return [
    'Model ',
    { label: MODEL },
    ' version ',
    { label: VERSION },
    modelSwitch(outcomeModels(ctx.spec).filter(judged(kind)), (t) => {
      const window = judgedWindow(t.outcomes);
      const event = kind.event(t.outcomes) as string;
      const currency = t.outcomes.events[event]?.currency;
      const unit = kind === VALUE && currency !== undefined ? ` ${currency}` : '';
      const path = outcomesPath(t);
      const rate = (key: string, offsetSeconds: number): TemplatePart => ({
        query: {
          key,
          promql: perPrediction(ctx, t, kind.metric, window, offsetSeconds, { version: '%q', event }),
          labels: [VERSION, VERSION],
        },
        format: kind.format,
      });
      const predictions = (key: string, offsetSeconds: number): TemplatePart => ({
        query: {
          key,
          promql: successfulPredictions(
            ctx,
            t.model.name,
            window,
            offsetSeconds + t.outcomes.attribution_delay_seconds,
            `,${VERSION}=%q`,
          ),
          labels: [VERSION],
        },
        format: 'count',
      });
      return [
        ` had ${event} ${kind.what} `,
        rate('now', 0),
        `${unit} over the last ${ctx.range(window)}, against `,
        rate('before', WEEK_SECONDS),
        `${unit} over the same ${ctx.range(window)} one week earlier: `,
        { value: 'percent' },
        ` of it, down more than ${formatShare(kind.share(t.outcomes) as number)} (${path}.${kind.shareKey}; judged from `,
        predictions('predictionsNow', 0),
        ' and ',
        predictions('predictionsBefore', WEEK_SECONDS),
        ` predictions, at least ${t.outcomes.min_predictions} each, ${path}.min_predictions)`,
      ];
    }),
    '. The model earns less than it did a week ago. First check whether a new version or its traffic weight changed, then the drift alerts (other customers, other inputs), then whether the outcome feed itself lags (mlwatch_outcome_events_total by result).',
  ];
}

const formatShare = (share: number) => `${Number((share * 100).toPrecision(12))}%`;

function dropForms(ctx: AlertingContext, kind: DropKind, severity: 'conversion_drop' | 'value_drop') {
  return outcomeModels(ctx.spec)
    .filter(judged(kind))
    .map((t) => {
      const window = judgedWindow(t.outcomes);
      const delay = t.outcomes.attribution_delay_seconds;
      const enough = (offsetSeconds: number) =>
        `${successfulPredictions(ctx, t.model.name, window, offsetSeconds + delay)} >= ${t.outcomes.min_predictions}`;
      return {
        severity: ctx.spec.alerts.severity[severity],
        // Enough predictions now and a week earlier: a quiet hour's ratio is mostly noise.
        expr: `${kind.record(window)}{${MODEL}="${t.model.name}",${EVENT}="${kind.event(t.outcomes) as string}"} < ${floorOf(kind.share(t.outcomes) as number)}\nand on (${MODEL}, ${VERSION})\n${enough(0)}\nand on (${MODEL}, ${VERSION})\n${enough(WEEK_SECONDS)}`,
        forSeconds: ctx.spec.alerts.for_seconds[severity],
        labels: { [MODEL]: t.model.name },
      };
    });
}

/** Counts of the judged window, per window of it: predictions, and the judged counter's increase. */
interface Week {
  readonly predictions: number;
  readonly counted: number;
}

/**
 * Week-long cases on a half-hour grid: a first week at `before`, then `after` from the second week on;
 * the alert is looked at once the judged window, the attribution delay and `for:` have passed in week two.
 */
function dropCases(ctx: AlertingContext, kind: DropKind, severity: 'conversion_drop' | 'value_drop'): AlertCase[] {
  const t = outcomeModels(ctx.spec).find(judged(kind));
  if (t === undefined) return [];
  const event = kind.event(t.outcomes) as string;
  const version = t.model.versions[0]?.name as string;
  const windowSeconds = t.outcomes.windows_seconds[0] as number;
  const floor = floorOf(kind.share(t.outcomes) as number);
  const step = alertCaseStep(windowSeconds);
  const forSeconds = ctx.spec.alerts.for_seconds[severity];
  const evalAtSeconds = settledAt(
    WEEK_SECONDS + windowSeconds + t.outcomes.attribution_delay_seconds,
    forSeconds,
    step,
  );
  const perSecond = (count: number) => (count * ctx.profile.timeCompression) / windowSeconds;
  const weekly = (metric: string, labels: Record<string, string>, before: number, after: number): InputSeries => ({
    series: seriesName(metric, { ...EXPORTER_TARGET, model: t.model.name, version, ...labels }),
    values: counterPhases([
      { perSecond: perSecond(before), seconds: WEEK_SECONDS },
      { perSecond: perSecond(after), seconds: Infinity },
    ]),
  });
  const series = (before: Week, after: Week) => [
    weekly(METRICS.predictionsTotal, { status: 'success' }, before.predictions, after.predictions),
    weekly(kind.metric, { event }, before.counted, after.counted),
  ];
  const min = t.outcomes.min_predictions;
  const predictions = Math.max(2 * min, 600);
  // The judged counter per window a week earlier: 10% conversions, or 5 (EUR) per prediction.
  const base = kind === CONVERSION ? predictions / 10 : predictions * 5;
  const { below, above } = countsAround(floor, base);
  const make = (title: string, before: Week, after: Week): AlertCase => {
    const ratio = after.counted / after.predictions / (before.counted / before.predictions);
    const fires = ratio < floor && before.predictions >= min && after.predictions >= min;
    return {
      title,
      intervalSeconds: step,
      evaluationSeconds: step,
      evalAtSeconds,
      series: series(before, after),
      expected: fires
        ? [
            {
              severity: ctx.spec.alerts.severity[severity],
              labels: { model: t.model.name, version, event },
              value: ratio,
              queries: {
                now: after.counted / after.predictions,
                before: before.counted / before.predictions,
                predictionsNow: after.predictions,
                predictionsBefore: before.predictions,
              },
            },
          ]
        : [],
      suite: businessSuite(t),
    };
  };
  const same = (counted: number) => ({ predictions, counted });
  const few = min - 1;
  return [
    make(`fires just past the drop share (${below} against ${base} a week earlier)`, same(base), same(below)),
    make(`silent just inside it (${above} against ${base})`, same(base), same(above)),
    make(
      `silent with fewer than outcomes.min_predictions predictions now (${few}), however large the drop`,
      same(base),
      { predictions: few, counted: 0 },
    ),
    make(
      `silent with fewer than outcomes.min_predictions predictions a week earlier (${few})`,
      { predictions: few, counted: (base * few) / predictions },
      same(0),
    ),
  ];
}

export const conversionDrop: AlertDefinition = {
  name: ALERTS.conversionDrop,
  group: BUSINESS_ALERT_GROUP,
  dashboard: DASHBOARD_UIDS.businessVersions,
  perModel: true,
  optional: true,
  summary: ['A model version converts less than it did at the same time one week earlier.'],
  description: (ctx) => description(ctx, CONVERSION),
  value: [{ value: 'percent' }, ' of last week'],
  forms: (ctx) => dropForms(ctx, CONVERSION, 'conversion_drop'),
  cases: (ctx) => dropCases(ctx, CONVERSION, 'conversion_drop'),
};

export const valueDrop: AlertDefinition = {
  name: ALERTS.valueDrop,
  group: BUSINESS_ALERT_GROUP,
  dashboard: DASHBOARD_UIDS.businessVersions,
  perModel: true,
  optional: true,
  summary: ['The value per prediction of a model version fell against the same time one week earlier.'],
  description: (ctx) => description(ctx, VALUE),
  value: [{ value: 'percent' }, ' of last week'],
  forms: (ctx) => dropForms(ctx, VALUE, 'value_drop'),
  cases: (ctx) => dropCases(ctx, VALUE, 'value_drop'),
};
