import type { Spec } from '../../../spec/src/schema';
import {
  ALERTS,
  BASE_LATENCY_BUCKETS_SECONDS,
  DASHBOARD_UIDS,
  METRICS,
  RATE_WINDOW,
  RECORDS,
  type SloWindow,
} from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import { parseDuration } from '../prometheus-duration';
import { formatGoG } from './go-format';
import {
  counter,
  counterPhases,
  seriesName,
  type InputSeries,
  type SampleGrid,
  type SeriesValues,
} from './input-series';
import type { AlertCase, AlertDefinition, AlertForm } from './alert-definition';
import { BURN_RATE_PAIRS, errorBudget } from '../error-budget';
import { EXPORTER_TARGET, fixtureModel, fixtureVersion, settledAt } from './case-helpers';

const GROUP = 'mlwatch-slo-alerts';
const MINUTE = 60;
const HOUR = 3600;

/** What each counter of an SLI reads in a case: good events, bad events, and all of them. */
interface EventCounters {
  readonly good: SeriesValues;
  readonly bad: SeriesValues;
  readonly all: SeriesValues;
}

/** A bad-event ratio per model and window, its event count, and the objective it is held to. */
interface Sli {
  readonly ratio: (window: SloWindow) => string;
  /** Events the ratio is taken over, in a long window (recorded only for the long windows). */
  readonly events: (window: SloWindow) => string;
  readonly objectivePercent: (spec: Spec) => number;
  /** The exporter's input series that carry these counts. */
  readonly series: (ctx: AlertingContext, counters: EventCounters) => InputSeries[];
}

interface PhaseLengths {
  readonly before: number;
  readonly during: number;
}

function burnRateForms(ctx: AlertingContext, sli: Sli): AlertForm[] {
  const budget = errorBudget(sli.objectivePercent(ctx.spec));
  const durations = ctx.spec.alerts.for_seconds;
  const minEvents = ctx.spec.slo.min_events;
  return (['critical', 'warning'] as const).map((severity) => ({
    severity,
    forSeconds: severity === 'critical' ? durations.burn_rate_critical : durations.burn_rate_warning,
    expr: BURN_RATE_PAIRS.filter((pair) => pair.severity === severity)
      .map(
        (pair) =>
          `(\n  ${sli.ratio(pair.long)} / ${budget} > ${pair.factor}\n  and\n  ${sli.ratio(pair.short)} / ${budget} > ${pair.factor}` +
          `\n  and\n  ${sli.events(pair.long)} >= ${minEvents}\n)`,
      )
      .join('\nor\n'),
  }));
}

/** Counters in which a share `badShare` of `perSecond` events is bad, by phase. */
function steadyCounters(
  perSecond: number,
  badShare: (phase: 'before' | 'during') => number,
  phases?: PhaseLengths,
): EventCounters {
  return {
    good: phased(perSecond, (phase) => 1 - badShare(phase), phases),
    bad: phased(perSecond, badShare, phases),
    all: counter(perSecond),
  };
}

/**
 * Good events at `eventsPerHour` (the same counts per window in every profile: the fast
 * profile compresses time, not traffic) and one bad event at `badAtSeconds`.
 */
function oneBadEvent(eventsPerHour: number, badAtSeconds: number): EventCounters {
  const perSample = (grid: SampleGrid) => (eventsPerHour / HOUR) * grid.productionIntervalSeconds;
  const bad = (grid: SampleGrid, i: number) => (i * grid.productionIntervalSeconds >= badAtSeconds ? 1 : 0);
  const samples =
    (value: (grid: SampleGrid, i: number) => number): SeriesValues =>
    (grid) =>
      Array.from({ length: grid.samples }, (_, i) => String(Number(value(grid, i).toPrecision(12)))).join(' ');
  return {
    good: samples((grid, i) => perSample(grid) * i),
    bad: samples(bad),
    all: samples((grid, i) => perSample(grid) * i + bad(grid, i)),
  };
}

/** Events per second that give `eventsPerHour` events per (profile) hour-long window. */
function perSecondFor(ctx: AlertingContext, eventsPerHour: number): number {
  return (eventsPerHour / HOUR) * ctx.profile.timeCompression;
}

