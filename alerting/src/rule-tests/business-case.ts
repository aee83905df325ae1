import { METRICS, RECORDS } from '../../../spec/src/conventions';
import { conversionEvent, valueEvent } from '../../../spec/src/schema';
import type { AlertingContext } from '../alerting-context';
import { WEEK_CASE_STEP_SECONDS, businessSuite } from '../alerts/business-alerts';
import { EXPORTER_TARGET } from '../alerts/case-helpers';
import { counterPhases, seriesName } from '../alerts/input-series';
import { WEEK_SECONDS, outcomeModels, type OutcomeModel } from '../rules/business-recording';
import { formatDuration } from '../prometheus-duration';
import type { ExpectedValue, ValueCase } from './fleet-drift-case';

/**
 * Counts per judged window (1h in the demo) of the week-long case: a first week, then the second
 * week, and in the last attribution delay before the evaluation a burst of predictions that no
 * outcome can follow yet (a rate without the offset would count it).
 */
export const WEEK_FIXTURE = {
  predictions: 720, // 60 every 5 minutes, both weeks
  burst: 720, // as many again in the last attribution delay (120 in the demo's last 5 minutes)
  failed: 144, // failed predictions, which no rate counts
  conversions: { before: 72, after: 48 }, // 10%, then 1/15
  value: { before: 3600, after: 2880 }, // 5 EUR per prediction, then 4
} as const;

/**
 * Hand-computed for the demo (judged window 1h, attribution delay 5m, windows 1h, 1d, 7d), at
 * T = 1w + 2h on a 5-minute grid; week two starts at 1w.
 *
 *   rate 1h    = 48 outcomes over [T−1h, T] / 720 predictions over [T−1h5m, T−5m] = 1/15 (the burst in
 *                [T−5m, T] is not counted: without the offset 48 / 780)
 *   value 1h   = 2880 / 720 = 4 EUR per prediction
 *   wow 1h     = (48/720) / (72/720 a week earlier, over [1h, 2h] and [55m, 1h55m]) = 2/3; value 4/5 = 0.8
 *   rate 1d    = (22 · 72 + 2 · 48) / (24 · 720) = 1680 / 17280
 *   rate 7d    = (166 · 72 + 2 · 48) / (168 · 720) = 12048 / 120960
 *   avg 1h over 1d: the 1h rate sampled every 5 minutes over [T−1d, T] (289 samples, both ends in):
 *                265 samples at 72/720 up to 1w, 12 on the ramp (72 − 2k)/720 for k = 1..12, 12 at 48/720:
 *                (265 · 72 + 708 + 12 · 48) / (289 · 720) = 20364 / 208080
 *   avg 1h over 7d: (1993 · 72 + 708 + 12 · 48) / (2017 · 720) = 144780 / 1452240
 *   value avg 1h over 1d: 265 samples at 5 EUR, the ramp 5 − k/12 (sum 53.5), 12 at 4: 1426.5 / 289
 *
 * The code below computes the same from the counts by integrating their piecewise-constant rates, so
 * a spec with other windows gets its own figures; the unit test pins the demo's fractions above.
 */
export function businessRecordingCases(ctx: AlertingContext): ValueCase[] {
  const target = outcomeModels(ctx.spec)[0];
  if (target === undefined) return [];
  const figures = weekFigures(target);
  if (figures === undefined) return [];
  const { model, version, conversion, value, evalAtSeconds } = figures;
  const w0 = target.outcomes.windows_seconds[0] as number;
  const perSecond = (count: number) => (count * ctx.profile.timeCompression) / w0;
  const delay = target.outcomes.attribution_delay_seconds;
  const f = WEEK_FIXTURE;
  const series = (metric: string, labels: Record<string, string>, phases: { count: number; seconds: number }[]) => ({
    series: seriesName(metric, { ...EXPORTER_TARGET, model, version, ...labels }),
    values: counterPhases(phases.map((p) => ({ perSecond: perSecond(p.count), seconds: p.seconds }))),
  });
  const weeks = (before: number, after: number) => [
    { count: before, seconds: WEEK_SECONDS },
    { count: after, seconds: Infinity },
  ];
  const valueEvents = value === undefined ? [] : [value];
  return [
    {
      name: `outcome rates, value per prediction, moving averages and week-over-week ratios over a week match values computed by hand (${model})`,
      intervalSeconds: WEEK_CASE_STEP_SECONDS,
      evalAtSeconds,
      suite: businessSuite(target),
      series: [
        series(METRICS.predictionsTotal, { status: 'success' }, [
          { count: f.predictions, seconds: evalAtSeconds - delay },
          { count: f.predictions + f.burst, seconds: Infinity },
        ]),
        series(METRICS.predictionsTotal, { status: 'error' }, weeks(f.failed, f.failed)),
        series(METRICS.outcomesTotal, { event: conversion }, weeks(f.conversions.before, f.conversions.after)),
        ...valueEvents.map((event) =>
          series(METRICS.outcomeValueTotal, { event }, weeks(f.value.before, f.value.after)),
        ),
      ],
      expected: figures.expected,
    },
  ];
}

