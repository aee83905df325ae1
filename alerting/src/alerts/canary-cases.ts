import { METRICS } from '../../../spec/src/conventions';
import type { AlertingContext } from '../alerting-context';
import { canaryGroupName, canaryModels, canaryWindow, type CanaryModel } from '../rules/canary-recording';
import { SERVICE_RECORDING_GROUP } from '../rules/service-recording';
import type { RuleTestSuite } from './alert-definition';
import { EXPORTER_TARGET } from './case-helpers';
import { counterPhases, seriesName, type InputSeries } from './input-series';

/** Rule group (and file) of the canary alert. */
export const CANARY_ALERT_GROUP = 'mlwatch-canary-alerts';

/** Hits of trials per canary window on one side: errors of predictions, conversions of predictions, right labels of labels. */
export interface Proportion {
  readonly hits: number;
  readonly trials: number;
}

/**
 * The one-sided two-proportion z statistic, positive when the candidate is worse: the same formula
 * as the recording rules, written out here once more so the promtool cases check them against it.
 * z = (p_c − p_b) / sqrt(p̂ (1 − p̂) (1/n_b + 1/n_c)), p̂ pooled; `lower` is worse flips the difference.
 */
export function twoProportionZ(baseline: Proportion, candidate: Proportion, worse: 'higher' | 'lower'): number {
  const pb = baseline.hits / baseline.trials;
  const pc = candidate.hits / candidate.trials;
  const pooled = (baseline.hits + candidate.hits) / (baseline.trials + candidate.trials);
  const difference = worse === 'higher' ? pc - pb : pb - pc;
  const variance = pooled * (1 - pooled) * (1 / baseline.trials + 1 / candidate.trials);
  return variance === 0 ? 0 : difference / Math.sqrt(variance);
}

/** The first model with a canary, as the cases' fixture: its versions, window and the grid of a case. */
export interface CanaryFixture {
  readonly target: CanaryModel;
  readonly model: string;
  readonly baseline: string;
  readonly candidate: string;
  readonly window: string;
  readonly windowSeconds: number;
  /** Sixty samples per window, at least a minute apart. */
  readonly intervalSeconds: number;
  /** The attribution delay of the model's outcomes (0 without outcomes). */
  readonly delaySeconds: number;
  /** The groups the canary cases load: the latency quantiles, the canary rules and the alert. */
  readonly suite: RuleTestSuite;
}

export function canaryFixture(ctx: AlertingContext): CanaryFixture | undefined {
  const target = canaryModels(ctx.spec)[0];
  if (target === undefined) return undefined;
  const windowSeconds = target.canary.window_seconds;
  return {
    target,
    model: target.model.name,
    baseline: target.canary.baseline,
    candidate: target.canary.candidate,
    window: canaryWindow(target),
    windowSeconds,
    intervalSeconds: Math.max(60, windowSeconds / 60),
    delaySeconds: target.model.outcomes?.attribution_delay_seconds ?? 0,
    suite: {
      name: 'canary',
      groups: [SERVICE_RECORDING_GROUP, canaryGroupName(target.model.name), CANARY_ALERT_GROUP],
    },
  };
}

/**
 * A counter of one version that grows by `perWindow` over every canary window and by `burst` more
 * over the last `delaySeconds` before `evalAtSeconds`: the predictions a window with an attribution
 * delay must not count.
 */
export function canaryCounter(
  ctx: AlertingContext,
  fx: CanaryFixture,
  metric: string,
  labels: Readonly<Record<string, string>>,
  counts: { readonly perWindow: number; readonly burst?: number },
  evalAtSeconds: number,
): InputSeries {
  const perSecond = (count: number, seconds: number) => (count * ctx.profile.timeCompression) / seconds;
  const steady = perSecond(counts.perWindow, fx.windowSeconds);
  const burst = counts.burst ?? 0;
  const phases =
    burst === 0 || fx.delaySeconds === 0
      ? [{ perSecond: steady, seconds: Infinity }]
      : [
          { perSecond: steady, seconds: evalAtSeconds - fx.delaySeconds },
          { perSecond: steady + perSecond(burst, fx.delaySeconds), seconds: Infinity },
        ];
  return {
    series: seriesName(metric, { ...EXPORTER_TARGET, model: fx.model, ...labels }),
    values: counterPhases(phases),
  };
}

/** One version's predictions and outcomes per canary window, as a case feeds them. */
export interface CanarySide {
  readonly version: string;
  readonly success: number;
  /** Successful predictions in the last attribution delay only (the conversion rate must not count them). */
  readonly burst?: number;
  readonly errors: number;
  readonly conversions: number;
}

/** The counters of one side: predictions by status, and the conversion event (when the model has outcomes). */
export function sideSeries(
  ctx: AlertingContext,
  fx: CanaryFixture,
  side: CanarySide,
  evalAtSeconds: number,
  conversion: string | undefined,
): InputSeries[] {
  const counter = (metric: string, labels: Record<string, string>, perWindow: number, burst = 0) =>
    canaryCounter(ctx, fx, metric, { version: side.version, ...labels }, { perWindow, burst }, evalAtSeconds);
  return [
    counter(METRICS.predictionsTotal, { status: 'success' }, side.success, side.burst),
    counter(METRICS.predictionsTotal, { status: 'error' }, side.errors),
    ...(conversion === undefined ? [] : [counter(METRICS.outcomesTotal, { event: conversion }, side.conversions)]),
  ];
}