/**
 * Cases for both forms. Steady burns just below and above the ticket and page factors: a
 * constant ratio is the same in every window that holds two samples, so six hours of
 * samples every 10 minutes fill every pair but the 5m one. And a one-hour spike after quiet
 * hours just above and below the fast page factor, sampled every minute for the 5m window.
 * Rules are evaluated every 4 minutes: recording and alert groups run in no fixed order in
 * promtool, so an alert may read the previous step's recorded value, which must still be
 * inside the 5-minute lookback. Last, low traffic: one bad event in a quiet hour, and a
 * steady 20x burn below and above `slo.min_events` per hour.
 */
function burnRateCases(ctx: AlertingContext, sli: Sli): AlertCase[] {
  const model = fixtureModel(ctx);
  const budget = errorBudget(sli.objectivePercent(ctx.spec));
  const durations = ctx.spec.alerts.for_seconds;
  const evaluationSeconds = 4 * MINUTE;
  const longestFor = Math.max(durations.burn_rate_critical, durations.burn_rate_warning);
  const steady = (burn: number) =>
    sli.series(
      ctx,
      steadyCounters(10, () => burn * budget),
    );
  const expect = (severity: 'critical' | 'warning', burn: number) => ({ severity, labels: { model }, value: burn });
  // The 1h window fills with the spike, then the page's `for` must pass; quiet hours before
  // it keep the 3d burn under 1x (15x over d needs more than 14d of quiet), as in real life.
  const during = HOUR + durations.burn_rate_critical + 10 * MINUTE;
  const spike = { before: 16 * during, during };
  const spiked = (burn: number) =>
    sli.series(
      ctx,
      steadyCounters(10, (phase) => (phase === 'during' ? burn * budget : 0), spike),
    );
  const steadyTiming = { intervalSeconds: 10 * MINUTE, evaluationSeconds, evalAtSeconds: 6 * HOUR + longestFor + HOUR };
  const spikeTiming = { intervalSeconds: MINUTE, evaluationSeconds, evalAtSeconds: spike.before + spike.during };
  return [
    { title: 'silent below a sustainable burn', ...steadyTiming, series: steady(0.9), expected: [] },
    {
      title: 'warning only, just below the 6x page',
      ...steadyTiming,
      series: steady(5.9),
      expected: [expect('warning', 5.9)],
    },
    {
      title: 'page and ticket just above the 6x page',
      ...steadyTiming,
      series: steady(6.5),
      expected: [expect('critical', 6.5), expect('warning', 6.5)],
    },
    {
      title: 'page on a one-hour spike above 14.4x',
      ...spikeTiming,
      series: spiked(15),
      expected: [expect('critical', 15)],
    },
    { title: 'silent on a one-hour spike just below 14.4x', ...spikeTiming, series: spiked(14), expected: [] },
    ...lowTrafficCases(ctx, sli),
  ];
}

/**
 * The minimum-volume guard. One bad event in a quiet hour, a ratio at least twice the fast
 * page's factor in both its windows, held past its `for`, must stay silent. A
 * steady 20x burn pages and opens a ticket with twice `slo.min_events` per hour, and stays
 * silent with too few events in every long window (fewer than min_events over the whole case).
 */
function lowTrafficCases(ctx: AlertingContext, sli: Sli): AlertCase[] {
  const model = fixtureModel(ctx);
  const budget = errorBudget(sli.objectivePercent(ctx.spec));
  const minEvents = ctx.spec.slo.min_events;
  const durations = ctx.spec.alerts.for_seconds;
  const quietHistory = 2 * HOUR;
  // Three minutes after the bad event: the 5m window still holds the sample before it, and the page's `for` has passed.
  const badAt = quietHistory - 3 * MINUTE;
  const burn = 20;
  const steadyAt = HOUR + Math.max(durations.burn_rate_critical, durations.burn_rate_warning) + 10 * MINUTE;
  const steadyBurn = (eventsPerHour: number) =>
    sli.series(
      ctx,
      steadyCounters(perSecondFor(ctx, eventsPerHour), () => burn * budget),
    );
  // Fewer than min_events over the whole case, so no long window reaches it.
  const tooFewPerHour = (0.9 * minEvents * HOUR) / steadyAt;
  const expect = (severity: 'critical' | 'warning') => ({ severity, labels: { model }, value: burn });
  // So few events an hour that one bad one is twice the fastest page factor, and fewer than min_events.
  const fastest = Math.max(...BURN_RATE_PAIRS.map((pair) => pair.factor));
  const quietPerHour = Math.floor(Math.min(minEvents / 2, 1 / (2 * fastest * budget)));
  return [
    {
      title: 'regression: one bad event in a quiet hour stays silent (no minimum-volume guard paged on it)',
      intervalSeconds: MINUTE,
      evalAtSeconds: quietHistory,
      series: sli.series(ctx, oneBadEvent(quietPerHour, badAt)),
      expected: [],
    },
    {
      title: `a steady ${burn}x burn at twice slo.min_events per hour pages and opens a ticket`,
      intervalSeconds: MINUTE,
      evalAtSeconds: steadyAt,
      series: steadyBurn(2 * minEvents),
      expected: [expect('critical'), expect('warning')],
    },
    {
      title: `regression: a steady ${burn}x burn below slo.min_events in every long window stays silent`,
      intervalSeconds: MINUTE,
      evalAtSeconds: steadyAt,
      series: steadyBurn(tooFewPerHour),
      expected: [],
    },
  ];
}