/** The demo's figures, generalised: what each record must say at T for the target's windows. */
export function weekFigures(target: OutcomeModel):
  | {
      model: string;
      version: string;
      conversion: string;
      value: string | undefined;
      evalAtSeconds: number;
      expected: ExpectedValue[];
    }
  | undefined {
  const step = WEEK_CASE_STEP_SECONDS;
  const windows = target.outcomes.windows_seconds;
  const w0 = windows[0] as number;
  const delay = target.outcomes.attribution_delay_seconds;
  const evalAtSeconds = WEEK_SECONDS + 2 * w0;
  // Exact only on the grid, with the burst inside the judged window and every window inside the case.
  const onGrid = [...windows, delay, evalAtSeconds].every((s) => s % step === 0);
  if (!onGrid || delay > w0 || windows.some((w) => w + w0 + delay > evalAtSeconds)) return undefined;
  const model = target.model.name;
  const version = target.model.versions[0]?.name as string;
  const conversion = conversionEvent(target.outcomes);
  const value = valueEvent(target.outcomes);
  const f = WEEK_FIXTURE;
  // Count of a rate per judged window that is `before` until 1w and `after` from then, over [from, to].
  const counted = (before: number, after: number, from: number, to: number) =>
    (before * Math.max(0, Math.min(to, WEEK_SECONDS) - from) + after * Math.max(0, to - Math.max(from, WEEK_SECONDS))) /
    w0;
  // Predictions are steady before T − delay (the burst is after every offset window ends).
  const predictions = (from: number, to: number) => (f.predictions * (to - from)) / w0;
  const rate = (before: number, after: number, window: number, at: number) =>
    counted(before, after, at - window, at) / predictions(at - window - delay, at - delay);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const averageOver = (before: number, after: number, over: number) =>
    mean(Array.from({ length: over / step + 1 }, (_, k) => rate(before, after, w0, evalAtSeconds - over + k * step)));
  const T = evalAtSeconds;
  const c = f.conversions;
  const v = f.value;
  const mv = { model, version };
  const at = (record: string, event: string, number: number): ExpectedValue => ({
    expr: `${record}{model="${model}",version="${version}",event="${event}"}`,
    labels: { ...mv, event },
    value: number,
  });
  const judged = formatDuration(w0);
  const expected: ExpectedValue[] = [
    ...windows.flatMap((w) => {
      const name = formatDuration(w);
      return [
        at(RECORDS.outcomesIncrease(name), conversion, counted(c.before, c.after, T - w, T)),
        at(RECORDS.outcomeRate(name), conversion, rate(c.before, c.after, w, T)),
        ...(value === undefined
          ? []
          : [at(RECORDS.outcomeValuePerPrediction(name), value, rate(v.before, v.after, w, T))]),
      ];
    }),
    ...windows.slice(1).flatMap((w) => {
      const over = formatDuration(w);
      return [
        at(RECORDS.outcomeRateAverage(judged, over), conversion, averageOver(c.before, c.after, w)),
        ...(value === undefined
          ? []
          : [at(RECORDS.outcomeValueAverage(judged, over), value, averageOver(v.before, v.after, w))]),
      ];
    }),
    at(
      RECORDS.outcomeRateWeekOverWeek(judged),
      conversion,
      rate(c.before, c.after, w0, T) / rate(c.before, c.after, w0, T - WEEK_SECONDS),
    ),
    ...(value === undefined
      ? []
      : [
          at(
            RECORDS.outcomeValueWeekOverWeek(judged),
            value,
            rate(v.before, v.after, w0, T) / rate(v.before, v.after, w0, T - WEEK_SECONDS),
          ),
        ]),
  ];
  return { model, version, conversion, value, evalAtSeconds, expected };
}
