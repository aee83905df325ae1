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
import { counter, counterPhases, seriesName, type InputSeries } from './input-series';
import type { AlertCase, AlertDefinition, AlertForm } from './alert-definition';
import { BURN_RATE_PAIRS, errorBudget } from '../error-budget';
import { EXPORTER_TARGET, fixtureModel, fixtureVersion, settledAt } from './case-helpers';

const GROUP = 'mlwatch-slo-alerts';
const MINUTE = 60;
const HOUR = 3600;

/** A bad-event ratio per model and window, and the objective it is held to. */
interface Sli {
  readonly ratio: (window: SloWindow) => string;
  readonly objectivePercent: (spec: Spec) => number;
  /** Input series in which a share `badShare` of `perSecond` predictions is bad. */
  readonly series: (
    ctx: AlertingContext,
    perSecond: number,
    badShare: (phase: 'before' | 'during') => number,
    phases?: PhaseLengths,
  ) => InputSeries[];
}

interface PhaseLengths {
  readonly before: number;
  readonly during: number;
}

function burnRateForms(ctx: AlertingContext, sli: Sli): AlertForm[] {
  const budget = errorBudget(sli.objectivePercent(ctx.spec));
  const durations = ctx.spec.alerts.for_seconds;
  return (['critical', 'warning'] as const).map((severity) => ({
    severity,
    forSeconds: severity === 'critical' ? durations.burn_rate_critical : durations.burn_rate_warning,
    expr: BURN_RATE_PAIRS.filter((pair) => pair.severity === severity)
      .map(
        (pair) =>
          `(\n  ${sli.ratio(pair.long)} / ${budget} > ${pair.factor}\n  and\n  ${sli.ratio(pair.short)} / ${budget} > ${pair.factor}\n)`,
      )
      .join('\nor\n'),
  }));
}

/**
 * Cases for both forms. Steady burns just below and above the ticket and page factors: a
 * constant ratio is the same in every window that holds two samples, so six hours of
 * samples every 10 minutes fill every pair but the 5m one. And a one-hour spike after quiet
 * hours just above and below the fast page factor, sampled every minute for the 5m window.
 * Rules are evaluated every 4 minutes: recording and alert groups run in no fixed order in
 * promtool, so an alert may read the previous step's recorded value, which must still be
 * inside the 5-minute lookback.
 */
function burnRateCases(ctx: AlertingContext, sli: Sli): AlertCase[] {
  const model = fixtureModel(ctx);
  const budget = errorBudget(sli.objectivePercent(ctx.spec));
  const durations = ctx.spec.alerts.for_seconds;
  const evaluationSeconds = 4 * MINUTE;
  const longestFor = Math.max(durations.burn_rate_critical, durations.burn_rate_warning);
  const steady = (burn: number) => sli.series(ctx, 10, () => burn * budget);
  const expect = (severity: 'critical' | 'warning', burn: number) => ({ severity, labels: { model }, value: burn });
  // The 1h window fills with the spike, then the page's `for` must pass; quiet hours before
  // it keep the 3d burn under 1x (15x over d needs more than 14d of quiet), as in real life.
  const during = HOUR + durations.burn_rate_critical + 10 * MINUTE;
  const spike = { before: 16 * during, during };
  const spiked = (burn: number) => sli.series(ctx, 10, (phase) => (phase === 'during' ? burn * budget : 0), spike);
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
  objectivePercent: (spec) => spec.slo.availability_objective_percent,
  series: (ctx, perSecond, badShare, phases) => {
    const labels = { ...EXPORTER_TARGET, model: fixtureModel(ctx), version: fixtureVersion(ctx) };
    return [
      {
        series: seriesName(METRICS.predictionsTotal, { ...labels, status: 'error' }),
        values: phased(perSecond, badShare, phases),
      },
      {
        series: seriesName(METRICS.predictionsTotal, { ...labels, status: 'success' }),
        values: phased(perSecond, (phase) => 1 - badShare(phase), phases),
      },
    ];
  },
};

const latency: Sli = {
  ratio: (window) => RECORDS.latencyOverTargetRatio(window),
  objectivePercent: (spec) => spec.slo.latency_objective_percent,
  series: (ctx, perSecond, badShare, phases) => {
    const labels = { ...EXPORTER_TARGET, model: fixtureModel(ctx), version: fixtureVersion(ctx) };
    const histogram = METRICS.predictionLatencySeconds;
    return [
      {
        series: seriesName(`${histogram}_bucket`, { ...labels, le: String(ctx.spec.slo.latency_target_seconds) }),
        values: phased(perSecond, (phase) => 1 - badShare(phase), phases),
      },
      { series: seriesName(`${histogram}_count`, labels), values: counter(perSecond) },
    ];
  },
};

export const availabilityBudgetBurn: AlertDefinition = {
  name: ALERTS.availabilityBudgetBurn,
  group: GROUP,
  dashboard: DASHBOARD_UIDS.serviceOverview,
  perModel: true,
  summary: ['Model ', { label: 'model' }, ' burns its availability error budget ', { value: 'number' }, 'x too fast'],
  description: [
    'Model ',
    { label: 'model' },
    ' fails predictions ',
    { value: 'number' },
    'x faster than its availability objective allows over the long window; at 14.4x a 30-day budget lasts two days, at 1x exactly 30.',
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
  summary: ['Model ', { label: 'model' }, ' burns its latency error budget ', { value: 'number' }, 'x too fast'],
  description: [
    'Predictions of model ',
    { label: 'model' },
    ' are slower than the latency target ',
    { value: 'number' },
    'x more often than the latency objective allows over the long window.',
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
  summary: ['p99 latency of ', { label: 'model' }, ' ', { label: 'version' }, ' is ', { value: 'number' }, ' s'],
  description: [
    'The 99th percentile prediction latency of model ',
    { label: 'model' },
    ' version ',
    { label: 'version' },
    ' is ',
    { value: 'number' },
    ' s, above the alert threshold in mlwatch.yaml.',
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