function phased(perSecond: number, share: (phase: 'before' | 'during') => number, phases?: PhaseLengths) {
  if (phases === undefined) return counter(perSecond * share('during'));
  return counterPhases([
    { perSecond: perSecond * share('before'), seconds: phases.before },
    { perSecond: perSecond * share('during'), seconds: Infinity },
  ]);
}

const availability: Sli = {
  ratio: (window) => RECORDS.errorRatio(window),
  events: (window) => RECORDS.predictionsIncrease(window),
  objectivePercent: (spec) => spec.slo.availability_objective_percent,
  series: (ctx, counters) => {
    const labels = { ...EXPORTER_TARGET, model: fixtureModel(ctx), version: fixtureVersion(ctx) };
    return [
      { series: seriesName(METRICS.predictionsTotal, { ...labels, status: 'error' }), values: counters.bad },
      { series: seriesName(METRICS.predictionsTotal, { ...labels, status: 'success' }), values: counters.good },
    ];
  },
};

const latency: Sli = {
  ratio: (window) => RECORDS.latencyOverTargetRatio(window),
  events: (window) => RECORDS.latencyObservationsIncrease(window),
  objectivePercent: (spec) => spec.slo.latency_objective_percent,
  series: (ctx, counters) => {
    const labels = { ...EXPORTER_TARGET, model: fixtureModel(ctx), version: fixtureVersion(ctx) };
    const histogram = METRICS.predictionLatencySeconds;
    return [
      {
        series: seriesName(`${histogram}_bucket`, { ...labels, le: String(ctx.spec.slo.latency_target_seconds) }),
        values: counters.good,
      },
      { series: seriesName(`${histogram}_count`, labels), values: counters.all },
    ];
  },
};

/** How the burn-rate pairs read in a description: "14.4x over 1h and 5m, or 6x over 6h and 30m". */
function pairsText(ctx: AlertingContext, severity: 'critical' | 'warning'): string {
  return BURN_RATE_PAIRS.filter((pair) => pair.severity === severity)
    .map((pair) => `${pair.factor}x over ${ctx.range(pair.long)} and ${ctx.range(pair.short)}`)
    .join(', or ');
}

/** The thresholds and the volume guard of both forms, in one sentence. */
function burnThresholds(ctx: AlertingContext): string {
  return (
    `It pages above ${pairsText(ctx, 'critical')}, and opens a ticket above ${pairsText(ctx, 'warning')}, ` +
    `with at least ${ctx.spec.slo.min_events} events in the long window (slo.min_events); ` +
    'at 14.4x a 30-day budget lasts about two days, at 1x exactly 30.'
  );
}

export const availabilityBudgetBurn: AlertDefinition = {
  name: ALERTS.availabilityBudgetBurn,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.serviceOverview,
  perModel: true,
  summary: ['A model burns its availability error budget too fast.'],
  description: (ctx) => [
    'Model ',
    { label: 'model' },
    ' fails predictions ',
    { value: 'number' },
    `x faster than its availability objective of ${ctx.spec.slo.availability_objective_percent}% allows, over the long window. `,
    burnThresholds(ctx),
    ' First check the error ratio per version on the service dashboard: a new version, or a dependency of the model failing.',
  ],
  value: [{ value: 'number' }, 'x burn rate'],
  forms: (ctx) => burnRateForms(ctx, availability),
  cases: (ctx) => burnRateCases(ctx, availability),
};

export const latencyBudgetBurn: AlertDefinition = {
  name: ALERTS.latencyBudgetBurn,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.serviceOverview,
  perModel: true,
  summary: ['A model burns its latency error budget too fast.'],
  description: (ctx) => [
    'Predictions of model ',
    { label: 'model' },
    ` are slower than the latency target of ${ctx.spec.slo.latency_target_seconds} s `,
    { value: 'number' },
    `x more often than the latency objective of ${ctx.spec.slo.latency_objective_percent}% allows, over the long window. `,
    burnThresholds(ctx),
    ' First check p99 latency per version and the event-loop lag of the exporters on the service dashboard.',
  ],
  value: [{ value: 'number' }, 'x burn rate'],
  forms: (ctx) => burnRateForms(ctx, latency),
  cases: (ctx) => burnRateCases(ctx, latency),
};

/** The histogram bucket bounds the exporter uses: the base buckets plus the SLO target. */
function latencyBounds(spec: Spec): number[] {
  return [...new Set([...BASE_LATENCY_BUCKETS_SECONDS, spec.slo.latency_target_seconds])].sort((a, b) => a - b);
}

export const latencyP99High: AlertDefinition = {
  name: ALERTS.latencyP99High,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.serviceOverview,
  perModel: true,
  summary: ['A model version answers slowly at the 99th percentile.'],
  description: (ctx) => [
    'The 99th percentile prediction latency of model ',
    { label: 'model' },
    ' version ',
    { label: 'version' },
    ' is ',
    { value: 'number' },
    ` s over the last ${ctx.range(RATE_WINDOW)}, above ${formatGoG(ctx.spec.alerts.latency_p99_seconds, 4)} s (alerts.latency_p99_seconds). First check whether only this version is slow (a new version or its artifact), then the exporters' event-loop lag and CPU.`,
  ],
  value: [{ value: 'number' }, ' s'],
  forms: (ctx) => [
    {
      severity: ctx.spec.alerts.severity.latency_p99,
      expr: `${RECORDS.latencyQuantile('p99')} > ${ctx.spec.alerts.latency_p99_seconds}`,
      forSeconds: ctx.spec.alerts.for_seconds.latency_p99,
    },
  ],
  cases: (ctx) => {
    const threshold = ctx.spec.alerts.latency_p99_seconds;
    const bounds = latencyBounds(ctx.spec);
    const model = fixtureModel(ctx);
    const version = fixtureVersion(ctx);
    const at = settledAt(parseDuration(RATE_WINDOW), ctx.spec.alerts.for_seconds.latency_p99, MINUTE);
    // All observations in one bucket put p99 99% of the way through it (linear interpolation).
    const inBucket = (upper: number) => {
      const labels = { ...EXPORTER_TARGET, model, version };
      const series: InputSeries[] = [...bounds.map(String), '+Inf'].map((le) => ({
        series: seriesName(`${METRICS.predictionLatencySeconds}_bucket`, { ...labels, le }),
        values: counter(le === '+Inf' || Number(le) >= upper ? 10 : 0),
      }));
      return series;
    };
    const p99In = (upper: number) => {
      const lower = bounds.filter((b) => b < upper).at(-1) ?? 0;
      return lower + (upper - lower) * 0.99;
    };
    const aboveUpper = bounds.find((b) => b > threshold && (bounds.filter((x) => x < b).at(-1) ?? 0) >= threshold);
    const belowUpper = bounds.filter((b) => b <= threshold).at(-1);
    const cases: AlertCase[] = [];
    if (aboveUpper !== undefined) {
      cases.push({
        title: 'fires with p99 above the threshold',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: inBucket(aboveUpper),
        expected: [
          { severity: ctx.spec.alerts.severity.latency_p99, labels: { model, version }, value: p99In(aboveUpper) },
        ],
      });
    }
    if (belowUpper !== undefined) {
      cases.push({
        title: 'silent with p99 just below it',
        intervalSeconds: MINUTE,
        evalAtSeconds: at,
        series: inBucket(belowUpper),
        expected: [],
      });
    }
    return cases;
  },
};

export const SLO_ALERTS: readonly AlertDefinition[] = [availabilityBudgetBurn, latencyBudgetBurn, latencyP99High];
